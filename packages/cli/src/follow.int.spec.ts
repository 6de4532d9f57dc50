/**
 * Live following across processes: a child process imports the sample history chunk by chunk into a
 * store (leaving the read models to the follower), and this process follows the same store. On
 * PostgreSQL the follower is woken by the NOTIFY of each import's transaction (LISTEN: no loop reads the
 * table), on SQLite by `PRAGMA data_version`; each `waitFor` of a position the child printed resolves on
 * its own within a second, and the read models end at the head.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { partyDevelopment } from '@ketnap/core'
import type { CheckpointStore, EventStore } from '@ketnap/kernel'
import { createLedger, owner } from '@ketnap/ledger'
import { openPostgresEventStore } from '@ketnap/store-postgres'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import * as E from 'fp-ts/Either'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { SAMPLE_HISTORY } from './internal/testing/cliBinary'

const POSTGRES_URL = process.env['KETNAP_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const POSTGRES_SKIPPED = (process.env['KETNAP_SKIP_SUITES'] ?? '').split(',').includes('postgres')
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dir = mkdtempSync(join(tmpdir(), 'ketnap-follow-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

// The writer: imports 300 lines at a time, the read models left to the follower, a pause between imports.
const CHILD = `
import { readFileSync } from 'node:fs'
import { partyDevelopment } from '@ketnap/core'
import { createLedger, owner } from '@ketnap/ledger'
import { openPostgresEventStore } from '@ketnap/store-postgres'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
const [kind, where, history] = process.argv.slice(1)
const lines = readFileSync(history, 'utf8').split('\\n').filter((l) => l.trim() !== '')
const opened = kind === 'postgres'
  ? await openPostgresEventStore({ connectionString: where.split('#')[0], schema: where.split('#')[1] })()
  : await openSqliteEventStore(where)()
if (opened._tag === 'Left') throw new Error(JSON.stringify(opened.left))
const ledger = createLedger({ store: opened.right, domain: partyDevelopment() })
for (let i = 0; i < lines.length; i += 300) {
  await new Promise((r) => setTimeout(r, 300))
  const done = await ledger.importEvents(lines.slice(i, i + 300), owner(), { catchUpReadModels: false })()
  if (done._tag === 'Left') throw new Error(JSON.stringify(done.left))
  process.stdout.write('head ' + done.right.head.position + '\\n')
}
await opened.right.close()()
`

/** Runs the writer; `onHead` hears each head it printed; resolves when it exits. */
const runWriter = (kind: string, where: string, onHead: (position: number) => void): Promise<void> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, kind, where, SAMPLE_HISTORY], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    let pending = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) if (line.startsWith('head ')) onHead(Number(line.slice(5)))
    })
    child.on('error', fail)
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`writer exited ${String(code)}: ${stderr}`)),
    )
  })

/** Follows `store` while the writer runs; checks every wait and returns the follower's catch-ups. */
const followWhileWriting = async (
  store: EventStore & CheckpointStore,
  kind: string,
  where: string,
  mode: 'notify' | 'poll',
): Promise<number> => {
  const ledger = createLedger({ store, domain: partyDevelopment() })
  let catchUps = 0
  const follower = right(await ledger.follow({ onCaughtUp: () => void catchUps++ })())
  try {
    expect(follower.mode).toBe(mode)
    const waits: Array<Promise<number>> = []
    await runWriter(kind, where, (position) => {
      const started = performance.now()
      waits.push(
        (async () => {
          const reached = right(await follower.waitFor(position)())
          expect(reached).toBeGreaterThanOrEqual(position)
          return performance.now() - started
        })(),
      )
    })
    const delays = await Promise.all(waits)
    expect(delays.length).toBeGreaterThan(3)
    for (const ms of delays) expect(ms).toBeLessThan(1000)
    const head = right(await store.head()())
    expect(follower.position()).toBe(head.position)
    expect(right(await store.loadCheckpoint('read-model/reports')())?.position).toBe(head.position)
    const report = right(await ledger.report('roll', owner(), { orgId: 'prov', asOf: '2023-12-31' })())
    expect(report.log).toEqual(head)
    return catchUps
  } finally {
    await follower.stop()
  }
}

describe.skipIf(POSTGRES_SKIPPED)('following a PostgreSQL store from another process', () => {
  it(
    'is woken by NOTIFY, not a polling loop, and waitFor resolves on its own within a second',
    { timeout: 120_000 },
    async () => {
      const schema = `ketnap_follow_${process.pid}`
      const store = right(await openPostgresEventStore({ connectionString: POSTGRES_URL, schema })())
      try {
        const catchUps = await followWhileWriting(store, 'postgres', `${POSTGRES_URL}#${schema}`, 'notify')
        // One catch-up at the start and about one per import (6): woken, never looping.
        expect(catchUps).toBeLessThanOrEqual(1 + 6 + 2)
      } finally {
        await store.close()()
        const client = new pg.Client({ connectionString: POSTGRES_URL })
        await client.connect()
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await client.end()
      }
    },
  )
})

describe('following a SQLite file from another process', () => {
  it(
    'polls PRAGMA data_version, and waitFor resolves on its own within a second',
    { timeout: 120_000 },
    async () => {
      const file = join(dir, 'follow.db')
      const store = right(await openSqliteEventStore(file)())
      try {
        await followWhileWriting(store, 'sqlite', file, 'poll')
      } finally {
        await store.close()()
      }
    },
  )
})
