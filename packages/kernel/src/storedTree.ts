/**
 * The log's tree kept with the log: the hashes of its complete, aligned subtrees of 2^STORED_TREE_HEIGHT
 * leaves and more (every block of 256 leaves, then 512, ...; about n/128 rows for n events), written by a
 * store in the same transaction as the events that complete them. With them a root or a proof reads
 * O(log n) rows instead of the whole log: the stored subtrees it covers, and the event hashes of at most
 * a few ranges shorter than a block.
 *
 * The hashing is here, once: a store only reads and writes rows. On a write it asks `frontierReads` what
 * to read (the stored subtrees and the leaves of the last incomplete block that the tree so far ends
 * with), then `completedSubtrees` gives the rows to insert. A reader asks `storedTreeHashes` for roots
 * and proof hashes, through the store's `readTree`. Stored subtrees are a cache of the events' hashes:
 * nothing that checks a log (`auditLog`, `verify --checkpoint`) trusts them.
 */
import * as crypto from 'node:crypto'
import * as E from 'fp-ts/Either'
import type { StoreError } from './errors'
import type { ReadTree, SubtreeKey } from './eventStore'
import { eventLeafHash } from './logTree'
import { emptyRoot, MERKLE_HASH_SIZE, nodeHash, rootOf, type LeafRange, type MerkleHash } from './merkle'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/** The height of the smallest stored subtrees: blocks of 2^8 = 256 leaves. */
export const STORED_TREE_HEIGHT = 8

/** The leaves of the smallest stored subtree (2^STORED_TREE_HEIGHT). */
export const STORED_BLOCK_SIZE = 2 ** STORED_TREE_HEIGHT

/** A stored subtree: its key and its hash (RFC 9162 MTH of its leaves). */
export interface StoredSubtree extends SubtreeKey {
  readonly hash: MerkleHash
}

/** What the rows to insert after a write are computed from: the tree as it stood before the write. */
export interface FrontierReads {
  /** The stored subtrees the tree of `size` leaves ends with (largest first). */
  readonly subtrees: ReadonlyArray<SubtreeKey>
  /** The leaves of its last incomplete block (empty when `size` is a multiple of the block). */
  readonly leaves: LeafRange
}

// -------------------------------------------------------------------------------------------------
// writing
// -------------------------------------------------------------------------------------------------

/** Whether appending `count` leaves to a tree of `size` completes a stored subtree (else nothing to write). */
export const completesSubtree = (size: number, count: number): boolean =>
  Math.floor((size + count) / STORED_BLOCK_SIZE) > Math.floor(size / STORED_BLOCK_SIZE)

/**
 * What a store reads before computing the subtrees a write completes: the perfect subtrees that the tree
 * of `size` leaves decomposes into, at and above the stored height, and the leaves below it.
 */
export const frontierReads = (size: number): FrontierReads => {
  const subtrees: SubtreeKey[] = []
  let start = 0
  for (let height = Math.floor(Math.log2(Math.max(size, 1))) + 1; height >= STORED_TREE_HEIGHT; height--) {
    const width = 2 ** height
    if (start + width <= size) {
      subtrees.push({ height, index: start / width })
      start += width
    }
  }
  return { subtrees, leaves: { start, end: size } }
}

// The builder runs on every imported event: the same hashes as `eventLeafHash` and `nodeHash`, with one
// input buffer reused and each digest kept as a 32-character binary string (one byte per character),
// which is written back into the next input by a plain copy: a digest as a Buffer is a native
// allocation per hash, two per event, and took twice the time of the hash it held. The unit tests
// check them against merkle.ts.
const leafInput = Buffer.alloc(1 + MERKLE_HASH_SIZE)
const nodeInput = Buffer.alloc(1 + 2 * MERKLE_HASH_SIZE, 1)

// One-shot `crypto.hash` (Node 20.12 and later) where there is one: no Hash object per call.
const digest: (input: Buffer) => string =
  typeof crypto.hash === 'function'
    ? (input) => crypto.hash('sha256', input, 'binary')
    : (input) => crypto.createHash('sha256').update(input).digest('binary')

/** Whether a text is 64 lowercase hex digits (as every sealed hash is), without a regular expression. */
const isHexHash = (s: string): boolean => {
  if (s.length !== 2 * MERKLE_HASH_SIZE) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    // 0-9, a-f
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false
  }
  return true
}

/** A hash as a binary string (one byte per character). */
const binaryOf = (hash: Uint8Array): string =>
  Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('binary')

/** A binary string as a hash. */
const bytesOf = (binary: string): MerkleHash => new Uint8Array(Buffer.from(binary, 'binary'))

const quickLeafHash = (eventHash: string): string => {
  if (!isHexHash(eventHash)) return binaryOf(eventLeafHash(eventHash))
  leafInput.write(eventHash, 1, 'hex')
  return digest(leafInput)
}

const quickNodeHash = (left: string, right: string): string => {
  nodeInput.write(left, 1, 'binary')
  nodeInput.write(right, 1 + MERKLE_HASH_SIZE, 'binary')
  return digest(nodeInput)
}

/** What a push that completes no stored subtree returns (most of them). */
const NOTHING_COMPLETED: ReadonlyArray<StoredSubtree> = Object.freeze([])

/**
 * Computes the stored subtrees of a log as its event hashes are pushed in position order: the rows a
 * write must insert, or those of a whole log read once (to fill the table for an existing log).
 */
export interface SubtreeBuilder {
  /** The number of events in the tree so far. */
  readonly size: () => number
  /** Appends the next event's hash (hex); the subtrees it completes, lowest first. */
  readonly push: (hash: string) => ReadonlyArray<StoredSubtree>
}

/**
 * A builder continuing a log of `size` events from what `frontierReads(size)` asked for: the hashes of
 * its stored subtrees (in that order) and the event hashes (hex) of its last incomplete block. Without
 * them, a builder from the empty log. Refused when a row is missing.
 */
export const createSubtreeBuilder = (
  size = 0,
  frontier: { readonly subtrees: ReadonlyArray<MerkleHash>; readonly leaves: ReadonlyArray<string> } = {
    subtrees: [],
    leaves: [],
  },
): E.Either<string, SubtreeBuilder> => {
  const reads = frontierReads(size)
  if (frontier.subtrees.length !== reads.subtrees.length)
    return E.left(
      `the tree of ${size} events lacks stored subtrees (${frontier.subtrees.length} of ${reads.subtrees.length})`,
    )
  if (frontier.leaves.length !== reads.leaves.end - reads.leaves.start)
    return E.left(
      `the log of ${size} events lacks events among ${reads.leaves.start + 1}..${reads.leaves.end}`,
    )
  // The perfect subtrees the tree so far decomposes into, largest first, as `createFrontier` keeps them
  // (as binary strings).
  const nodes: string[] = frontier.subtrees.map(binaryOf)
  let count = reads.leaves.start
  const push = (eventHash: string): ReadonlyArray<StoredSubtree> => {
    let hash = quickLeafHash(eventHash)
    let height = 0
    let completed: StoredSubtree[] | undefined
    for (let s = count; s % 2 === 1; s = (s - 1) / 2) {
      hash = quickNodeHash(nodes.pop() as string, hash)
      height += 1
      if (height >= STORED_TREE_HEIGHT)
        (completed ??= []).push({ height, index: (count + 1) / 2 ** height - 1, hash: bytesOf(hash) })
    }
    nodes.push(hash)
    count += 1
    return completed ?? NOTHING_COMPLETED
  }
  // The leaves of the incomplete block complete nothing stored: they only rebuild the frontier below it.
  for (const h of frontier.leaves) push(h)
  return E.right({ size: () => count, push })
}

/**
 * The subtrees completed when the events with these `hashes` (hex, in position order) are appended to a
 * log of `size` events, from what `frontierReads(size)` asked for (see `createSubtreeBuilder`).
 */
export const completedSubtrees = (
  size: number,
  frontier: { readonly subtrees: ReadonlyArray<MerkleHash>; readonly leaves: ReadonlyArray<string> },
  hashes: ReadonlyArray<string>,
): E.Either<string, ReadonlyArray<StoredSubtree>> =>
  E.map((builder: SubtreeBuilder) => hashes.flatMap((h) => builder.push(h)))(
    createSubtreeBuilder(size, frontier),
  )

/** Every subtree a log of `size` events has stored (for checks on small logs). */
export const storedSubtreeKeys = (size: number): ReadonlyArray<SubtreeKey> => {
  const keys: SubtreeKey[] = []
  for (let height = STORED_TREE_HEIGHT; 2 ** height <= size; height++)
    for (let index = 0; (index + 1) * 2 ** height <= size; index++) keys.push({ height, index })
  return keys
}

// -------------------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------------------

const isPowerOfTwo = (n: number): boolean => n >= 1 && 2 ** Math.round(Math.log2(n)) === n

const largestPowerOfTwoBelow = (n: number): number => {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/**
 * The hash of the leaves `[start, end)` (RFC 9162 MTH) from stored subtrees and leaf hashes: a perfect,
 * aligned subtree at or above the stored height is one stored row, a range within one block is hashed
 * from its leaves, anything else is split as RFC 9162 splits it.
 */
const rangeHash = (
  start: number,
  end: number,
  stored: (key: SubtreeKey) => MerkleHash,
  leaves: (range: LeafRange) => MerkleHash,
): MerkleHash => {
  const n = end - start
  if (n <= 0) return emptyRoot
  if (n >= STORED_BLOCK_SIZE && isPowerOfTwo(n) && start % n === 0)
    return stored({ height: Math.round(Math.log2(n)), index: start / n })
  if (Math.floor(start / STORED_BLOCK_SIZE) === Math.floor((end - 1) / STORED_BLOCK_SIZE))
    return leaves({ start, end })
  const k = largestPowerOfTwoBelow(n)
  return nodeHash(rangeHash(start, start + k, stored, leaves), rangeHash(start + k, end, stored, leaves))
}

/** Roots and proof hashes computed from a store's tree (see `storedTreeHashes`). */
export interface StoredTreeHashes {
  /** The root at each asked size. */
  readonly roots: ReadonlyMap<number, MerkleHash>
  /** The hash of each asked range, in the order asked. */
  readonly ranges: ReadonlyArray<MerkleHash>
}

/** Merges leaf ranges into disjoint ranges in order. */
const mergeRanges = (ranges: ReadonlyArray<LeafRange>): LeafRange[] => {
  const sorted = [...ranges].sort((a, b) => a.start - b.start)
  const merged: LeafRange[] = []
  for (const r of sorted) {
    const last = merged[merged.length - 1]
    if (last !== undefined && r.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, r.end) }
    else merged.push({ ...r })
  }
  return merged
}

const keyOf = (key: SubtreeKey): string => `${key.height}:${key.index}`

/**
 * The roots at `sizes` and the hashes of `ranges` (those of `inclusionRanges`, `consistencyRanges`),
 * from a store's stored tree in two reads of O(log n) rows: the stored subtrees they cover and the event
 * hashes of the few ranges below a block. `null` when the store lacks a row asked for (a tree not kept,
 * a size beyond the log): the caller then reads the log.
 */
export const storedTreeHashes = async (
  readTree: ReadTree,
  request: { readonly sizes?: Iterable<number>; readonly ranges?: ReadonlyArray<LeafRange> },
): Promise<E.Either<StoreError, StoredTreeHashes | null>> => {
  const sizes = [...(request.sizes ?? [])]
  const ranges = request.ranges ?? []
  const wanted = [...sizes.map((size) => ({ start: 0, end: size })), ...ranges]
  // First pass: what the hashes need.
  const keys = new Map<string, SubtreeKey>()
  const leafRanges: LeafRange[] = []
  for (const r of wanted)
    rangeHash(
      r.start,
      r.end,
      (key) => {
        keys.set(keyOf(key), key)
        return emptyRoot
      },
      (range) => {
        leafRanges.push(range)
        return emptyRoot
      },
    )
  const subtrees = [...keys.values()]
  const leaves = mergeRanges(leafRanges)
  const read = await readTree({ subtrees, leaves })
  if (E.isLeft(read)) return read
  const stored = new Map<string, MerkleHash>()
  for (const [i, key] of subtrees.entries()) {
    const hash = read.right.subtrees[i]
    if (hash === undefined) return E.right(null)
    stored.set(keyOf(key), hash)
  }
  const leafHashes: Array<{ range: LeafRange; hashes: MerkleHash[] }> = []
  for (const [i, range] of leaves.entries()) {
    const hashes = read.right.leaves[i] ?? []
    if (hashes.length !== range.end - range.start) return E.right(null)
    leafHashes.push({ range, hashes: hashes.map(eventLeafHash) })
  }
  // Second pass: the hashes.
  const fromStored = (key: SubtreeKey): MerkleHash => stored.get(keyOf(key)) as MerkleHash
  const fromLeaves = ({ start, end }: LeafRange): MerkleHash => {
    const held = leafHashes.find(
      ({ range }) => range.start <= start && end <= range.end,
    ) as (typeof leafHashes)[number]
    return rootOf(held.hashes.slice(start - held.range.start, end - held.range.start))
  }
  const hashes = wanted.map((r) => rangeHash(r.start, r.end, fromStored, fromLeaves))
  return E.right({
    roots: new Map(sizes.map((size, i) => [size, hashes[i] as MerkleHash])),
    ranges: hashes.slice(sizes.length),
  })
}
