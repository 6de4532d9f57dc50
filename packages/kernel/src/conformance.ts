/**
 * @ketnap/kernel/conformance: the contract suite every EventStore adapter runs with one call.
 *
 *     runEventStoreConformance('sqlite', async () => { const store = ...; return { store, cleanup } })
 *
 * Model-based tests (fast-check `fc.commands` / `fc.asyncModelRun`) of random sequences of appends (right
 * and wrong expected versions, duplicate ids, several streams, batches, groups of independent batches in
 * one transaction, backwards and zoned instants), stream reads, readAll windows with knownAt, and the
 * head, checked against a simple model; a hash chain check after every run; writers racing on one stream;
 * import sessions; for a store that keeps the log's tree (`readTree`), that its rows and the roots and
 * proofs from them equal those recomputed from the log; and, for a store that keeps the write side's
 * keyed state (`keyedState`), its rows, and that a keyed write side with a tiny cache decides as one
 * holding the state whole; for a store that keeps subjects' keys (`keyStore`), their port and keyring;
 * checkpoints, snapshots, a closed store and the head watch that wakes followers; and read models kept
 * caught up by two store objects at once (the factory's `reopen`: another store object over the same
 * storage, as another process holds) and during an import session.
 * The checks are also exported as functions
 * returning a result, to run them without vitest or to assert that a broken store fails them.
 */
import { describe, expect, it } from 'vitest'
import {
  eventStoreConformanceChecks,
  type ConformanceOptions,
  type StoreFactory,
} from './internal/conformanceChecks'
import { importSessionChecks } from './internal/importSessionChecks'
import { readModelChecks } from './internal/readModelChecks'
import { readModelConcurrencyChecks } from './internal/readModelConcurrencyChecks'
import { storePortChecks } from './internal/storePortChecks'
import { keyedStateChecks } from './internal/keyedStateChecks'
import { keyStoreChecks } from './internal/keyStoreChecks'
import { storedTreeChecks } from './internal/storedTreeChecks'

export { eventStoreConformanceChecks, runEventStoreConformanceChecks } from './internal/conformanceChecks'
/**
 * The toy domain the kernel proves itself with, a lending library (its report: loans per member, from a
 * projection and a read model of its own): for the tests of code that must work for any domain.
 */
export {
  libraryDomain,
  keyedLibraryDomain,
  type LibraryEvent,
  type LibraryReportName,
  type LoansQuery,
  type LoansReport,
} from './internal/toyLibrary'
export type {
  ConformanceCheck,
  ConformanceOptions,
  ConformanceResult,
  StoreFactory,
} from './internal/conformanceChecks'

/** Registers the store conformance suite with vitest (`describe`/`it`), one test per check. */
export const runEventStoreConformance = (
  name: string,
  factory: StoreFactory,
  options?: ConformanceOptions,
): void => {
  describe(`EventStore conformance: ${name}`, () => {
    for (const check of [
      ...eventStoreConformanceChecks,
      ...importSessionChecks,
      ...storedTreeChecks,
      ...keyedStateChecks,
      ...keyStoreChecks,
      ...readModelChecks,
      ...readModelConcurrencyChecks,
      ...storePortChecks,
    ]) {
      it(check.name, async () => {
        const result = await check.run(factory, options)
        if (!result.ok) expect.fail(result.message)
      })
    }
  })
}
