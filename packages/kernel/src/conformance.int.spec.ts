import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import { planAppend } from './appendPlan'
import { eventStoreConformanceChecks, runEventStoreConformanceChecks, type StoreFactory } from './conformance'
import { makeInMemoryEventStore, type InMemoryFaults } from './inMemoryEventStore'

/** Deliberately broken in-memory stores: the suite must fail each of them. */
const brokenStores: ReadonlyArray<[string, InMemoryFaults]> = [
  ['loses an event (position 3 never reads back)', { read: (log) => log.filter((e) => e.position !== 3) }],
  [
    'reorders the log (positions 2 and 3 read swapped)',
    { read: (log) => (log.length < 3 ? log : [log[0]!, log[2]!, log[1]!, ...log.slice(3)]) },
  ],
  [
    'leaves a gap in positions (skips position 3)',
    {
      plan: (view, batch, clock) =>
        pipe(
          planAppend(view, batch, clock),
          E.map((plan) => ({
            ...plan,
            envelopes: plan.envelopes.map((e) => (e.position >= 3 ? { ...e, position: e.position + 1 } : e)),
          })),
        ),
    },
  ],
  [
    'accepts a stale expected version',
    {
      plan: (view, batch, clock) =>
        planAppend(
          view,
          batch.map((p) => ({ ...p, expectedVersion: 'any' as const })),
          clock,
        ),
    },
  ],
  [
    'stores a duplicate id (forgets the ids of earlier appends)',
    { plan: (view, batch, clock) => planAppend({ ...view, hasId: () => false }, batch, clock) },
  ],
]

const factoryOf =
  (faults: InMemoryFaults): StoreFactory =>
  () =>
    Promise.resolve({ store: makeInMemoryEventStore({ batchSize: 2 }, faults) })

describe('the store conformance suite', () => {
  it('passes the in-memory store', async () => {
    const results = await runEventStoreConformanceChecks(factoryOf({}), { numRuns: 30 })
    expect(results.map((r) => r.result)).toEqual(eventStoreConformanceChecks.map(() => ({ ok: true })))
  })

  it.each(brokenStores)('fails a store that %s', async (_what, faults) => {
    const results = await runEventStoreConformanceChecks(factoryOf(faults), { numRuns: 200 })
    const failed = results.filter((r) => !r.result.ok)
    expect(failed.length).toBeGreaterThan(0)
    // The report carries the seed and path to replay the failure.
    for (const { result } of failed) expect(!result.ok && result.message).toMatch(/seed/)
  })

  it('names the broken rule in its report', async () => {
    const [model] = eventStoreConformanceChecks
    const result = await model!.run(factoryOf(brokenStores[3]![1]), { numRuns: 200 })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.message).toMatch(/should fail with ConcurrencyError/)
  })
})
