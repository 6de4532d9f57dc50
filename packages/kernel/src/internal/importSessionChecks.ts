/**
 * Conformance checks of a store's import session (`EventStore.beginImport`), for stores that offer one:
 * the session sees the log and its own writes, refuses envelopes that do not continue its head, leaves
 * nothing behind when rolled back, commits a chain that verifies, and other writes through the same
 * store object wait for it to end.
 * @internal
 */
import * as E from 'fp-ts/Either'
import { planAppend } from '../appendPlan'
import type { Envelope, NewEvent } from '../envelope'
import type { EventStore, ImportSession } from '../eventStore'
import { verifyChain } from '../hashChain'
import type { ConformanceCheck, ConformanceResult, StoreFactory } from './conformanceChecks'

const readLog = async (store: EventStore): Promise<Envelope[]> => {
  const log: Envelope[] = []
  for await (const batch of store.readAll()) {
    if (E.isLeft(batch)) throw new Error(JSON.stringify(batch.left))
    log.push(...batch.right)
  }
  return log
}

const right = <A>(x: E.Either<unknown, A>, what: string): A => {
  if (E.isLeft(x)) throw new Error(`${what}: ${JSON.stringify(x.left)}`)
  return x.right
}

const clock = { now: () => new Date('2024-06-01T00:00:00.000Z'), newId: () => 'unused' }

/** Plans events of one stream against a session's view (its head plus what the caller wrote). */
const plan = (
  session: ImportSession,
  head: { position: number; hash: string },
  versions: ReadonlyMap<string, number>,
  stream: string,
  events: ReadonlyArray<NewEvent>,
): ReadonlyArray<Envelope> =>
  right(
    planAppend(
      {
        head,
        lastRecordedAt: session.lastRecordedAt,
        streamVersion: (s) => versions.get(s) ?? 0,
        hasId: () => false,
      },
      [{ stream, events, expectedVersion: 'any' }],
      clock,
    ),
    'planning',
  ).envelopes

const event = (id: string): NewEvent => ({
  type: 'Counted',
  data: { id },
  id,
  recordedAt: '2024-06-01T00:00:00.000Z',
})

const sessionCheck = async (factory: StoreFactory): Promise<ConformanceResult> => {
  const { store, cleanup } = await factory()
  try {
    if (store.beginImport === undefined) return { ok: true }
    right(
      await store.appendBatch([{ stream: 'a', events: [event('a1'), event('a2')], expectedVersion: 0 }])(),
      'append',
    )
    const before = await readLog(store)
    const storeHead = right(await store.head()(), 'head')

    // A rolled back session: lookups see the log and the session's own writes; nothing is left behind.
    const first = right(await store.beginImport(), 'begin')
    if (first.head.position !== storeHead.position || first.head.hash !== storeHead.hash)
      return {
        ok: false,
        message: `the session began at ${JSON.stringify(first.head)}, the store is at ${JSON.stringify(storeHead)}`,
      }
    const seen = right(await first.lookup(['a', 'b'], ['a2', 'b1']), 'lookup')
    if (
      seen.versions.get('a') !== 2 ||
      seen.versions.get('b') !== 0 ||
      seen.events.get('a2')?.position !== 2 ||
      seen.events.has('b1')
    )
      return {
        ok: false,
        message: `the session's lookup read ${JSON.stringify([...seen.versions])} ${JSON.stringify([...seen.events.keys()])}`,
      }
    const chunk = plan(first, first.head, seen.versions, 'b', [event('b1'), event('b2')])
    right(await first.write(chunk), 'write')
    const own = right(await first.lookup(['b'], ['b2']), 'lookup after write')
    if (own.versions.get('b') !== 2 || own.events.get('b2')?.hash !== chunk[1]?.hash)
      return { ok: false, message: 'the session does not see its own writes' }
    // The store's reads see the committed log only.
    const uncommitted = right(await store.readPositions([2, 3, 4]), 'readPositions during the session')
    if (uncommitted.map((e) => e.position).join() !== '2')
      return {
        ok: false,
        message: `readPositions during the session read positions ${uncommitted.map((e) => e.position).join()}, not 2 alone`,
      }
    // An envelope that does not continue the head is refused.
    const stale = plan(first, first.head, seen.versions, 'c', [event('c1')])
    if (E.isRight(await first.write(stale)))
      return { ok: false, message: 'the session wrote an envelope that does not continue its head' }
    right(await first.rollback(), 'rollback')
    const afterRollback = await readLog(store)
    if (JSON.stringify(afterRollback) !== JSON.stringify(before))
      return { ok: false, message: 'a rolled back session left events behind' }

    // A committed session, while a plain append through the same store object waits for it.
    const second = right(await store.beginImport(), 'begin again')
    const versions = right(await second.lookup(['b'], []), 'lookup').versions
    const written = plan(second, second.head, versions, 'b', [event('b1'), event('b2'), event('b3')])
    right(await second.write(written.slice(0, 2)), 'write')
    const waiting = store.appendBatch([{ stream: 'd', events: [event('d1')], expectedVersion: 0 }])()
    right(await second.write(written.slice(2)), 'write')
    const committed = right(await second.commit(), 'commit')
    if (committed.position !== 5 || committed.hash !== written[2]?.hash)
      return { ok: false, message: `the commit gave head ${JSON.stringify(committed)}` }
    const after = right(await waiting, 'the append that waited')
    if (after.head.position !== 6)
      return { ok: false, message: `the waiting append landed at ${after.head.position}` }
    const log = await readLog(store)
    const verified = await verifyChain(log)
    if (!verified.ok) return { ok: false, message: `the chain after a session is broken: ${verified.reason}` }
    if (log.map((e) => e.id).join() !== 'a1,a2,b1,b2,b3,d1')
      return { ok: false, message: `the log after the session is ${log.map((e) => e.id).join()}` }
    return { ok: true }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  } finally {
    await store.close()()
    await cleanup?.()
  }
}

/** The import session checks (trivially passing for a store without sessions). @internal */
export const importSessionChecks: ReadonlyArray<ConformanceCheck> = [
  {
    name: 'an import session sees the log and its own writes, rolls back to nothing, commits a chain that verifies, and other writes wait for it',
    run: (factory) => sessionCheck(factory),
  },
]
