// The HTML of the Điện Biên attainment report in headless Chromium: a screenshot is written, the page
// logs nothing to the console, and the chart has one bar per child organization. The test command
// installs Chromium where it can; where it cannot, it sets KETNAP_SKIP_SUITES=browser and prints a line
// saying so, and this suite is skipped. Run any other way, a missing Chromium fails it.
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/Either'
import { beforeAll, describe, expect, it } from 'vitest'
import { renderHtml } from './html'
import { ATTAINMENT_BARS } from './internal/charts'
import { dumpDom, findChromium, screenshot } from './internal/chromium'
import { dienBienAttainment } from './internal/samples'

/** The bars of the attainment chart: the paths inside its mark group. */
const bars = (html: string): number => {
  const start = html.indexOf(`class="mark-rect role-mark ${ATTAINMENT_BARS}_marks"`)
  if (start < 0) return 0
  const end = html.indexOf('</g>', start)
  return (html.slice(start, end).match(/<path\b[^>]*aria-roledescription="bar"/g) ?? []).length
}

const noBrowser = (process.env['KETNAP_SKIP_SUITES'] ?? '').split(',').includes('browser')

describe.skipIf(noBrowser)('HTML of the Điện Biên attainment report in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ketnap-html-'))
  const htmlPath = join(dir, 'attainment-dien-bien.vi.html')
  const pngPath = join(dir, 'attainment-dien-bien.vi.png')
  let chromium = ''

  beforeAll(async () => {
    const found = findChromium()
    if (found === null)
      throw new Error('Chromium is not installed: apt-get update && apt-get install -y chromium')
    chromium = found
    const html = await renderHtml(dienBienAttainment, 'vi')()
    if (E.isLeft(html)) throw new Error(html.left.message)
    mkdirSync(dir, { recursive: true })
    writeFileSync(htmlPath, html.right)
  })

  it('sees console messages when a page logs one (the detector works)', async () => {
    const bad = join(dir, 'bad.html')
    writeFileSync(bad, '<!DOCTYPE html><p>x</p><script>console.error("boom")</script>')
    const run = await dumpDom(chromium, bad)
    expect(run.console.some((l) => l.includes('boom'))).toBe(true)
  })

  it('writes a PNG screenshot with no console error', async () => {
    const run = await screenshot(chromium, htmlPath, pngPath)
    expect(run.status).toBe(0)
    expect(run.console).toEqual([])
    const png = readFileSync(pngPath)
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(statSync(pngPath).size).toBeGreaterThan(20_000)
  })

  it('has one bar per child organization in the DOM Chromium parsed', async () => {
    const run = await dumpDom(chromium, htmlPath)
    expect(run.status).toBe(0)
    expect(run.console).toEqual([])
    expect(run.stdout).toContain('Huyện ủy Mường Nhé')
    expect(bars(run.stdout)).toBe(dienBienAttainment.rows.length)
    expect(bars(readFileSync(htmlPath, 'utf8'))).toBe(dienBienAttainment.rows.length)
  })
})
