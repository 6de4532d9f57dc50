/**
 * The HTML renderer: one self-contained page, printable on A4, with charts as inline SVG.
 */
import type { Report } from '@ketnap/core'
import * as A from 'fp-ts/Array'
import { pipe } from 'fp-ts/function'
import * as TE from 'fp-ts/TaskEither'
import { attainmentSpec, blankVillagesSpec, toSvg, type BlankVillagePoint } from './internal/charts'
import { formatCell, layout, type Layout } from './internal/layout'
import { messages, type Lang } from './messages'
import { renderError, type RenderError } from './renderError'

/** Options of the HTML renderer. */
export interface HtmlOptions {
  /**
   * Blank villages on several dates, for the line chart of the blank-villages report (a report holds
   * one date, or two with `since`; the caller queries the projection at the dates it wants).
   * Without it, the chart shows the `since` and as-of counts when the report has them.
   */
  readonly blankVillageSeries?: ReadonlyArray<BlankVillagePoint>
}

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

const STYLE = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt; color: #111; background: #fff; }
main { max-width: 186mm; margin: 0 auto; padding: 8mm 0; }
section.report + section.report { break-before: page; page-break-before: always; }
h1 { font-size: 15pt; margin: 0 0 3mm; }
h2 { font-size: 11pt; margin: 5mm 0 1.5mm; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.6mm 4mm; margin: 0 0 4mm; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
figure.chart { margin: 0 0 5mm; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.3mm solid #999; padding: 1mm 1.5mm; vertical-align: top; }
th { background: #e8eef4; text-align: left; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
p.ids { margin: 0; font-size: 9pt; line-height: 1.45; overflow-wrap: anywhere; }
footer { margin-top: 6mm; font-size: 8.5pt; color: #555; }
@media print { main { max-width: none; padding: 0; } }
`

const table = (l: Layout, lang: Lang): string => {
  const head = l.columns
    .map((c) => `<th${c.align === 'right' ? ' class="num"' : ''}>${escape(c.label)}</th>`)
    .join('')
  const body = l.rows
    .map((row, i) => {
      const cells = row
        .map(
          (cell) => `<td${cell.kind === 'text' ? '' : ' class="num"'}>${escape(formatCell(cell, lang))}</td>`,
        )
        .join('')
      return `<tr${i === 0 && l.columns.length > 2 ? ' class="total"' : ''}>${cells}</tr>`
    })
    .join('\n')
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`
}

const chart = (report: Report, lang: Lang, options: HtmlOptions): TE.TaskEither<RenderError, string> => {
  const spec =
    report.report === 'attainment'
      ? attainmentSpec(report, lang)
      : report.report === 'blank-villages'
        ? blankVillagesSpec(
            options.blankVillageSeries ??
              (report.since !== undefined && report.before !== undefined
                ? [
                    { date: report.since, blank: report.before.withoutMembers },
                    { date: report.asOf, blank: report.withoutMembers },
                  ]
                : []),
            lang,
          )
        : null
  if (spec === null) return TE.right('')
  return pipe(
    TE.tryCatch(() => toSvg(spec), renderError('chart-failed')),
    TE.map((svg) => `<figure class="chart">\n${svg}\n</figure>`),
  )
}

const section = (report: Report, lang: Lang, options: HtmlOptions): TE.TaskEither<RenderError, string> =>
  pipe(
    chart(report, lang, options),
    TE.map((figure) => {
      const l = layout(report, lang)
      const meta = l.meta.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`).join('')
      const lists = l.lists
        .map(
          (x) =>
            `<h2>${escape(x.label)} (${x.items.length})</h2>\n<p class="ids">${
              x.items.length === 0 ? escape(messages[lang].none) : x.items.map(escape).join(', ')
            }</p>`,
        )
        .join('\n')
      return [
        `<section class="report" data-report="${report.report}">`,
        `<h1>${escape(l.title)}</h1>`,
        `<dl class="meta">${meta}</dl>`,
        figure,
        table(l, lang),
        lists,
        `<footer>${escape(messages[lang].generatedBy)}</footer>`,
        `</section>`,
      ]
        .filter((s) => s !== '')
        .join('\n')
    }),
  )

/**
 * Reports as one self-contained HTML page (no script, no external resource; a content security policy
 * forbids loading any), a section per report, printable on A4, charts inline as SVG.
 */
export const renderHtml = (
  reports: Report | ReadonlyArray<Report>,
  lang: Lang,
  options: HtmlOptions = {},
): TE.TaskEither<RenderError, string> => {
  const list: ReadonlyArray<Report> = Array.isArray(reports) ? reports : [reports as Report]
  return pipe(
    A.sequence(TE.ApplicativeSeq)(list.map((r) => section(r, lang, options))),
    TE.map((sections) => {
      const title = list.length === 1 && list[0] !== undefined ? layout(list[0], lang).title : 'ketnap'
      return [
        '<!DOCTYPE html>',
        `<html lang="${lang}">`,
        '<head>',
        '<meta charset="utf-8">',
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        `<title>${escape(title)}</title>`,
        `<style>${STYLE}</style>`,
        '</head>',
        '<body>',
        '<main>',
        ...sections,
        '</main>',
        '</body>',
        '</html>',
        '',
      ].join('\n')
    }),
  )
}
