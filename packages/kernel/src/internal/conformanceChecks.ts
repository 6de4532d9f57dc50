/**
 * The checks of the store conformance suite, as plain functions returning a result (so that the kernel's
 * own tests can assert that they FAIL on deliberately broken stores); `conformance.ts` registers them
 * with vitest.
 * @internal
 */
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import type { Envelope } from '../envelope'
import type { EventStore } from '../eventStore'
import { verifyChain } from '../hashChain'
import { storeCommands } from './model-based/arbitraries'
import { expectThat, show, type RealStore, type StoreModel } from './model-based/model'

/**
 * Makes a fresh, empty store under test (and how to dispose of it). `reopen`, for a store kept outside
 * the process (a file, a server), opens another store object over the same storage, as another process
 * would: the checks of several writers, of followers and of read models caught up from two places use
 * it, and close what it opened.
 */
export type StoreFactory = () => Promise<{
  readonly store: EventStore
  readonly cleanup?: () => Promise<void>
  readonly reopen?: () => Promise<EventStore>
}>

/** Options of the conformance suite. */
export interface ConformanceOptions {
  /** Runs of each property; default 100 for the model and 50 for concurrent writers. */
  readonly numRuns?: number
  /** Replays a failure: the seed fast-check printed. */
  readonly seed?: number
  /** Replays a failure: the path fast-check printed. */
  readonly path?: string
}

/** The outcome of one conformance check: fast-check's report (with seed and path) when it failed. */
export type ConformanceResult = { readonly ok: true } | { readonly ok: false; readonly message: string }

/** One check of the conformance suite. */
export interface ConformanceCheck {
  readonly name: string
  readonly run: (factory: StoreFactory, options?: ConformanceOptions) => Promise<ConformanceResult>
}

const withStore = async <A>(factory: StoreFactory, body: (store: EventStore) => Promise<A>): Promise<A> => {
  const { store, cleanup } = await factory()
  try {
    return await body(store)
  } finally {
    await store.close()()
    await cleanup?.()
  }
}

const parameters = (
  options: ConformanceOptions | undefined,
  defaultRuns: number,
): fc.Parameters<unknown> => ({
  numRuns: options?.numRuns ?? defaultRuns,
  ...(options?.seed === undefined ? {} : { seed: options.seed }),
  ...(options?.path === undefined ? {} : { path: options.path }),
})

const checkProperty = async <T>(
  property: fc.IAsyncProperty<T>,
  params: fc.Parameters<T>,
): Promise<ConformanceResult> => {
  const details = await fc.check(property, params)
  if (!details.failed) return { ok: true }
  const error =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
  return { ok: false, message: `${error}\n\n${fc.defaultReportMessage(details) ?? 'property failed'}` }
}

/** Reads the whole log back (for checks on small logs only). */
const readLog = async (store: EventStore, batchSize: number): Promise<Envelope[]> => {
  const log: Envelope[] = []
  for await (const batch of store.readAll({ batchSize })) {
    expectThat(E.isRight(batch), () => `readAll failed: ${show(batch)}`)
    log.push(...batch.right)
  }
  return log
}

/** Random sequences of commands agree with the model, and the chain verifies after every run. */
const modelCheck: ConformanceCheck = {
  name: 'appends, batches, stream reads, readAll windows and the head agree with a model; the chain verifies',
  run: (factory, options) =>
    checkProperty(
      fc.asyncProperty(storeCommands(30), async (commands) => {
        await withStore(factory, async (store) => {
          const model: StoreModel = { log: [] }
          await fc.asyncModelRun(() => ({ model, real: { store } satisfies RealStore }), commands)
          const chain = await verifyChain(store.readAll({ batchSize: 4 }))
          expectThat(chain.ok, () => `verifyChain of readAll failed: ${show(chain)}`)
          const last = model.log.at(-1)
          expectThat(
            chain.head.position === (last?.position ?? 0) && chain.head.hash === (last?.hash ?? ''),
            () => `the chain ends at ${show(chain.head)}, the model at position ${last?.position ?? 0}`,
          )
        })
      }),
      parameters(options, 100),
    ),
}

/** Yields to other tasks a few times, so that writers interleave differently from run to run. */
const ticks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

/**
 * Writers race on one stream: in the first round all expect the same version and exactly one wins;
 * then each retries on conflict until its events are in. Nothing is lost or duplicated, each append stays
 * contiguous, and the versions of the winning appends are distinct.
 */
const concurrencyCheck: ConformanceCheck = {
  name: 'concurrent appends to one stream: exactly one writer per version wins, nothing lost or duplicated',
  run: (factory, options) =>
    checkProperty(
      fc.asyncProperty(
        fc.nat({ max: 3 }),
        fc.array(
          fc.record({
            events: fc.integer({ min: 1, max: 3 }),
            delays: fc.array(fc.nat({ max: 2 }), { maxLength: 6 }),
          }),
          {
            minLength: 2,
            maxLength: 6,
          },
        ),
        async (before, writers) => {
          await withStore(factory, async (store) => {
            const stream = 'race'
            if (before > 0) {
              const seeded = await store.append(
                stream,
                Array.from({ length: before }, (_, k) => ({ type: 'Seeded', data: k, id: `seed-${k}` })),
                { expectedVersion: 0 },
              )()
              expectThat(E.isRight(seeded), () => `seeding failed: ${show(seeded)}`)
            }
            const eventsOf = (w: number) =>
              Array.from({ length: writers[w]!.events }, (_, k) => ({
                type: 'Written',
                data: { w, k },
                id: `w${w}-${k}`,
              }))
            // Round one: everyone expects the same version.
            const first = await Promise.all(
              writers.map(async (writer, w) => {
                await ticks(writer.delays[0] ?? 0)
                return store.append(stream, eventsOf(w), { expectedVersion: before })()
              }),
            )
            const winners = first.filter(E.isRight)
            expectThat(
              winners.length === 1,
              () => `${winners.length} writers won version ${before}, expected exactly one`,
            )
            for (const r of first) {
              expectThat(
                E.isRight(r) || (r.left._tag === 'ConcurrencyError' && r.left.expectedVersion === before),
                () => `a losing writer got ${show(r)}, expected a ConcurrencyError`,
              )
            }
            // Then everyone retries (reading the version afresh) until its events are in.
            const wins = new Map<number, number>()
            await Promise.all(
              writers.map(async (writer, w) => {
                for (let attempt = 0; ; attempt++) {
                  expectThat(attempt < 100, () => `writer ${w} never got its events in`)
                  await ticks(writer.delays[attempt % Math.max(writer.delays.length, 1)] ?? 0)
                  const version = await store.streamVersion(stream)()
                  expectThat(E.isRight(version), () => `streamVersion failed: ${show(version)}`)
                  await ticks(writer.delays[(attempt + 1) % Math.max(writer.delays.length, 1)] ?? 0)
                  const r = await store.append(stream, eventsOf(w), { expectedVersion: version.right })()
                  if (E.isRight(r)) {
                    if (r.right.appended.length > 0) wins.set(w, version.right)
                    else
                      expectThat(
                        show(r.right.skipped) === show(eventsOf(w).map((e) => e.id)),
                        () => `writer ${w} retried and skipped ${show(r.right.skipped)}`,
                      )
                    return
                  }
                  expectThat(r.left._tag === 'ConcurrencyError', () => `writer ${w} got ${show(r)}`)
                }
              }),
            )
            const log = await readLog(store, 3)
            const read = await store.readStream(stream)()
            expectThat(E.isRight(read), () => `readStream failed: ${show(read)}`)
            const total = before + writers.reduce((n, wr) => n + wr.events, 0)
            expectThat(
              read.right.length === total,
              () => `the stream has ${read.right.length} events, expected ${total}`,
            )
            expectThat(
              read.right.every((e, i) => e.version === i + 1) && log.every((e, i) => e.position === i + 1),
              () =>
                `versions or positions have gaps: ${show(read.right.map((e) => [e.position, e.version]))}`,
            )
            expectThat(new Set(log.map((e) => e.id)).size === total, () => 'an id is stored twice')
            for (const [w, writer] of writers.entries()) {
              const mine = read.right.filter((e) => e.id.startsWith(`w${w}-`))
              expectThat(
                mine.length === writer.events &&
                  mine.every((e, k) => e.id === `w${w}-${k}` && e.version === mine[0]!.version + k),
                () =>
                  `writer ${w}'s append is not whole and contiguous: ${show(mine.map((e) => [e.version, e.id]))}`,
              )
              const won = wins.get(w)
              expectThat(
                won === undefined || mine[0]!.version === won + 1,
                () => `writer ${w} won version ${String(won)} but landed at ${mine[0]!.version}`,
              )
            }
            expectThat(new Set(wins.values()).size === wins.size, () => 'two writers won the same version')
            const chain = await verifyChain(log)
            expectThat(chain.ok, () => `verifyChain failed: ${show(chain)}`)
          })
        },
      ),
      parameters(options, 50),
    ),
}

/** Every check of the suite, in the order they are registered. */
export const eventStoreConformanceChecks: ReadonlyArray<ConformanceCheck> = [modelCheck, concurrencyCheck]

/** Runs every check against a store factory and gathers the results (without vitest). */
export const runEventStoreConformanceChecks = async (
  factory: StoreFactory,
  options?: ConformanceOptions,
): Promise<ReadonlyArray<{ readonly name: string; readonly result: ConformanceResult }>> => {
  const results: { name: string; result: ConformanceResult }[] = []
  for (const check of eventStoreConformanceChecks)
    results.push({ name: check.name, result: await check.run(factory, options) })
  return results
}
