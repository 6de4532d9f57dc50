/**
 * docs/errors.md documents exactly the error codes the packages list: a code added to a list without a
 * row, or a row left behind by a code that is gone, fails here. It lives here because this package
 * depends on every package that lists codes (kernel, core, ledger, report).
 */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CoreErrorCodes, RULES } from '@ketnap/core'
import { KernelErrorCodes } from '@ketnap/kernel'
import { LedgerErrorCodes } from '@ketnap/ledger'
import { RenderErrorCodes } from '@ketnap/report'
import { describe, expect, it } from 'vitest'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** The list behind each value of the table's `from` column. */
const LISTS: Readonly<Record<string, ReadonlyArray<string>>> = {
  'kernel: store input': KernelErrorCodes.invalidEvent,
  'kernel: store append': KernelErrorCodes.recordClock,
  'kernel: import line': KernelErrorCodes.importLine,
  'kernel: import': KernelErrorCodes.importFailure,
  'kernel: chain verification': KernelErrorCodes.chainBreak,
  'kernel: upcasting': KernelErrorCodes.upcast,
  'kernel: projection runner': KernelErrorCodes.projection,
  'kernel: merkle proof': KernelErrorCodes.merkleProof,
  'kernel: checkpoint': KernelErrorCodes.checkpoint,
  'kernel: log audit': KernelErrorCodes.logAudit,
  'kernel: access': KernelErrorCodes.access,
  'kernel: keys': KernelErrorCodes.keys,
  'core: decoding': CoreErrorCodes.decode,
  'core: rule': Object.keys(RULES),
  'core: command': CoreErrorCodes.command,
  'core: report query': CoreErrorCodes.reportQuery,
  'core: personal data': CoreErrorCodes.personalData,
  ledger: LedgerErrorCodes,
  'report: rendering': RenderErrorCodes,
}

interface Row {
  readonly code: string
  readonly from: string
  readonly meaning: string
  readonly example: string
}

/** The rows of the table under `## Every code`: `| \`code\` | from | meaning | example message |`. */
const documentedRows = (markdown: string): Row[] => {
  const section = /^## Every code\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown)?.[1] ?? ''
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim())
      const [code = '', from = '', meaning = '', example = ''] = cells
      return { code: code.replace(/^`|`$/g, ''), from, meaning, example }
    })
}

const rows = documentedRows(readFileSync(join(repo, 'docs', 'errors.md'), 'utf8'))

const sorted = (codes: Iterable<string>): string[] => [...new Set(codes)].sort()

describe('docs/errors.md', () => {
  it('has a table of codes', () => {
    expect(rows.length).toBeGreaterThan(50)
  })

  it('names a known origin, a kebab-case code, a meaning and an example message in every row', () => {
    for (const row of rows) {
      expect(Object.keys(LISTS), `the origin of ${row.code}`).toContain(row.from)
      expect(row.code).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
      expect(row.meaning, `the meaning of ${row.code}`).not.toBe('')
      expect(row.example, `the example of ${row.code}`).not.toBe('')
    }
  })

  it('documents each code once per origin', () => {
    const keys = rows.map((row) => `${row.from} ${row.code}`)
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([])
  })

  it.each(Object.entries(LISTS))('documents exactly the codes of %s', (from, codes) => {
    const documented = rows.filter((row) => row.from === from).map((row) => row.code)
    expect(sorted(documented)).toEqual(sorted(codes))
  })
})
