/**
 * The plain-text renderer: a title, the query, an aligned table and the lists of ids, for a terminal
 * or a printer.
 */
import type { Report } from '@ketnap/core'
import { formatCell, layout, type IdList } from './internal/layout'
import { displayWidth, pad } from './internal/width'
import { messages, type Lang } from './messages'

const LINE_WIDTH = 100
const GAP = '  '

const wrap = (items: ReadonlyArray<string>, indent: string): ReadonlyArray<string> =>
  items.reduce<Array<string>>((lines, item, i) => {
    const word = i === items.length - 1 ? item : `${item},`
    const last = lines[lines.length - 1]
    if (last !== undefined && displayWidth(last) + 1 + displayWidth(word) <= LINE_WIDTH) {
      lines[lines.length - 1] = `${last} ${word}`
    } else {
      lines.push(indent + word)
    }
    return lines
  }, [])

const list = (l: IdList, lang: Lang): ReadonlyArray<string> => [
  `${l.label} (${l.items.length}):${l.items.length === 0 ? ` ${messages[lang].none}` : ''}`,
  ...wrap(l.items, '  '),
]

/** A report as aligned plain text, lines ending in `\n`, numbers in the language's format. */
export const renderText = (report: Report, lang: Lang): string => {
  const l = layout(report, lang)
  const metaWidth = Math.max(...l.meta.map(([label]) => displayWidth(label))) + 1
  const cells = l.rows.map((row) => row.map((cell) => formatCell(cell, lang)))
  const widths = l.columns.map((c, i) =>
    Math.max(displayWidth(c.label), ...cells.map((row) => displayWidth(row[i] ?? ''))),
  )
  const line = (row: ReadonlyArray<string>): string =>
    l.columns
      .map((c, i) => pad(row[i] ?? '', widths[i] ?? 0, c.align))
      .join(GAP)
      .trimEnd()
  return (
    [
      l.title,
      '='.repeat(displayWidth(l.title)),
      ...l.meta.map(([label, value]) => `${pad(`${label}:`, metaWidth, 'left')} ${value}`),
      '',
      line(l.columns.map((c) => c.label)),
      widths.map((w) => '-'.repeat(w)).join(GAP),
      ...cells.map(line),
      ...l.lists.flatMap((x) => ['', ...list(x, lang)]),
    ].join('\n') + '\n'
  )
}
