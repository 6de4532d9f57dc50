/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0, hashing as in RFC 6962) over a sequence of
 * leaves: leaf and node hashing, the root of n leaves, inclusion proofs (audit paths) and consistency
 * proofs, and their verifiers (RFC 9162 §2.1.3.2 and §2.1.4.2).
 *
 * Proofs are described first as the ranges of leaves whose subtree hashes they list, so that whoever
 * holds the tree can supply those hashes: a list of leaf hashes in memory (`subtreesOf`), one streaming
 * pass over a log (`scanTree`), or stored subtree nodes later. Sizes and indexes are plain numbers (safe
 * integers), halved by arithmetic rather than bit shifts, which would stop at 2^31.
 */
import { createHash } from 'node:crypto'
import * as E from 'fp-ts/Either'
import type { MerkleProofCode } from './errorCodes'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/** A SHA-256 hash of the tree (32 bytes): a leaf hash, a node hash or a root. */
export type MerkleHash = Uint8Array

/** The length of every hash of the tree, in bytes. */
export const MERKLE_HASH_SIZE = 32

/** The leaves `[start, end)` of a tree, 0-based: the subtree whose hash a proof lists. */
export interface LeafRange {
  readonly start: number
  readonly end: number
}

/** Gives the hash of the tree over the leaves of a range (MTH of RFC 9162 over that slice). */
export type SubtreeHash = (range: LeafRange) => MerkleHash

/** A proof that does not verify: a stable code and why. */
export interface MerkleProofError {
  readonly _tag: 'MerkleProofError'
  readonly code: MerkleProofCode
  readonly message: string
}

const proofError = (code: MerkleProofCode, message: string): E.Either<MerkleProofError, never> =>
  E.left({ _tag: 'MerkleProofError', code, message })

// -------------------------------------------------------------------------------------------------
// hashing
// -------------------------------------------------------------------------------------------------

const LEAF_PREFIX = Uint8Array.of(0x00)
const NODE_PREFIX = Uint8Array.of(0x01)

/** The hash of a leaf: SHA-256(0x00 ‖ leaf bytes). The prefix keeps a leaf from passing for a node. */
export const leafHash = (leaf: Uint8Array): MerkleHash =>
  new Uint8Array(createHash('sha256').update(LEAF_PREFIX).update(leaf).digest())

/** The hash of an inner node: SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (left: MerkleHash, right: MerkleHash): MerkleHash =>
  new Uint8Array(createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest())

/** The root of the empty tree: SHA-256 of nothing. */
export const emptyRoot: MerkleHash = new Uint8Array(createHash('sha256').digest())

/** Whether two hashes are the same bytes. */
export const sameHash = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((byte, i) => byte === b[i])

// -------------------------------------------------------------------------------------------------
// the root, streaming
// -------------------------------------------------------------------------------------------------

/**
 * The root of a tree growing one leaf at a time, in O(log n) memory: the hashes of the perfect subtrees
 * that the leaves so far decompose into, largest (leftmost) first (a "compact range" from 0).
 */
export interface Frontier {
  /** The number of leaves pushed. */
  readonly size: () => number
  /** Appends one leaf hash. */
  readonly push: (leaf: MerkleHash) => void
  /** The root of the tree over the leaves pushed so far (RFC 9162 MTH). */
  readonly root: () => MerkleHash
}

/** An empty frontier. */
export const createFrontier = (): Frontier => {
  const nodes: MerkleHash[] = []
  let size = 0
  return {
    size: () => size,
    push: (leaf) => {
      // Each trailing 1 bit of the size is a perfect subtree that the new leaf completes to the next height.
      let hash = leaf
      for (let s = size; s % 2 === 1; s = (s - 1) / 2) hash = nodeHash(nodes.pop() as MerkleHash, hash)
      nodes.push(hash)
      size += 1
    },
    root: () => {
      let root = nodes[nodes.length - 1]
      if (root === undefined) return emptyRoot
      for (let i = nodes.length - 2; i >= 0; i--) root = nodeHash(nodes[i] as MerkleHash, root)
      return root
    },
  }
}

/** The root of the tree over these leaf hashes (RFC 9162 MTH). */
export const rootOf = (leaves: Iterable<MerkleHash>): MerkleHash => {
  const frontier = createFrontier()
  for (const leaf of leaves) frontier.push(leaf)
  return frontier.root()
}

// -------------------------------------------------------------------------------------------------
// proofs as ranges
// -------------------------------------------------------------------------------------------------

/** The largest power of two smaller than n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
const split = (n: number): number => {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

const isSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0

const powerOfTwo = (n: number): boolean => {
  let k = 1
  while (k < n) k *= 2
  return k === n
}

/**
 * The ranges whose subtree hashes make the inclusion proof of leaf `index` in a tree of `size` leaves
 * (RFC 9162 §2.1.3.1, PATH), in proof order: from the leaf's sibling up to the root's other child.
 * Empty when the index is not a leaf of the tree.
 */
export const inclusionRanges = (index: number, size: number): ReadonlyArray<LeafRange> => {
  if (!isSize(index) || !isSize(size) || index >= size) return []
  const path: LeafRange[] = []
  let [start, end, m] = [0, size, index]
  while (end - start > 1) {
    const k = split(end - start)
    if (m < k) {
      path.push({ start: start + k, end })
      end = start + k
    } else {
      path.push({ start, end: start + k })
      start += k
      m -= k
    }
  }
  return path.reverse()
}

/**
 * The ranges whose subtree hashes make the consistency proof from a tree of `size1` leaves to one of
 * `size2` (RFC 9162 §2.1.4.1, PROOF and SUBPROOF), in proof order. Empty when 0 < size1 = size2 and when
 * the sizes admit no proof (size1 = 0 or size1 > size2).
 */
export const consistencyRanges = (size1: number, size2: number): ReadonlyArray<LeafRange> => {
  if (!isSize(size1) || !isSize(size2) || size1 === 0 || size1 >= size2) return []
  const proof: LeafRange[] = []
  let [start, end, m, whole] = [0, size2, size1, true]
  while (m !== end - start) {
    const k = split(end - start)
    if (m <= k) {
      proof.push({ start: start + k, end })
      end = start + k
    } else {
      proof.push({ start, end: start + k })
      start += k
      m -= k
      whole = false
    }
  }
  // The old tree is a whole subtree of the new one here; unless it is the old root itself (which the
  // verifier holds), its hash starts the proof.
  if (!whole) proof.push({ start, end })
  return proof.reverse()
}

/** The inclusion proof of leaf `index` in a tree of `size` leaves, from whatever holds the subtree hashes. */
export const inclusionProof = (index: number, size: number, subtree: SubtreeHash): MerkleHash[] =>
  inclusionRanges(index, size).map(subtree)

/** The consistency proof from size `size1` to `size2`, from whatever holds the subtree hashes. */
export const consistencyProof = (size1: number, size2: number, subtree: SubtreeHash): MerkleHash[] =>
  consistencyRanges(size1, size2).map(subtree)

/** Subtree hashes of leaves held in memory: each range's root computed from its leaves. */
export const subtreesOf =
  (leaves: ReadonlyArray<MerkleHash>): SubtreeHash =>
  ({ start, end }) =>
    rootOf(leaves.slice(start, end))

/** What one pass over the leaves computed: the size, the root at each asked size, each asked range's hash. */
export interface TreeScan {
  /** The number of leaves read. */
  readonly size: number
  /** The root of the tree at each asked size the leaves reached (at least that many leaves). */
  readonly roots: ReadonlyMap<number, MerkleHash>
  /** The hash of each asked range the leaves covered, in the order asked. */
  readonly ranges: ReadonlyArray<MerkleHash | undefined>
  /** The root of the whole tree read. */
  readonly root: MerkleHash
}

/** What `scanTree` should compute besides the whole root. */
export interface TreeScanRequest {
  /** Sizes to take the root at (e.g. the sizes of checkpoints). */
  readonly sizes?: Iterable<number>
  /** Disjoint ranges whose hashes a proof needs (e.g. `inclusionRanges`). */
  readonly ranges?: ReadonlyArray<LeafRange>
}

/** Computes a `TreeScan` while leaves are pushed to it one at a time, in O(log n) memory. */
export interface TreeScanner {
  /** Appends the next leaf hash. */
  readonly push: (leaf: MerkleHash) => void
  /** What the leaves pushed so far give. */
  readonly result: () => TreeScan
}

/**
 * A scanner computing the roots at the asked sizes and the hashes of the asked (disjoint) ranges as
 * leaves are pushed: one frontier for the whole tree and one for the range being read.
 */
export const createTreeScanner = (request: TreeScanRequest = {}): TreeScanner => {
  const sizes = new Set(request.sizes ?? [])
  const asked = request.ranges ?? []
  const order = asked
    .map((_, i) => i)
    .sort((a, b) => (asked[a] as LeafRange).start - (asked[b] as LeafRange).start)
  const hashes: Array<MerkleHash | undefined> = asked.map(() => undefined)
  const roots = new Map<number, MerkleHash>()
  const whole = createFrontier()
  if (sizes.has(0)) roots.set(0, emptyRoot)
  let next = 0
  let part: Frontier | null = null
  return {
    push: (leaf) => {
      const index = whole.size()
      whole.push(leaf)
      if (sizes.has(index + 1)) roots.set(index + 1, whole.root())
      const current = order[next]
      const range = current === undefined ? undefined : asked[current]
      if (current === undefined || range === undefined || index < range.start || index >= range.end) return
      part ??= createFrontier()
      part.push(leaf)
      if (index + 1 === range.end) {
        hashes[current] = part.root()
        part = null
        next += 1
      }
    },
    result: () => ({ size: whole.size(), roots, ranges: hashes, root: whole.root() }),
  }
}

/** Reads leaf hashes once, in order, and computes what `request` asks (see `createTreeScanner`). */
export const scanTree = async (
  leaves: AsyncIterable<MerkleHash> | Iterable<MerkleHash>,
  request: TreeScanRequest = {},
): Promise<TreeScan> => {
  const scanner = createTreeScanner(request)
  for await (const leaf of leaves) scanner.push(leaf)
  return scanner.result()
}

// -------------------------------------------------------------------------------------------------
// verifiers
// -------------------------------------------------------------------------------------------------

const half = (n: number): number => Math.floor(n / 2)
const odd = (n: number): boolean => n % 2 === 1

const wellFormed = (hashes: ReadonlyArray<Uint8Array>): boolean =>
  hashes.every((h) => h.length === MERKLE_HASH_SIZE)

/**
 * Checks that `leaf` (a leaf hash) is leaf `index` (0-based) of the tree of `size` leaves with this root,
 * by the algorithm of RFC 9162 §2.1.3.2.
 */
export const verifyInclusion = (
  leaf: MerkleHash,
  index: number,
  size: number,
  proof: ReadonlyArray<MerkleHash>,
  root: MerkleHash,
): E.Either<MerkleProofError, void> => {
  if (!isSize(index) || !isSize(size) || index >= size)
    return proofError('proof-out-of-range', `leaf index ${index} is not in a tree of size ${size}`)
  if (!wellFormed([leaf, ...proof]))
    return proofError('proof-mismatch', `every hash of a proof is ${MERKLE_HASH_SIZE} bytes`)
  let [fn, sn, r] = [index, size - 1, leaf]
  for (const p of proof) {
    if (sn === 0)
      return proofError('proof-size', `the proof has more hashes than a tree of size ${size} needs`)
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r)
      while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)]
    } else {
      r = nodeHash(r, p)
    }
    ;[fn, sn] = [half(fn), half(sn)]
  }
  if (sn !== 0) return proofError('proof-size', `the proof has too few hashes for a tree of size ${size}`)
  if (!sameHash(r, root))
    return proofError('proof-mismatch', `the proof does not lead from leaf ${index} to the given root`)
  return E.right(undefined)
}

/**
 * Checks that the tree of `size2` leaves with `root2` extends the tree of `size1` leaves with `root1`,
 * by the algorithm of RFC 9162 §2.1.4.2. As in RFC 9162, a proof from the empty tree proves nothing and
 * is refused; equal sizes need an empty proof and equal roots.
 */
export const verifyConsistency = (
  size1: number,
  size2: number,
  proof: ReadonlyArray<MerkleHash>,
  root1: MerkleHash,
  root2: MerkleHash,
): E.Either<MerkleProofError, void> => {
  if (!isSize(size1) || !isSize(size2) || size1 > size2)
    return proofError('proof-out-of-range', `no tree of size ${size2} extends one of size ${size1}`)
  if (size1 === 0)
    return proofError('proof-out-of-range', 'a consistency proof from the empty tree proves nothing')
  if (size1 === size2) {
    if (proof.length > 0) return proofError('proof-size', 'trees of the same size need an empty proof')
    return sameHash(root1, root2)
      ? E.right(undefined)
      : proofError('proof-mismatch', `two different roots for the same size ${size1}`)
  }
  if (proof.length === 0) return proofError('proof-size', 'the proof is empty')
  if (!wellFormed(proof))
    return proofError('proof-mismatch', `every hash of a proof is ${MERKLE_HASH_SIZE} bytes`)
  // An old tree that is a perfect subtree of the new one is not repeated in the proof: its root starts it.
  const path = powerOfTwo(size1) ? [root1, ...proof] : proof
  let [fn, sn] = [size1 - 1, size2 - 1]
  while (odd(fn)) [fn, sn] = [half(fn), half(sn)]
  let fr = path[0] as MerkleHash
  let sr = fr
  for (const c of path.slice(1)) {
    if (sn === 0) return proofError('proof-size', 'the proof has more hashes than needed')
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)]
    } else {
      sr = nodeHash(sr, c)
    }
    ;[fn, sn] = [half(fn), half(sn)]
  }
  if (sn !== 0)
    return proofError('proof-size', `the proof has too few hashes for sizes ${size1} and ${size2}`)
  if (!sameHash(fr, root1))
    return proofError('proof-mismatch', `the proof does not lead to the root of size ${size1}`)
  if (!sameHash(sr, root2))
    return proofError('proof-mismatch', `the proof does not lead to the root of size ${size2}`)
  return E.right(undefined)
}
