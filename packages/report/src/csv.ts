/**
 * The CSV renderer: the report's table under one header row, for Excel.
 */
import type { Report } from '@ketnap/core'
import { formatCell, layout } from './internal/layout'
import type { Lang } from './messages'

/** Excel reads a UTF-8 file as UTF-8 only when it starts with a byte order mark. */
const BOM = '\uFEFF'

const field = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

/**
 * A report as CSV (RFC 4180: comma-separated, CRLF line ends, quoted where needed), starting with a
 * BOM, one header row, numbers in the language's format. Lists of ids follow the table as rows
 * whose first cell names the list and whose last cell holds the ids, separated by commas; the log
 * position and hash the report reflects follow as the last row, in the same shape.
 */
export const renderCsv = (report: Report, lang: Lang): string => {
  const l = layout(report, lang)
  const width = l.columns.length
  const trailing = (label: string, value: string): ReadonlyArray<string> => [
    label,
    ...Array.from({ length: width - 2 }, () => ''),
    value,
  ]
  const listRows = [
    ...l.lists.map((x) => trailing(x.label, x.items.join(', '))),
    ...(l.log === undefined ? [] : [trailing(...l.log)]),
  ]
  const rows = [
    l.columns.map((c) => c.label),
    ...l.rows.map((row) => row.map((cell) => formatCell(cell, lang))),
    ...listRows,
  ]
  return BOM + rows.map((row) => row.map(field).join(',') + '\r\n').join('')
}
