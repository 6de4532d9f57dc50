import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { createInMemoryEventStore, type InMemoryEventStore } from './inMemoryEventStore'
import type { Projection } from './projection'
import { createProjectionRunner } from './projectionRunner'
import { storedEventDecoder } from './writeState'
import { libraryDomain, type LibraryEvent } from './internal/toyLibrary'

/** Titles of the books added, and how many events `apply` was handed (to see what was refolded). */
const counting = (version = 1) => {
  const seen = { applied: 0 }
  const projection: Projection<{ titles: string[]; count: number }, LibraryEvent> = {
    name: 'titles',
    version,
    init: () => ({ titles: [], count: 0 }),
    apply: (state, event) => {
      seen.applied += 1
      state.count += 1
      if (event.type === 'BookAdded') state.titles.push(event.title)
      return state
    },
  }
  return { projection, seen }
}

/** The library's stored events, upcast and decoded once, as every runner of these tests reads them. */
const decode = storedEventDecoder(libraryDomain)

const addBooks = async (store: InMemoryEventStore, titles: ReadonlyArray<string>) => {
  const result = await store.appendBatch(
    titles.map((title, i) => ({
      stream: `book-${title}-${i}`,
      expectedVersion: 'any' as const,
      events: [{ type: 'BookAdded', data: { bookId: `${title}-${i}`, title }, schemaVersion: 2 }],
    })),
  )()
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left))
  return result.right.head.position
}

describe('createProjectionRunner', () => {
  it('reports a projection that throws as a value, and recovers from scratch on the next catch-up', async () => {
    const store = createInMemoryEventStore()
    const { projection } = counting()
    let failOn: string | null = 'b'
    const fragile: typeof projection = {
      ...projection,
      apply: (state, event, at) => {
        if (event.type === 'BookAdded' && event.title === failOn) throw new Error('boom')
        return projection.apply(state, event, at)
      },
    }
    const runner = createProjectionRunner(store, store, fragile, { decode })
    await addBooks(store, ['a', 'b'])
    const failed = await runner.catchUp()()
    expect(failed).toMatchObject(E.left({ code: 'projection-failed' }))
    failOn = null
    expect(await runner.catchUp()()).toMatchObject(
      E.right({ position: 2, state: { titles: ['a', 'b'], count: 2 } }),
    )
  })

  it('folds the log once, incrementally, and waits for a position without sleeping', async () => {
    const store = createInMemoryEventStore()
    const { projection, seen } = counting()
    const runner = createProjectionRunner(store, store, projection, { decode })
    await addBooks(store, ['a', 'b'])
    expect(await runner.catchUp()()).toMatchObject(E.right({ position: 2, state: { titles: ['a', 'b'] } }))
    const p = await addBooks(store, ['c'])
    expect(await runner.waitFor(p)()).toEqual(E.right({ titles: ['a', 'b', 'c'], count: 3 }))
    expect(seen.applied).toBe(3)
  })

  it('resolves a wait for a position beyond the head on a later catch-up', async () => {
    const store = createInMemoryEventStore()
    const runner = createProjectionRunner(store, store, counting().projection, { decode })
    let resolved = false
    const waiting = runner
      .waitFor(2)()
      .then((r) => {
        resolved = true
        return r
      })
    await runner.catchUp()()
    expect(resolved).toBe(false)
    await addBooks(store, ['a', 'b'])
    await runner.catchUp()()
    expect(await waiting).toMatchObject(E.right({ count: 2 }))
  })

  it('resumes from its snapshot after a restart, refolding only what came after', async () => {
    const store = createInMemoryEventStore()
    await addBooks(store, ['a', 'b', 'c', 'd', 'e'])
    const first = counting()
    await createProjectionRunner(store, store, first.projection, {
      decode,
      snapshotEvery: 2,
      batchSize: 2,
    }).catchUp()()
    expect(await store.loadCheckpoint('titles')()).toEqual(
      E.right({ name: 'titles', version: 1, position: 5 }),
    )
    await addBooks(store, ['f'])
    const second = counting()
    const resumed = await createProjectionRunner(store, store, second.projection, {
      decode,
      snapshotEvery: 2,
    }).catchUp()()
    expect(resumed).toMatchObject(
      E.right({ position: 6, rebuilt: false, state: { titles: ['a', 'b', 'c', 'd', 'e', 'f'] } }),
    )
    expect(second.seen.applied).toBe(2) // from the snapshot at 4
  })

  it('rebuilds from scratch when the projection version changed', async () => {
    const store = createInMemoryEventStore()
    await addBooks(store, ['a', 'b', 'c'])
    await createProjectionRunner(store, store, counting(1).projection, {
      decode,
      snapshotEvery: 1,
    }).catchUp()()
    const bumped = counting(2)
    const rebuilt = await createProjectionRunner(store, store, bumped.projection, {
      decode,
      snapshotEvery: 100,
    }).catchUp()()
    expect(rebuilt).toMatchObject(E.right({ position: 3, rebuilt: true, state: { count: 3 } }))
    expect(bumped.seen.applied).toBe(3)
    expect(await store.loadCheckpoint('titles')()).toMatchObject(E.right({ version: 2, position: 3 }))
    const again = counting(2)
    await createProjectionRunner(store, store, again.projection, { decode }).catchUp()()
    expect(again.seen.applied).toBe(0)
  })

  it('hands apply the decoded event, old schema versions upcast first', async () => {
    const store = createInMemoryEventStore()
    await store.append(
      'book-b1',
      [{ type: 'BookAdded', data: { bookId: 'b1', name: 'Old title' }, schemaVersion: 1 }],
      {
        expectedVersion: 0,
      },
    )()
    const runner = createProjectionRunner(store, store, counting().projection, { decode })
    expect(await runner.catchUp()()).toMatchObject(E.right({ state: { titles: ['Old title'] } }))
  })

  test.prop([
    fc.array(
      fc.record({
        titles: fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 4 }),
        restart: fc.boolean(),
        wait: fc.boolean(),
      }),
      { maxLength: 8 },
    ),
    fc.integer({ min: 1, max: 4 }),
  ])(
    'whatever the appends, restarts and waits, the state is the fold of the whole log',
    async (steps, snapshotEvery) => {
      const store = createInMemoryEventStore()
      let runner = createProjectionRunner(store, store, counting().projection, { decode, snapshotEvery })
      const all: string[] = []
      for (const step of steps) {
        const head = await addBooks(store, step.titles)
        all.push(...step.titles)
        if (step.restart)
          runner = createProjectionRunner(store, store, counting().projection, { decode, snapshotEvery })
        if (step.wait) expect(await runner.waitFor(head)()).toMatchObject(E.right({ titles: all }))
      }
      expect(await runner.catchUp()()).toMatchObject(E.right({ state: { titles: all, count: all.length } }))
    },
  )

  it('shares one catch-up between concurrent callers', async () => {
    const store = createInMemoryEventStore({ batchSize: 1 })
    await addBooks(store, ['a', 'b', 'c'])
    const { projection, seen } = counting()
    const runner = createProjectionRunner(store, store, projection, { decode })
    const results = await Promise.all([runner.catchUp()(), runner.catchUp()(), runner.waitFor(3)()])
    expect(results.map((r) => r._tag)).toEqual(['Right', 'Right', 'Right'])
    expect(seen.applied).toBe(3)
  })
})
