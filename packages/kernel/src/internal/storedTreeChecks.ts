/**
 * Conformance checks of a store's stored tree (`EventStore.readTree`), for stores that keep one: after
 * random appends, groups of requests and import sessions (committed or rolled back), the stored subtrees
 * are exactly those recomputed from the log, roots and proofs from them equal those of the full
 * computation, and a rolled back import leaves no subtree behind.
 * @internal
 */
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { planAppend } from '../appendPlan'
import type { Envelope, NewEvent } from '../envelope'
import type { EventStore } from '../eventStore'
import { eventLeafHash } from '../logTree'
import { consistencyRanges, inclusionRanges, rootOf, sameHash, subtreesOf } from '../merkle'
import type { SubtreeKey } from '../eventStore'
import { storedSubtreeKeys, storedTreeHashes } from '../storedTree'
import type {
  ConformanceCheck,
  ConformanceOptions,
  ConformanceResult,
  StoreFactory,
} from './conformanceChecks'

/** One write of the scenario: how many events, and how. */
interface Write {
  readonly via: 'append' | 'batches' | 'import' | 'rolled-back import'
  readonly count: number
}

const writeArbitrary: fc.Arbitrary<Write> = fc.record({
  via: fc.constantFrom('append', 'batches', 'import', 'rolled-back import'),
  count: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 100, max: 700 })),
})

const fail = (message: string): never => {
  throw new Error(message)
}

const right = <A>(x: E.Either<unknown, A>, what: string): A =>
  E.isLeft(x) ? fail(`${what}: ${JSON.stringify(x.left)}`) : x.right

const readLog = async (store: EventStore): Promise<Envelope[]> => {
  const log: Envelope[] = []
  for await (const batch of store.readAll()) log.push(...right(batch, 'readAll'))
  return log
}

const clock = { now: () => new Date('2024-06-01T00:00:00.000Z'), newId: () => 'unused' }

const eventsOf = (prefix: string, count: number): NewEvent[] =>
  Array.from({ length: count }, (_, k) => ({ type: 'Counted', data: k, id: `${prefix}-${k}` }))

/** Writes one step; the number of events a rolled back import would have added (else 0). */
const perform = async (store: EventStore, write: Write, step: number): Promise<number> => {
  const events = eventsOf(`w${step}`, write.count)
  if (write.via === 'append') {
    right(await store.append(`s${step % 3}`, events, { expectedVersion: 'any' })(), 'append')
    return 0
  }
  if (write.via === 'batches') {
    const half = Math.ceil(events.length / 2)
    const answers = await store.appendBatches([
      [{ stream: `a${step}`, events: events.slice(0, half), expectedVersion: 0 }],
      [{ stream: `b${step}`, events: events.slice(half), expectedVersion: 0 }],
    ])()
    for (const a of answers) right(a, 'appendBatches')
    return 0
  }
  if (store.beginImport === undefined) {
    if (write.via === 'import')
      right(await store.append(`i${step}`, events, { expectedVersion: 'any' })(), 'append')
    return 0
  }
  const session = right(await store.beginImport(), 'beginImport')
  let head = session.head
  // Written in chunks, as the importer writes them.
  for (let i = 0; i < events.length; i += 97) {
    const chunk = right(
      planAppend(
        {
          head,
          lastRecordedAt: session.lastRecordedAt,
          streamVersion: () => 0,
          hasId: () => false,
        },
        [{ stream: `i${step}-${i}`, events: events.slice(i, i + 97), expectedVersion: 'any' }],
        clock,
      ),
      'planning',
    ).envelopes
    right(await session.write(chunk), 'session write')
    const last = chunk[chunk.length - 1]
    if (last !== undefined) head = { position: last.position, hash: last.hash }
  }
  if (write.via === 'import') {
    right(await session.commit(), 'commit')
    return 0
  }
  right(await session.rollback(), 'rollback')
  return events.length
}

const keyText = (k: SubtreeKey): string => `${k.height}:${k.index}`

const check = async (store: EventStore, writes: ReadonlyArray<Write>, pick: number): Promise<void> => {
  const readTree = store.readTree
  if (readTree === undefined) return
  for (const [step, write] of writes.entries()) {
    const before = right(await store.headPosition()(), 'headPosition')
    const discarded = await perform(store, write, step)
    if (discarded > 0) {
      // Nothing the rolled back import completed is stored.
      const have = new Set(storedSubtreeKeys(before).map(keyText))
      const extra = storedSubtreeKeys(before + discarded).filter((k) => !have.has(keyText(k)))
      const read = right(await readTree({ subtrees: extra, leaves: [] }), 'readTree')
      const left = extra.filter((_, i) => read.subtrees[i] !== undefined)
      if (left.length > 0) fail(`a rolled back import left subtrees ${left.map(keyText).join(', ')} behind`)
    }
  }
  const log = await readLog(store)
  const leaves = log.map((e) => eventLeafHash(e.hash))
  const all = subtreesOf(leaves)
  const keys = storedSubtreeKeys(log.length)
  const stored = right(await readTree({ subtrees: keys, leaves: [] }), 'readTree')
  for (const [i, key] of keys.entries()) {
    const width = 2 ** key.height
    const hash = stored.subtrees[i]
    if (
      hash === undefined ||
      !sameHash(hash, all({ start: key.index * width, end: (key.index + 1) * width }))
    )
      fail(
        `the stored subtree ${keyText(key)} of a log of ${log.length} is ${hash === undefined ? 'missing' : 'wrong'}`,
      )
  }
  const beyond = right(
    await readTree({ subtrees: [{ height: 8, index: Math.floor(log.length / 256) }], leaves: [] }),
    'readTree',
  )
  if (beyond.subtrees[0] !== undefined) fail(`a subtree beyond the log of ${log.length} is stored`)
  const n = log.length
  if (n === 0) return
  const size1 = 1 + (pick % n)
  const index = (pick * 7919) % size1
  const ranges = [...inclusionRanges(index, n), ...consistencyRanges(size1, n)]
  const fast = right(await storedTreeHashes(readTree, { sizes: [size1, n], ranges }), 'storedTreeHashes')
  if (fast === null) return fail(`the store has no stored hashes for a log of ${n}`)
  const expected = [rootOf(leaves.slice(0, size1)), rootOf(leaves), ...ranges.map(all)]
  const got = [fast.roots.get(size1), fast.roots.get(n), ...fast.ranges]
  if (!expected.every((h, i) => got[i] !== undefined && sameHash(h, got[i] as Uint8Array)))
    fail(`roots or proofs from stored subtrees differ from the full computation (sizes ${size1}, ${n})`)
}

const run = async (factory: StoreFactory, options?: ConformanceOptions): Promise<ConformanceResult> => {
  const details = await fc.check(
    fc.asyncProperty(
      fc.array(writeArbitrary, { minLength: 1, maxLength: 6 }),
      fc.nat(),
      async (writes, pick) => {
        const { store, cleanup } = await factory()
        try {
          await check(store, writes, pick)
        } finally {
          await store.close()()
          await cleanup?.()
        }
      },
    ),
    {
      numRuns: Math.min(options?.numRuns ?? 8, 8),
      ...(options?.seed === undefined ? {} : { seed: options.seed }),
      ...(options?.path === undefined ? {} : { path: options.path }),
    },
  )
  if (!details.failed) return { ok: true }
  const error =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
  return { ok: false, message: `${error}\n\n${fc.defaultReportMessage(details) ?? 'property failed'}` }
}

/** The stored tree checks (trivially passing for a store that keeps no tree). @internal */
export const storedTreeChecks: ReadonlyArray<ConformanceCheck> = [
  {
    name: 'the stored tree holds every complete subtree of the log as recomputed, gives the same roots and proofs, and a rolled back import leaves none',
    run,
  },
]
