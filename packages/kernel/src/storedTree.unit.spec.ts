import { createHash } from 'node:crypto'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect } from 'vitest'
import type { ReadTree } from './eventStore'
import { eventLeafHash } from './logTree'
import { consistencyRanges, inclusionRanges, rootOf, subtreesOf } from './merkle'
import {
  completedSubtrees,
  createSubtreeBuilder,
  frontierReads,
  storedSubtreeKeys,
  storedTreeHashes,
  STORED_BLOCK_SIZE,
  type StoredSubtree,
} from './storedTree'

const eventHash = (i: number): string => createHash('sha256').update(`event ${i}`).digest('hex')
const hashesOf = (n: number): string[] => Array.from({ length: n }, (_, i) => eventHash(i))
const keyOf = (s: { height: number; index: number }): string => `${s.height}:${s.index}`

/** Writes a log in the given chunk sizes, as a store does, and keeps the rows it would insert. */
const written = (chunks: ReadonlyArray<number>): { log: string[]; rows: Map<string, StoredSubtree> } => {
  const log: string[] = []
  const rows = new Map<string, StoredSubtree>()
  for (const n of chunks) {
    const size = log.length
    const reads = frontierReads(size)
    const frontier = {
      subtrees: reads.subtrees.map((k) => (rows.get(keyOf(k)) as StoredSubtree).hash),
      leaves: log.slice(reads.leaves.start, reads.leaves.end),
    }
    const added = hashesOf(size + n).slice(size)
    const completed = completedSubtrees(size, frontier, added)
    if (E.isLeft(completed)) throw new Error(completed.left)
    for (const row of completed.right) rows.set(keyOf(row), row)
    log.push(...added)
  }
  return { log, rows }
}

const readTreeOf =
  (log: ReadonlyArray<string>, rows: ReadonlyMap<string, StoredSubtree>): ReadTree =>
  (request) =>
    Promise.resolve(
      E.right({
        subtrees: request.subtrees.map((k) => rows.get(keyOf(k))?.hash),
        leaves: request.leaves.map((r) => log.slice(r.start, r.end)),
      }),
    )

const chunks = fc.array(fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 200, max: 1200 })), {
  maxLength: 8,
})

describe('the stored tree', () => {
  test.prop([chunks], { numRuns: 25, seed: 9162 })(
    'the rows written chunk by chunk are every complete subtree, hashed as from the whole log',
    (sizes) => {
      const { log, rows } = written(sizes)
      const leaves = log.map(eventLeafHash)
      const keys = storedSubtreeKeys(log.length)
      expect([...rows.keys()].sort()).toEqual(keys.map(keyOf).sort())
      const all = subtreesOf(leaves)
      for (const k of keys) {
        const width = 2 ** k.height
        expect(rows.get(keyOf(k))?.hash).toEqual(all({ start: k.index * width, end: (k.index + 1) * width }))
      }
      const builder = createSubtreeBuilder()
      if (E.isLeft(builder)) throw new Error(builder.left)
      const filled = log.flatMap((h) => builder.right.push(h))
      expect(filled.map(keyOf).sort()).toEqual(keys.map(keyOf).sort())
    },
  )

  test.prop([chunks.filter((c) => c.reduce((a, b) => a + b, 0) > 0), fc.nat(), fc.nat()], {
    numRuns: 25,
    seed: 6962,
  })('roots and proofs from stored rows equal those computed from every leaf', async (sizes, a, b) => {
    const { log, rows } = written(sizes)
    const leaves = log.map(eventLeafHash)
    const n = log.length
    const size1 = 1 + (a % n)
    const index = b % size1
    const ranges = [...inclusionRanges(index, n), ...consistencyRanges(size1, n)]
    const got = await storedTreeHashes(readTreeOf(log, rows), { sizes: [size1, n], ranges })
    if (E.isLeft(got) || got.right === null) throw new Error('no stored hashes')
    expect(got.right.roots.get(n)).toEqual(rootOf(leaves))
    expect(got.right.roots.get(size1)).toEqual(rootOf(leaves.slice(0, size1)))
    expect(got.right.ranges).toEqual(ranges.map(subtreesOf(leaves)))
  })

  test.prop([fc.integer({ min: STORED_BLOCK_SIZE, max: 3000 })], { numRuns: 10, seed: 1 })(
    'a missing row or a size beyond the log gives null, for the caller to read the log',
    async (n) => {
      const { log, rows } = written([n])
      const missing = new Map([...rows].filter(([key]) => key !== '8:0'))
      expect(await storedTreeHashes(readTreeOf(log, missing), { sizes: [STORED_BLOCK_SIZE] })).toEqual(
        E.right(null),
      )
      expect(await storedTreeHashes(readTreeOf(log, rows), { sizes: [n + 1] })).toEqual(E.right(null))
    },
  )
})
