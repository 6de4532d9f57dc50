/**
 * A crash between appends: a child process imports the sample history into a real SQLite file in small
 * chunks (each import commits, then catches the read models up as a phase of its own) and is killed with
 * SIGKILL at a random moment, several times over. Afterwards the read models caught up from what the
 * crashes left equal a rebuild from the log, and every report read from them equals the replay.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { partyDevelopment, READ_MODEL_REPORTS, type Report } from '@ketnap/core'
import { createLedger, owner, type Ledger, type ReportOptions } from '@ketnap/ledger'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'
import { SAMPLE_HISTORY } from './internal/testing/cliBinary'

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dir = mkdtempSync(join(tmpdir(), 'ketnap-read-model-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const now = (): Date => new Date('2026-01-01T00:00:00Z')

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

// The child: the built packages (as the CLI uses them), importing CHUNK lines at a time from where the
// store stands (an import skips the lines already recorded), printing a line after each import.
const CHILD = `
import { readFileSync } from 'node:fs'
import { partyDevelopment } from '@ketnap/core'
import { createLedger, owner } from '@ketnap/ledger'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
const [file, history] = process.argv.slice(1)
const lines = readFileSync(history, 'utf8').split('\\n').filter((l) => l.trim() !== '')
const store = await openSqliteEventStore(file)()
if (store._tag === 'Left') throw new Error(JSON.stringify(store.left))
const ledger = createLedger({ store: store.right, domain: partyDevelopment() })
for (let i = 0; i < lines.length; i += 23) {
  const done = await ledger.importEvents(lines.slice(i, i + 23), owner())()
  if (done._tag === 'Left') throw new Error(JSON.stringify(done.left))
  process.stdout.write('imported ' + done.right.head.position + '\\n')
}
process.stdout.write('done\\n')
`

/** Runs the child until it has printed `imports` lines, then after `delayMs` kills it with SIGKILL. */
const crashChild = (file: string, imports: number, delayMs: number): Promise<'killed' | 'finished'> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, file, SAMPLE_HISTORY], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let seen = 0
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      const before = seen
      seen += chunk
        .toString()
        .split('\n')
        .filter((l) => l.startsWith('imported')).length
      if (before < imports && seen >= imports) setTimeout(() => child.kill('SIGKILL'), delayMs)
    })
    child.on('error', fail)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') done('killed')
      else if (code === 0) done('finished')
      else fail(new Error(`child exited ${String(code)}: ${stderr}`))
    })
  })

/** Every row of the read models' tables, each table's rows sorted (a rebuild may insert in another order). */
const tablesOf = (file: string): Record<string, ReadonlyArray<string>> => {
  const db = new Database(file, { readonly: true })
  try {
    const names = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\' ORDER BY name`,
      )
      .all() as ReadonlyArray<{ readonly name: string }>
    return Object.fromEntries(
      names.map(({ name }) => [
        name,
        db
          .prepare(`SELECT * FROM "${name}"`)
          .all()
          .map((row) => JSON.stringify(row))
          .sort(),
      ]),
    )
  } finally {
    db.close()
  }
}

const QUERIES: ReadonlyArray<ReportOptions> = [
  { orgId: 'prov', asOf: '2023-12-31', period: '2020' },
  { orgId: 'prov', asOf: '2021-06-30', period: '2021', knownAt: '2021-07-01T00:00:00Z' },
  { orgId: 'd1', asOf: '2022-12-31', period: '2019-2022', since: '2019-12-31' },
]

const reportsOf = async (ledger: Ledger, replay: boolean): Promise<ReadonlyArray<Report>> => {
  const out: Report[] = []
  for (const query of QUERIES)
    for (const name of READ_MODEL_REPORTS) {
      // Ratings are yearly: a longer period is asked as its first year.
      const asked =
        name === 'ratings' && query.period !== undefined
          ? { ...query, period: query.period.slice(0, 4) }
          : query
      out.push(right(await ledger.report(name, owner(), { ...asked, replay })()))
    }
  return out
}

describe('the read models after a crash (SIGKILL) between appends on SQLite', () => {
  it(
    'catch up to what a rebuild gives, and every report equals the replay',
    { timeout: 240_000 },
    async () => {
      const file = join(dir, 'crash.db')
      // Killed at random moments: inside an import's transaction, inside the read-model phase, or between.
      const outcomes = []
      for (const imports of [2, 4, 7, 11]) outcomes.push(await crashChild(file, imports, Math.random() * 40))
      expect(outcomes).toContain('killed')

      const store = right(await openSqliteEventStore(file, { now })())
      try {
        const ledger = createLedger({ store, domain: partyDevelopment(), now })
        const head = right(await store.head()())
        expect(head.position).toBeGreaterThan(0)
        const caughtUp = right(await ledger.catchUpReadModels()())
        expect(caughtUp?.position).toBe(head.position)
        const caughtUpRows = tablesOf(file)
        expect(Object.keys(caughtUpRows).length).toBeGreaterThan(0)
        const fromTables = await reportsOf(ledger, false)
        expect(fromTables).toEqual(await reportsOf(ledger, true))
        expect(right(await ledger.rebuildReadModels()())).toEqual({ position: head.position, rebuilt: true })
        expect(tablesOf(file)).toEqual(caughtUpRows)
        expect(await reportsOf(ledger, false)).toEqual(fromTables)
        for (const r of fromTables) expect(r.log).toEqual(head)
      } finally {
        await store.close()()
      }
    },
  )
})
