import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { createInMemoryEventStore } from './inMemoryEventStore'
import { readWindow } from './readWindow'

describe('readWindow', () => {
  it('normalizes a good window', () => {
    expect(readWindow({ fromPosition: -3, knownAt: '2021-01-01T07:00:00+07:00' }, 100)).toEqual(
      E.right({
        fromPosition: 1,
        toPosition: undefined,
        knownAt: '2021-01-01T00:00:00.000Z',
        batchSize: 100,
      }),
    )
  })

  it.each([
    [{ fromPosition: 2.5 }, 'invalid-read-window'],
    [{ toPosition: Number.NaN }, 'invalid-read-window'],
    [{ batchSize: 0 }, 'invalid-batch-size'],
    [{ batchSize: 1.5 }, 'invalid-batch-size'],
    [{ knownAt: 'yesterday' }, 'invalid-instant'],
  ])('refuses %o with %s', (options, code) => {
    expect(readWindow(options, 100)).toMatchObject(E.left({ code }))
  })

  it('is what the in-memory store answers a bad window with', async () => {
    const batches = []
    for await (const batch of createInMemoryEventStore().readAll({ fromPosition: 2.5 })) batches.push(batch)
    expect(batches).toMatchObject([E.left({ code: 'invalid-read-window' })])
  })
})
