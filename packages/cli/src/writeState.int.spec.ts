/**
 * The write side's state kept beside the log (on real SQLite files, with the party development domain):
 * a large import saves the rules' state with the position and hash it reflects; a fresh process then
 * imports and executes from it, folding only the events after it (no replay of the log), and decides
 * exactly as a process that replayed everything; a saved state that no longer matches the log is
 * ignored.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { partyDevelopment, type Command } from '@ketnap/core'
import {
  createInMemoryEventStore,
  importJsonLines,
  KEYED_META_KEY,
  writeStateSpace,
  type EventStore,
  type ImportFailure,
  type ImportSummary,
  type ReadAllOptions,
  type StoreError,
} from '@ketnap/kernel'
import { createLedger, owner } from '@ketnap/ledger'
import { simulate } from '@ketnap/simulator'
import { openSqliteEventStore, type SqliteEventStore } from '@ketnap/store-sqlite'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'ketnap-write-state-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const now = () => new Date('2030-01-01T00:00:00Z')
const domain = partyDevelopment()
const space = writeStateSpace(domain)

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

/** The store, recording where each read of the log starts (to see whether the log was replayed). */
const watched = (store: SqliteEventStore): { store: EventStore; reads: number[] } => {
  const reads: number[] = []
  const proxy = new Proxy(store, {
    get: (target, key, receiver) =>
      key === 'readAll'
        ? (options?: ReadAllOptions) => {
            reads.push(options?.fromPosition ?? 1)
            return target.readAll(options)
          }
        : (Reflect.get(target, key, receiver) as unknown),
  })
  return { store: proxy, reads }
}

const open = async (file: string) => right(await openSqliteEventStore(join(dir, file), { now })())

/** The description row of the kept state: its position and content. */
const metaOf = async (store: SqliteEventStore) => {
  const row = right(await store.keyedState.readKeyed(space, [KEYED_META_KEY])).get(KEYED_META_KEY)
  if (row === undefined) throw new Error('no kept state')
  return { position: row.position, meta: deserialize(row.bytes) as Record<string, unknown> }
}

/** Replaces the description row's content (the rows stay). */
const rewriteMeta = async (store: SqliteEventStore, change: Record<string, unknown>) => {
  const { position, meta } = await metaOf(store)
  const bytes = serialize({ ...meta, ...change })
  right(await store.keyedState.writeKeyed(space, { position, entries: [{ key: KEYED_META_KEY, bytes }] }))
}

// A tiny simulated history: 10,570 events, enough to be worth saving the state after its import.
const history = [...simulate({ scale: 'tiny' })]
const rating: Command = {
  kind: 'RateOrganization',
  orgId: 'tu-mau',
  year: 2029,
  rating: 'good',
  on: '2029-12-20',
}
const village = JSON.stringify({
  type: 'VillageRegistered',
  data: { villageId: 'v-after-snapshot', name: 'Thôn mới', unitId: '', on: '2029-12-01' },
  recordedAt: '2029-12-30T00:00:00Z',
})

let headAfterImport = 0
beforeAll(async () => {
  const store = await open('saved.db')
  const ledger = createLedger({ store, domain, now })
  headAfterImport = right(await ledger.importEvents(history, owner())()).head.position
  await store.close()()
})

describe('the write state kept beside the log', () => {
  it('a large import keeps the rules’ state with the head it reflects', async () => {
    const store = await open('saved.db')
    // Its description (version, the head's hash, the organization tree) and rows by key, all at the head.
    const { position, meta } = await metaOf(store)
    expect(position).toBe(headAfterImport)
    expect(meta['version']).toBe(domain.validator.stateVersion)
    const rows = right(await store.keyedState.readKeyed(space, ['d:org-tu-mau']))
    expect(rows.get('d:org-tu-mau')?.position).toBe(headAfterImport)
    await store.close()()
  })

  it('a fresh process executes from it without replaying the log, as one that replayed everything', async () => {
    copyFileSync(join(dir, 'saved.db'), join(dir, 'replayed.db'))
    // The copy without its saved state: that process replays the log.
    const plain = await open('replayed.db')
    await rewriteMeta(plain, { version: -1 })
    const replayedLedger = createLedger({ store: plain, domain, now })
    const replayed = await replayedLedger.execute(rating, owner('tu-mau'))()

    const saved = watched(await open('saved.db'))
    const ledger = createLedger({ store: saved.store, domain, now })
    const executed = await ledger.execute(rating, owner('tu-mau'))()
    if (E.isLeft(executed)) throw new Error(JSON.stringify(executed.left))
    // Reads start at the saved state's last event (its hash is checked) or after it, never at the start.
    expect(saved.reads).toEqual(saved.reads.filter((from) => from >= headAfterImport))
    // The same decision, on an organization's stream written long before the saved state.
    expect(right(executed).map((e) => [e.stream, e.version, e.type])).toEqual(
      right(replayed).map((e) => [e.stream, e.version, e.type]),
    )
    // A rule that needs the old state still holds: the same rating again is refused by both.
    const again = await ledger.execute(rating, owner('tu-mau'))()
    const againReplayed = await replayedLedger.execute(rating, owner('tu-mau'))()
    expect(E.isLeft(again) && 'code' in again.left ? again.left.code : 'accepted').toBe(
      E.isLeft(againReplayed) && 'code' in againReplayed.left ? againReplayed.left.code : 'accepted',
    )
    await plain.close()()
    await (saved.store as SqliteEventStore).close()()
  })

  it('a fresh process imports from it without replaying the log, and its rules still see the old state', async () => {
    const saved = watched(await open('saved.db'))
    const ledger = createLedger({ store: saved.store, domain, now })
    // A village in a unit that does not exist: refused by a rule that reads the saved state.
    const refused = await ledger.importEvents([village], owner())()
    expect(E.isLeft(refused) && refused.left._tag === 'ImportFailure').toBe(true)
    // Reads start at the saved state's last event (its hash is checked) or after it, never at the start.
    expect(saved.reads).toEqual(saved.reads.filter((from) => from >= headAfterImport))
    await (saved.store as SqliteEventStore).close()()
  })

  it('a saved state that no longer matches the log is ignored: the log is replayed', async () => {
    copyFileSync(join(dir, 'saved.db'), join(dir, 'stale.db'))
    const store = await open('stale.db')
    // The same state claiming another event's hash.
    await rewriteMeta(store, { hash: '0'.repeat(64) })
    await store.close()()
    const stale = watched(await open('stale.db'))
    const ledger = createLedger({ store: stale.store, domain, now })
    expect(E.isRight(await ledger.execute(rating, owner('tu-mau'))())).toBe(true)
    expect(stale.reads).toContain(1)
    await (stale.store as SqliteEventStore).close()()
  })
})

/**
 * For the first `count` persons (in the order the log names them) whose stream's last event is dated after
 * the one before it: that earlier event again, as a new line (no recordedAt: the import's time).
 */
const earlierInStream = (lines: ReadonlyArray<string>, count: number): string[] => {
  const byPerson = new Map<string, Array<{ type: string; data: { personId: string; on: string } }>>()
  for (const line of lines) {
    const e = JSON.parse(line) as { type: string; data: { personId?: string; on: string } }
    const personId = e.data.personId
    if (personId === undefined || e.type === 'VillageHeadAppointed') continue
    const events = byPerson.get(personId) ?? []
    events.push({ type: e.type, data: { ...e.data, personId } })
    byPerson.set(personId, events)
  }
  const picked: string[] = []
  for (const events of byPerson.values()) {
    const [before, lastOne] = events.slice(-2)
    if (before === undefined || lastOne === undefined || before.data.on >= lastOne.data.on) continue
    picked.push(JSON.stringify(before))
    if (picked.length === count) break
  }
  return picked
}

/** An import's answer without the store: what was written, or each refused line's number and code. */
const answerOf = (result: E.Either<ImportFailure | StoreError, ImportSummary>): unknown =>
  E.isRight(result)
    ? result.right
    : result.left._tag === 'ImportFailure'
      ? result.left.errors.map((e) => `${e.line} ${e.code}`)
      : result.left._tag

describe('a write side whose cache holds a few entries', () => {
  it('imports the same log as one holding the state whole, and refuses the same lines after it', async () => {
    // The tiny history, then its first 2,000 lines again (duplicates, and lines before the log's clock),
    // then, for persons whose records the small cache dropped long ago, an event of theirs dated before
    // the last date of their stream (date-order, read from the record kept as a row).
    const files = [
      history.join('\n'),
      history.slice(0, 2000).join('\n'),
      earlierInStream(history, 20).join('\n'),
    ]
    const ids = () => {
      let n = 0
      return () => `id-${++n}`
    }
    const whole = createInMemoryEventStore({ now })
    const keyed = await open('small-cache.db')
    const [wholeIds, keyedIds] = [ids(), ids()]
    for (const file of files) {
      const expected = await importJsonLines(whole, domain, file, { now, newId: wholeIds })()
      const actual = await importJsonLines(keyed, domain, file, { now, newId: keyedIds, cacheEntries: 64 })()
      expect(answerOf(actual)).toEqual(answerOf(expected))
    }
    const last = answerOf(
      await importJsonLines(keyed, domain, files[2]!, { now, newId: keyedIds, cacheEntries: 64 })(),
    )
    for (let line = 1; line <= 20; line++) expect(last).toContain(`${line} date-order`)
    // Its rows stand where its description does, at the head.
    const { position } = await metaOf(keyed)
    expect(position).toBe(right(await keyed.head()()).position)
    await keyed.close()()
  })
})
