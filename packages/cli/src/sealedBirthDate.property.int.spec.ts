/**
 * The age window at the cell vote decides the same on an encrypted store, whose rules keep each birth
 * date sealed under the person's key (D40), as on a clear store: for random birth dates around the full
 * 18 and the full 60 years, with or without an age exception, a cell vote recorded by a command or by an
 * import line is accepted by both stores or refused by both with the same error. The vote is recorded by
 * a ledger opened afresh, which reads the candidate's rules' row from the store (the state is written
 * there at every step, its cache holding one entry) and so must load the person's key to open the date.
 * Real SQLite files.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { partyDevelopment, type Command } from '@ketnap/core'
import type { EventStore } from '@ketnap/kernel'
import { createLedger, masterKey, owner, type Ledger } from '@ketnap/ledger'
import { openSqliteEventStore, type SqliteEventStore } from '@ketnap/store-sqlite'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleHistoryLines } from './internal/testing/cliBinary'

const dir = mkdtempSync(join(tmpdir(), 'ketnap-sealed-birth-date-'))

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

// One clock for both stores, moving on a second per call, after every date of the history.
let clock = Date.parse('2025-01-01T00:00:00Z')
const now = (): Date => new Date((clock += 1000))

const KEY = right(masterKey(new Uint8Array(32).fill(9)))

/** A ledger opened afresh over a store (its keyring and rules' state read from the store). */
const ledgerOn = (store: EventStore, encrypted: boolean): Ledger =>
  createLedger({
    store,
    domain: partyDevelopment(),
    now,
    writeStateCacheEntries: 1,
    ...(encrypted ? { masterKey: KEY } : {}),
  })

/** `date` moved by `days` days (UTC calendar arithmetic on YYYY-MM-DD). */
const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

const CELL = 'd1-du0-cb1'

interface Case {
  readonly birthDate: string
  readonly voteOn: string
  readonly ageException: boolean
  readonly byImport: boolean
}

/** A candidate's steps up to the cell vote, as commands. */
const stepsOf = (personId: string, c: Case): Command[] => [
  {
    kind: 'NominateCandidate',
    personId,
    orgId: CELL,
    nominatedBy: 'members',
    profile: { birthDate: c.birthDate, sex: 'female', ethnicMinority: false, occupation: 'farmer' },
    ...(c.ageException ? { ageException: `QĐ-${personId}` } : {}),
    on: '2024-01-02',
  } as unknown as Command,
  { kind: 'CompleteAwarenessClass', personId, certificateNo: `GCN-${personId}`, on: '2024-01-10' } as Command,
  { kind: 'VerifyBackground', personId, outcome: 'cleared', on: '2024-01-20' } as Command,
]

/** Where the rules' state kept in a SQLite store stands, and the log's head. */
const keptAt = (path: string): { kept: number; head: number } => {
  const db = new Database(path, { readonly: true })
  try {
    const kept = db.prepare("SELECT position FROM keyed_state WHERE key = ''").get() as { position: number }
    const head = db.prepare('SELECT max(position) AS head FROM events').get() as { head: number }
    return { kept: kept.position, head: head.head }
  } finally {
    db.close()
  }
}

/** A candidate nominated after another's steps. */
const FILLER: Case = { birthDate: '1990-01-01', voteOn: '2024-03-01', ageException: false, byImport: false }

const vote = (personId: string, on: string) => ({ personId, inFavour: 3, eligible: 4, on })

/** What recording the cell vote gives: accepted, or the errors it was refused with. */
const outcomeOf = (result: E.Either<unknown, unknown>): unknown =>
  E.isRight(result) ? 'accepted' : JSON.parse(JSON.stringify(result.left))

describe('the age window on an encrypted store, its birth dates sealed in the rules', () => {
  let clear: SqliteEventStore
  let encrypted: SqliteEventStore
  const encryptedPath = join(dir, 'encrypted.db')
  const clearPath = join(dir, 'clear.db')

  beforeAll(async () => {
    clear = right(await openSqliteEventStore(clearPath, { now })())
    encrypted = right(await openSqliteEventStore(encryptedPath, { now })())
    const text = `${sampleHistoryLines().join('\n')}\n`
    right(await ledgerOn(clear, false).importEvents(text, owner())())
    right(await ledgerOn(encrypted, true).importEvents(text, owner())())
    // A first candidate's steps, so that the state kept in the store is written at every later step.
    const first: Case = {
      birthDate: '1990-01-01',
      voteOn: '2024-03-01',
      ageException: false,
      byImport: false,
    }
    for (const [store, sealed] of [
      [clear, false],
      [encrypted, true],
    ] as const) {
      const ledger = ledgerOn(store, sealed)
      for (const command of stepsOf('x-0', first)) right(await ledger.execute(command, owner())())
    }
  }, 60_000)

  afterAll(async () => {
    await clear.close()()
    await encrypted.close()()
    rmSync(dir, { recursive: true, force: true })
  })

  it('accepts and refuses exactly as a clear store, by command and by import', async () => {
    let n = 0
    const outcomes = new Set<string>()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('2006-03-01', '1964-03-01', '2004-02-29', '1966-02-28'),
        fc.integer({ min: -40, max: 40 }),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        fc.boolean(),
        async (base, birthOffset, voteOffset, ageException, byImport) => {
          const c: Case = {
            birthDate: addDays(base, birthOffset),
            voteOn: addDays('2024-03-01', voteOffset),
            ageException,
            byImport,
          }
          const personId = `x-${++n}`
          const results: unknown[] = []
          for (const [store, sealed] of [
            [clear, false],
            [encrypted, true],
          ] as const) {
            // The steps are commands; the state is kept in the store at the log's head after each (its
            // cache of one entry is over its bound).
            const steps = ledgerOn(store, sealed)
            for (const command of stepsOf(personId, c)) right(await steps.execute(command, owner())())
            // Another candidate's nomination after them: the state is kept at the last step, after the
            // nomination, and a ledger opened on it reads neither the nomination nor its key.
            right(await steps.execute(stepsOf(`y-${n}`, FILLER)[0] as Command, owner())())
            const at = keptAt(sealed ? encryptedPath : clearPath)
            // The kept state stands after the nomination (the steps are followed by the filler's event): the
            // vote's ledger folds, and reads, no event that would load the person's key.
            expect(at.kept).toBeGreaterThanOrEqual(at.head - 2)
            // A ledger opened afresh records the vote: it folds no event, so nothing but the vote itself
            // loads the person's key.
            const voting = ledgerOn(store, sealed)
            const result = byImport
              ? await voting.importEvents(
                  `${JSON.stringify({ type: 'CellVoted', data: vote(personId, c.voteOn), recordedAt: '2025-06-01T00:00:00Z' })}\n`,
                  owner(),
                )()
              : await voting.execute(
                  { kind: 'RecordCellVote', ...vote(personId, c.voteOn) } as Command,
                  owner(),
                )()
            results.push(outcomeOf(result))
          }
          outcomes.add(results[0] === 'accepted' ? 'accepted' : 'refused')
          expect(results[1]).toEqual(results[0])
        },
      ),
      { numRuns: 40 },
    )
    // Both outcomes were met (the birth dates straddle both limits).
    expect([...outcomes].sort()).toEqual(['accepted', 'refused'])
    // The encrypted store's rules' rows of these candidates hold their birth dates sealed only.
    const db = new Database(encryptedPath, { readonly: true })
    try {
      const rows = db.prepare("SELECT value FROM keyed_state WHERE key LIKE 'p:x-%'").all() as Array<{
        value: Buffer
      }>
      expect(rows.length).toBeGreaterThan(0)
      for (const { value } of rows) {
        // A person's row keeps the profile third (core's `rows.ts`): [sealed, sex, occupation, 1].
        const [sealed, , , flag] = (JSON.parse(Buffer.from(value).toString('utf8')) as unknown[][])[2] ?? []
        expect(flag).toBe(1)
        expect(sealed).not.toMatch(/^\d{4}-\d\d-\d\d$/)
      }
    } finally {
      db.close()
    }
  }, 300_000)
})
