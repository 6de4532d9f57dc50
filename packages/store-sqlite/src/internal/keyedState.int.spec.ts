/**
 * The write side's rows on SQLite, outside an import and inside one (its transaction): model-based,
 * against the kernel's in-memory keyed state. Random writes (resets, deletions, a description row that
 * must stand where the write expects it) and reads, first outside a session, then inside one that
 * commits or rolls back; every read agrees with the model, what the store keeps afterwards is the
 * model's, and the next session reads it.
 */
import * as E from 'fp-ts/Either'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { inMemoryKeyedState, KEYED_META_KEY, type KeyedStateStore, type KeyedWrite } from '@ketnap/kernel'
import { openSqliteEventStore } from '../sqliteEventStore'
import { tempDir } from './testing/files'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => {
  tmp.remove()
})

const SPACES = ['people', 'places'] as const
const KEYS = [KEYED_META_KEY, 'a', 'b', 'c', 'd', 'e'] as const

type Op =
  | { readonly kind: 'write'; readonly space: string; readonly write: KeyedWrite }
  | { readonly kind: 'read'; readonly space: string; readonly keys: ReadonlyArray<string> }

const bytesArb = fc.option(fc.uint8Array({ minLength: 1, maxLength: 6 }), { nil: null, freq: 4 })
const entryArb = fc.record({ key: fc.constantFrom(...KEYS), bytes: bytesArb })
const writeArb: fc.Arbitrary<Op> = fc
  .record({
    space: fc.constantFrom(...SPACES),
    reset: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
    expect: fc.option(fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), { nil: undefined, freq: 2 }),
    position: fc.integer({ min: 0, max: 4 }),
    entries: fc.array(entryArb, { maxLength: 5 }),
    tail: fc.array(entryArb, { maxLength: 2 }),
  })
  .map(({ space, reset, expect, position, entries, tail }) => ({
    kind: 'write' as const,
    space,
    write: {
      position,
      entries,
      ...(tail.length > 0 ? { tail } : {}),
      ...(reset ? { reset: true } : {}),
      ...(expect !== undefined ? { expectMeta: expect } : {}),
    },
  }))
const readArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('read' as const),
  space: fc.constantFrom(...SPACES),
  keys: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1 }),
})
const opsArb = fc.array(fc.oneof({ arbitrary: writeArb, weight: 3 }, { arbitrary: readArb, weight: 2 }), {
  maxLength: 25,
})

const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(JSON.stringify(either.left))
  return either.right
}

/** Runs the ops on the store's port and on the model; every answer must agree. */
const runBoth = async (
  ops: ReadonlyArray<Op>,
  real: KeyedStateStore,
  model: KeyedStateStore,
): Promise<void> => {
  for (const op of ops) {
    if (op.kind === 'read') {
      const got = right(await real.readKeyed(op.space, op.keys))
      const want = right(await model.readKeyed(op.space, op.keys))
      expect(new Map([...got].map(([k, r]) => [k, [r.position, [...r.bytes]]]))).toEqual(
        new Map([...want].map(([k, r]) => [k, [r.position, [...r.bytes]]])),
      )
    } else {
      // A tail is consumed once: each side gets its own copy.
      const copy = (w: KeyedWrite): KeyedWrite => ({ ...w, ...(w.tail ? { tail: [...w.tail] } : {}) })
      expect(right(await real.writeKeyed(op.space, copy(op.write)))).toBe(
        right(await model.writeKeyed(op.space, copy(op.write))),
      )
    }
  }
}

/** Every row of a space, as the model holds them. */
const everything = async (port: KeyedStateStore, space: string) =>
  [...right(await port.readKeyed(space, KEYS))].map(([k, r]) => [k, r.position, [...r.bytes]]).sort()

describe('the write side rows of a SQLite store', () => {
  it('read and write as the store itself, and are kept on commit and dropped on rollback', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(opsArb, opsArb, fc.boolean(), async (before, during, commits) => {
        const path = tmp.file(`staged-${run++}.db`)
        const store = right(await openSqliteEventStore(path)())
        try {
          const committed = inMemoryKeyedState()
          const inSession = inMemoryKeyedState()
          await runBoth(before, store.keyedState, committed)
          await runBoth(before, inMemoryKeyedState(), inSession)
          const begin = store.beginImport
          if (begin === undefined) throw new Error('the SQLite store has import sessions')
          const session = right(await begin())
          const staged = session.keyedState
          if (staged === undefined) throw new Error('the SQLite session keeps rows')
          await runBoth(during, staged, inSession)
          if (commits) right(await session.commit())
          else right(await session.rollback())
          const expected = commits ? inSession : committed
          for (const space of SPACES)
            expect(await everything(store.keyedState, space)).toEqual(await everything(expected, space))
          // The next session reads what the store keeps.
          const next = right(await begin())
          for (const space of SPACES)
            expect(await everything(next.keyedState ?? store.keyedState, space)).toEqual(
              await everything(expected, space),
            )
          right(await next.rollback())
        } finally {
          await store.close()
        }
      }),
      { numRuns: 60 },
    )
  })
})
