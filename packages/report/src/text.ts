/**
 * The plain-text renderer: a title, the query, an aligned table and the lists of ids, for a terminal
 * or a printer, every line at most `TEXT_WIDTH` columns wide.
 */
import type { Report } from '@ketnap/core'
import { formatCell, layout, type IdList, type Layout } from './internal/layout'
import { displayWidth, pad } from './internal/width'
import { brokenWords, narrowestWrap, wrap } from './internal/wrap'
import { messages, type Lang } from './messages'

/** The widest line `renderText` writes: a 120-column terminal. */
export const TEXT_WIDTH = 120
// Lists of ids are wrapped narrower than the table: a long run of ids reads better in a short line.
const LIST_WIDTH = 100
const GAP = '  '
// A text column is not wrapped narrower than this unless nothing else fits: a name or a reference
// of a word a line is harder to read than a few more lines elsewhere.
const NARROWEST_TEXT = 12
// A text column too wide even at its widest piece (a pathological id) is cut down to no less than this.
const NARROWEST_CUT = 4
// A word read across two lines (an id broken after a hyphen) costs the reader as much as this many
// more lines: three names wrapping one word each are easier to read than one broken id.
const BROKEN_WORD = 3

const wrapList = (items: ReadonlyArray<string>, indent: string): ReadonlyArray<string> =>
  items.reduce<Array<string>>((lines, item, i) => {
    const word = i === items.length - 1 ? item : `${item},`
    const last = lines[lines.length - 1]
    if (last !== undefined && displayWidth(last) + 1 + displayWidth(word) <= LIST_WIDTH) {
      lines[lines.length - 1] = `${last} ${word}`
    } else {
      lines.push(...wrap(word, LIST_WIDTH - indent.length).map((part) => indent + part))
    }
    return lines
  }, [])

const list = (l: IdList, lang: Lang): ReadonlyArray<string> => [
  `${l.label} (${l.items.length}):${l.items.length === 0 ? ` ${messages[lang].none}` : ''}`,
  ...wrapList(l.items, '  '),
]

/** A column's distinct texts, each with how many of its cells hold it and its display width. */
type ColumnTexts = ReadonlyArray<{ readonly text: string; readonly cells: number; readonly width: number }>

const columnTexts = (cells: ReadonlyArray<string>): ColumnTexts => {
  const counts = new Map<string, number>()
  for (const c of cells) counts.set(c, (counts.get(c) ?? 0) + 1)
  return [...counts].map(([text, n]) => ({ text, cells: n, width: displayWidth(text) }))
}

/**
 * What a column costs to read at a width: the square of each cell's lines (one cell eight lines tall
 * reads worse than four cells two lines tall), and `BROKEN_WORD` more for each word read across two
 * lines. Cells count, not rows: a row already two lines tall for its name does not make wrapping its
 * short label free; and so a table's cost is the sum of its columns' costs. Each distinct text is
 * wrapped once (a label repeated on every row), and a text that fits is one line, none broken.
 */
const columnCost = (texts: ColumnTexts, width: number): number => {
  let sum = 0
  for (const t of texts) {
    if (t.width <= width) sum += t.cells
    else {
      const lines = wrap(t.text, width)
      sum += t.cells * (lines.length * lines.length + BROKEN_WORD * brokenWords(t.text, lines))
    }
  }
  return sum
}

/**
 * Narrows the table one column by one column until it fits, each time the column whose narrowing
 * costs the reader least (the widest of those): slack goes first, then the column where wrapping
 * adds fewest lines, so a short label is not wrapped on every row to spare one long name, and an id
 * is broken only where wrapping names instead would cost several lines.
 */
const narrow = (
  columns: ReadonlyArray<ColumnTexts>,
  widths: ReadonlyArray<number>,
  floors: ReadonlyArray<number>,
): ReadonlyArray<number> => {
  const memo = new Map<string, number>()
  const cost = (i: number, width: number): number => {
    const key = `${i} ${width}`
    const known = memo.get(key)
    if (known !== undefined) return known
    const value = columnCost(columns[i] ?? [], width)
    memo.set(key, value)
    return value
  }
  const out = [...widths]
  let excess = out.reduce((a, b) => a + b, 0) + GAP.length * (out.length - 1) - TEXT_WIDTH
  while (excess > 0) {
    let best = -1
    let bestCost = Infinity
    out.forEach((w, i) => {
      if (w <= (floors[i] ?? w)) return
      const added = cost(i, w - 1) - cost(i, w)
      if (added < bestCost || (added === bestCost && w > (out[best] ?? 0))) {
        best = i
        bestCost = added
      }
    })
    if (best < 0) break
    out[best] = (out[best] ?? 0) - 1
    excess--
  }
  return out
}

/**
 * Column widths of the table: each column as wide as its widest cell, then narrowed to fit
 * `TEXT_WIDTH`, in three rounds, each only if the last did not fit: text columns wrap, down to
 * `NARROWEST_TEXT` columns or their widest unbreakable piece; then the headers of figure columns
 * wrap; then text is cut anywhere. Figures are never wrapped nor cut.
 */
const columnWidths = (l: Layout, cells: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<number> => {
  const columns = l.columns.map((c, i) => columnTexts([c.label, ...cells.map((row) => row[i] ?? '')]))
  const limits = l.columns.map((c, i) => {
    const texts: Array<string> = []
    let figures = 0
    l.rows.forEach((row, r) => {
      const s = cells[r]?.[i] ?? ''
      if (row[i]?.kind === 'text') texts.push(s)
      else figures = Math.max(figures, displayWidth(s))
    })
    // Folded, not spread: a national table has more cells than a call takes arguments.
    const natural = texts.reduce(
      (m, s) => Math.max(m, displayWidth(s)),
      Math.max(figures, displayWidth(c.label)),
    )
    const header = Math.max(figures, narrowestWrap(c.label))
    const text = texts.reduce((m, s) => Math.max(m, narrowestWrap(s)), header)
    const isText = texts.length > 0 && figures === 0
    return isText
      ? {
          natural,
          wrapText: Math.min(natural, Math.max(text, NARROWEST_TEXT)),
          wrapHeader: text,
          cut: NARROWEST_CUT,
        }
      : { natural, wrapText: natural, wrapHeader: header, cut: header }
  })
  return [limits.map((c) => c.wrapText), limits.map((c) => c.wrapHeader), limits.map((c) => c.cut)].reduce<
    ReadonlyArray<number>
  >(
    (widths, floors) => narrow(columns, widths, floors),
    limits.map((c) => c.natural),
  )
}

/** Meta lines: `label: value`, values aligned, a long value wrapped under itself. */
const metaLines = (meta: Layout['meta']): ReadonlyArray<string> => {
  const labelWidth = Math.max(...meta.map(([label]) => displayWidth(label))) + 1
  const indent = ' '.repeat(labelWidth + 1)
  return meta.flatMap(([label, value]) =>
    wrap(value, TEXT_WIDTH - indent.length).map((part, i) =>
      i === 0 ? `${pad(`${label}:`, labelWidth, 'left')} ${part}` : indent + part,
    ),
  )
}

/**
 * A report as aligned plain text, lines ending in `\n`, numbers in the language's format, no line
 * wider than `TEXT_WIDTH`: long names, ids and references wrap within their column.
 */
export const renderText = (report: Report, lang: Lang): string => {
  const l = layout(report, lang)
  const cells = l.rows.map((row) => row.map((cell) => formatCell(cell, lang)))
  const widths = columnWidths(l, cells)
  const lines = (row: ReadonlyArray<string>): ReadonlyArray<string> => {
    const parts = l.columns.map((_, i) => wrap(row[i] ?? '', widths[i] ?? 0))
    const height = Math.max(...parts.map((p) => p.length))
    return Array.from({ length: height }, (_, k) =>
      l.columns
        .map((c, i) => pad(parts[i]?.[k] ?? '', widths[i] ?? 0, c.align))
        .join(GAP)
        .trimEnd(),
    )
  }
  const title = wrap(l.title, TEXT_WIDTH)
  return (
    [
      ...title,
      '='.repeat(Math.max(...title.map((t) => displayWidth(t)))),
      ...metaLines(l.meta),
      '',
      ...lines(l.columns.map((c) => c.label)),
      widths.map((w) => '-'.repeat(w)).join(GAP),
      ...cells.flatMap(lines),
      ...l.lists.flatMap((x) => ['', ...list(x, lang)]),
    ].join('\n') + '\n'
  )
}
