import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { renderHtml, type HtmlOptions } from './html'
import { ATTAINMENT_BARS, BLANK_LINE } from './internal/charts'
import {
  SAMPLES,
  dakNhoongAttainment,
  dienBienAttainment,
  dienBienBlankSeries,
  dienBienBlankVillages,
  duongKinhRoll,
} from './internal/samples'
import type { Lang } from './messages'
import type { Report } from '@ketnap/core'

const html = async (
  r: Report | ReadonlyArray<Report>,
  lang: Lang,
  options?: HtmlOptions,
): Promise<string> => {
  const result = await renderHtml(r, lang, options)()
  if (E.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

const group = (page: string, name: string): string => {
  const start = page.indexOf(`role-mark ${name}_marks"`)
  return start < 0 ? '' : page.slice(start, page.indexOf('</g>', start))
}

describe('renderHtml', () => {
  it('is self-contained: no script, no external URL, a CSP that forbids loading anything', async () => {
    const page = await html(
      SAMPLES.map(([, r]) => r),
      'vi',
      { blankVillageSeries: dienBienBlankSeries },
    )
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(page).not.toMatch(/<script/i)
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i)
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
    expect(page).toContain('@page { size: A4')
    expect(page.match(/<section class="report"/g)?.length).toBe(SAMPLES.length)
  })

  it('writes numbers in the language and says vượt / exceeded', async () => {
    const vi = await html(dienBienAttainment, 'vi')
    expect(vi).toContain('<html lang="vi">')
    expect(vi).toContain('<td class="num">1.873</td>')
    expect(vi).toContain('<td class="num">93,65 %</td>')
    expect(vi).toContain('<td class="num">107,06 % (vượt)</td>')
    const en = await html(dakNhoongAttainment, 'en')
    expect(en).toContain('<td class="num">146.15% (exceeded)</td>')
    expect(en).toContain('2021-07-05 09:00:00 Z')
  })

  it('draws one bar per child organization with a quota, and the 100 % rule', async () => {
    const db = await html(dienBienAttainment, 'vi')
    const bars = group(db, ATTAINMENT_BARS).match(/aria-roledescription="bar"/g) ?? []
    expect(bars.length).toBe(dienBienAttainment.rows.length)
    expect(db).toContain('aria-label="Tỷ lệ đạt: 73 %; name: Huyện ủy Mường Nhé')
    // Đăk Sing has no quota: no bar for it
    const dn = await html(dakNhoongAttainment, 'vi')
    expect(group(dn, ATTAINMENT_BARS).match(/aria-roledescription="bar"/g)?.length).toBe(2)
    expect(db).toMatch(/mark-rule role-mark/)
  })

  it('draws the blank villages as a line through the given series', async () => {
    const page = await html(dienBienBlankVillages, 'vi', { blankVillageSeries: dienBienBlankSeries })
    expect(group(page, BLANK_LINE)).toMatch(/aria-roledescription="line mark"|<path/)
    // one labelled point per date
    for (const p of dienBienBlankSeries) expect(page).toContain(`>${p.blank}</text>`)
  })

  it('falls back to the since and as-of counts without a series, and draws no chart for the roll', async () => {
    const page = await html(dienBienBlankVillages, 'en')
    expect(page).toContain('>95</text>')
    expect(page).toContain('>71</text>')
    expect(await html(duongKinhRoll, 'vi')).not.toContain('<svg')
  })

  it('escapes text', async () => {
    const page = await html({ ...duongKinhRoll, orgName: 'A <b> & "c"' }, 'en')
    expect(page).toContain('A &lt;b&gt; &amp; &quot;c&quot;')
  })
})
