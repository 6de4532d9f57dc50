import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { renderCsv } from './csv'
import { dienBienAttainment } from './internal/samples'
import { render } from './render'
import { renderText } from './text'

describe('render', () => {
  it('dispatches on the format, vi by default', async () => {
    expect(await render(dienBienAttainment, { format: 'text' })()).toEqual(
      E.right(renderText(dienBienAttainment, 'vi')),
    )
    expect(await render(dienBienAttainment, { format: 'csv', lang: 'en' })()).toEqual(
      E.right(renderCsv(dienBienAttainment, 'en')),
    )
  })
  it('keeps plain numbers in JSON whatever the language', async () => {
    const json = await render(dienBienAttainment, { format: 'json', lang: 'vi' })()
    expect(E.map((s: string | Uint8Array) => JSON.parse(String(s)))(json)).toEqual(
      E.right(dienBienAttainment),
    )
    expect(String(E.getOrElse<unknown, string | Uint8Array>(() => '')(json))).toContain('"admitted": 1873')
  })
  it('returns the bytes of a workbook for xlsx and a page for html', async () => {
    const xlsx = await render(dienBienAttainment, { format: 'xlsx' })()
    expect(E.isRight(xlsx) && xlsx.right instanceof Uint8Array && xlsx.right[0] === 0x50).toBe(true) // "PK"
    const html = await render(dienBienAttainment, { format: 'html', lang: 'en' })()
    expect(E.isRight(html) && typeof html.right === 'string' && html.right.includes('<svg')).toBe(true)
  })
})
