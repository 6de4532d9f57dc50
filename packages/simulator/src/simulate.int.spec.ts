/**
 * The district scale end to end: deterministic over two full runs, and imported in full, in one
 * import, into a real SQLite store through the ledger, as `ketnap import` would. The tiny scale
 * imported whole and in two halves gives the same chain: its lines carry their ids.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { partyDevelopment } from '@ketnap/core'
import { createLedger, owner } from '@ketnap/ledger'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'
import { SCALES, simulate } from './index'

const dir = mkdtempSync(join(tmpdir(), 'ketnap-simulator-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left).slice(0, 2000)}`)
  return e.right
}

describe('simulate --scale district', () => {
  it('gives the same SHA-256 on two runs, the one recorded', () => {
    const digest = (): string => {
      const hash = createHash('sha256')
      for (const line of simulate({ scale: 'district' })) hash.update(`${line}\n`)
      return hash.digest('hex')
    }
    const first = digest()
    expect(digest()).toBe(first)
    // The bytes recorded for the default district history: a change of output must update SCALES and docs.
    expect(first).toBe('9ef608ec55e46c314542cb2e001b9e58afc0af27612e149e8cc60c50c36e6044')
  })

  it('imports in full into a SQLite store', async () => {
    const now = () => new Date('2030-01-01T00:00:00Z')
    const store = right(await openSqliteEventStore(join(dir, 'district.db'), { now })())
    try {
      const ledger = createLedger({ store, domain: partyDevelopment(), now })
      const summary = right(await ledger.importEvents(simulate({ scale: 'district' }), owner())())
      expect(summary.appended).toBe(SCALES.district.events)
      const roll = right(await ledger.report('roll', owner(), { orgId: 'tu-mau', asOf: '2025-12-31' })())
      expect(roll).toMatchObject({ report: 'roll' })
    } finally {
      right(await store.close()())
    }
  }, 300_000)

  it('imported whole or in two halves, gives the same head (its lines carry their ids)', async () => {
    const now = () => new Date('2030-01-01T00:00:00Z')
    const lines = [...simulate({ scale: 'tiny' })]
    const middle = Math.floor(lines.length / 2)
    const headOf = async (file: string, parts: ReadonlyArray<ReadonlyArray<string>>) => {
      const store = right(await openSqliteEventStore(join(dir, file), { now })())
      try {
        const ledger = createLedger({ store, domain: partyDevelopment(), now })
        for (const part of parts) right(await ledger.importEvents(part, owner())())
        return right(await store.head()())
      } finally {
        right(await store.close()())
      }
    }
    const whole = await headOf('whole.db', [lines])
    expect(whole.position).toBe(SCALES.tiny.events)
    expect(await headOf('halves.db', [lines.slice(0, middle), lines.slice(middle)])).toEqual(whole)
  }, 300_000)
})
