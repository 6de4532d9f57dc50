/**
 * The one entry the command line calls: a report in a format and a language.
 */
import type { Report } from '@ketnap/core'
import * as TE from 'fp-ts/TaskEither'
import { renderCsv } from './csv'
import { renderHtml, type HtmlOptions } from './html'
import { renderJson } from './json'
import type { Lang } from './messages'
import type { RenderError } from './renderError'
import { renderText } from './text'
import { renderXlsx } from './xlsx'

/** The output formats of `ketnap report --format`. */
export type Format = 'text' | 'csv' | 'json' | 'html' | 'xlsx'

/** The formats, the default first. */
export const FORMATS: ReadonlyArray<Format> = ['text', 'json', 'csv', 'html', 'xlsx']

/** How to render: the format, the language (vi by default), and the HTML chart's series. */
export interface RenderOptions extends HtmlOptions {
  readonly format: Format
  readonly lang?: Lang
}

/** A report in a format: a string for text, CSV, JSON and HTML; the bytes of a workbook for XLSX. */
export const render = (
  report: Report,
  options: RenderOptions,
): TE.TaskEither<RenderError, string | Uint8Array> => {
  const lang = options.lang ?? 'vi'
  switch (options.format) {
    case 'text':
      return TE.right(renderText(report, lang))
    case 'csv':
      return TE.right(renderCsv(report, lang))
    case 'json':
      return TE.right(renderJson(report))
    case 'html':
      return renderHtml(
        report,
        lang,
        options.blankVillageSeries === undefined ? {} : { blankVillageSeries: options.blankVillageSeries },
      )
    case 'xlsx':
      return renderXlsx([report], lang)
  }
}
