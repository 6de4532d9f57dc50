/**
 * The XLSX renderer: a workbook with a sheet per report, real number cells with number formats, so
 * that Excel sorts, sums and charts them.
 */
import type { Report } from '@ketnap/core'
// Only the type: ExcelJS takes about half a second to load, so it is loaded when a workbook is asked for.
import type ExcelJS from 'exceljs'
import * as TE from 'fp-ts/TaskEither'
import { formatCell, layout, type Cell, type Layout } from './internal/layout'
import { displayWidth } from './internal/width'
import { messages, type Lang } from './messages'
import { renderError, type RenderError } from './renderError'

/** Excel's sheet names: at most 31 characters, none of `[]:*?/\`. */
const sheetName = (name: string, taken: ReadonlySet<string>): string => {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31)
  if (!taken.has(base)) return base
  for (let i = 2; ; i++) {
    const candidate = `${base.slice(0, 26)} (${i})`
    if (!taken.has(candidate)) return candidate
  }
}

/**
 * Number formats are Excel codes, not strings: Excel shows `#,##0` as 1.873 to a Vietnamese user and
 * 1,873 to an English one. Above 100 %, the language's word for "exceeded" follows the rate.
 */
const numFmt = (cell: Cell, lang: Lang): string | undefined => {
  switch (cell.kind) {
    case 'count':
      return '#,##0'
    case 'percent':
      return '0.00%'
    case 'attainment':
      return `[>1]0.00%" (${messages[lang].exceeded})";0.00%`
    case 'text':
      return undefined
  }
}

const MAX_WIDTH = 60

const addSheet = (wb: ExcelJS.Workbook, name: string, l: Layout, lang: Lang): void => {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: l.columns.length > 3 ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    },
    headerFooter: { oddHeader: `&L${l.title}`, oddFooter: '&R&P / &N' },
  })
  const widths = l.columns.map((c) => displayWidth(c.label))
  const widen = (i: number, s: string): void => {
    widths[i] = Math.min(MAX_WIDTH, Math.max(widths[i] ?? 0, displayWidth(s)))
  }

  const header = ws.addRow(l.columns.map((c) => c.label))
  header.font = { bold: true }
  header.eachCell((cell, col) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } }
    cell.alignment = { horizontal: l.columns[col - 1]?.align ?? 'left', vertical: 'middle', wrapText: true }
    cell.border = { bottom: { style: 'thin' } }
  })

  for (const row of l.rows) {
    const xrow = ws.addRow(
      row.map((cell) =>
        cell.kind === 'text' ? cell.value : (cell.value ?? (cell.kind === 'count' ? null : '—')),
      ),
    )
    row.forEach((cell, i) => {
      const fmt = numFmt(cell, lang)
      const xcell = xrow.getCell(i + 1)
      if (fmt !== undefined && cell.value !== null) xcell.numFmt = fmt
      if (cell.kind !== 'text') xcell.alignment = { horizontal: 'right' }
      widen(i, formatCell(cell, lang))
    })
  }

  const last = l.columns.length
  for (const list of l.lists) {
    const xrow = ws.addRow([
      list.label,
      ...Array.from({ length: last - 2 }, () => null),
      list.items.join(', '),
    ])
    xrow.getCell(last).alignment = { wrapText: true, vertical: 'top' }
    xrow.getCell(1).alignment = { vertical: 'top' }
    widen(0, list.label)
  }

  ws.addRow([])
  ws.addRow([l.title]).font = { bold: true, size: 13 }
  for (const [label, value] of l.meta) ws.addRow([label, value])

  ws.columns.forEach((col, i) => {
    col.width = Math.max(10, (widths[i] ?? 8) + 2)
  })
}

const build = async (reports: ReadonlyArray<Report>, lang: Lang): Promise<Uint8Array> => {
  const { default: Excel } = await import('exceljs')
  const wb = new Excel.Workbook()
  wb.creator = 'ketnap'
  const taken = new Set<string>()
  for (const report of reports) {
    const name = sheetName(messages[lang].sheet[report.report], taken)
    taken.add(name)
    addSheet(wb, name, layout(report, lang), lang)
  }
  const buffer = await wb.xlsx.writeBuffer()
  return new Uint8Array(buffer)
}

/** Reports as an XLSX workbook, a sheet per report (header row frozen, A4 print setup), labels in the language. */
export const renderXlsx = (
  reports: ReadonlyArray<Report>,
  lang: Lang,
): TE.TaskEither<RenderError, Uint8Array> =>
  TE.tryCatch(() => build(reports, lang), renderError('xlsx-failed'))
