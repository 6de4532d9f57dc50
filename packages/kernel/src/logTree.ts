/**
 * The RFC 9162 tree of an event log, for checkpoints and proofs. Leaf i (0-based) is the event at
 * position i + 1, and its leaf bytes are the 32 raw bytes of the event's `hash` (the hex SHA-256 of its
 * canonical form, EVENTS.md Audit): the leaf hash is SHA-256(0x00 ‖ those 32 bytes). Because each event
 * hash covers `prevHash`, one leaf also commits to every event before it.
 *
 * `auditLog` reads a log once: it verifies the hash chain (`verifyChain`, which recomputes every event
 * hash from the event), computes the tree as it goes in O(log n) memory, and compares the log with signed
 * checkpoints. The proof documents and their verifiers let anyone check an event or a consistency proof
 * against checkpoints without a store.
 */
import * as E from 'fp-ts/Either'
import type { LogCheckpoint } from './checkpoint'
import type { Envelope } from './envelope'
import type { LogAuditCode } from './errorCodes'
import { hashEnvelope, verifyChain, type ChainVerification } from './hashChain'
import type { ReadAllBatch } from './eventStore'
import {
  createTreeScanner,
  leafHash,
  sameHash,
  verifyConsistency,
  verifyInclusion,
  type LeafRange,
  type MerkleHash,
  type MerkleProofError,
  type TreeScan,
} from './merkle'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/** A log, an event or a proof that does not match a checkpoint, or a proof document that does not decode. */
export interface LogAuditError {
  readonly _tag: 'LogAuditError'
  readonly code: LogAuditCode
  readonly message: string
}

const auditError = (code: LogAuditCode, message: string): E.Either<LogAuditError, never> =>
  E.left({ _tag: 'LogAuditError', code, message })

/**
 * How the log stands against one checkpoint. When it no longer extends it, the first position that
 * differs lies in `from..to` (equal when known exactly). A checkpoint holds one root, so a log rewritten
 * and rehashed can only be placed between the largest checkpoint it still extends and this one; an event
 * edited in place, a gap or a cut tail is placed exactly.
 */
export type CheckpointVerdict =
  | { readonly ok: true; readonly checkpoint: LogCheckpoint }
  | {
      readonly ok: false
      readonly checkpoint: LogCheckpoint
      readonly code: 'checkpoint-mismatch' | 'checkpoint-truncated'
      readonly from: number
      readonly to: number
      readonly message: string
    }

/** What one reading of the log found: its chain, its tree, and how it stands against each checkpoint. */
export interface LogAudit {
  readonly chain: ChainVerification
  readonly tree: TreeScan
  /** One verdict per checkpoint given, in the order given. */
  readonly checkpoints: ReadonlyArray<CheckpointVerdict>
}

/** What `auditLog` checks and computes besides the chain and the whole tree. */
export interface AuditLogOptions {
  /** A head kept from an earlier verification (see `verifyChain`). */
  readonly head?: { readonly position: number; readonly hash: string }
  /** Checkpoints (already verified as signed) the log must extend. */
  readonly checkpoints?: ReadonlyArray<LogCheckpoint>
  /** Sizes at which to take the root, besides the checkpoints'. */
  readonly sizes?: Iterable<number>
  /** Disjoint leaf ranges whose hashes a proof needs (`inclusionRanges`, `consistencyRanges`). */
  readonly ranges?: ReadonlyArray<LeafRange>
  /** Called with each envelope read, e.g. to keep the one a proof is about or to show progress. */
  readonly onEnvelope?: (envelope: Envelope) => void
}

// -------------------------------------------------------------------------------------------------
// the leaves
// -------------------------------------------------------------------------------------------------

const hexHash = /^[0-9a-f]{64}$/

/** The leaf hash of an event: SHA-256(0x00 ‖ the 32 bytes of its hex `hash`). */
export const eventLeafHash = (hash: string): MerkleHash =>
  // A stored hash that is not 64 hex digits (a damaged store) still gives a leaf, from its UTF-8 text,
  // so that the tree differs from any checkpoint instead of failing.
  leafHash(hexHash.test(hash) ? new Uint8Array(Buffer.from(hash, 'hex')) : new TextEncoder().encode(hash))

// -------------------------------------------------------------------------------------------------
// reading a log against checkpoints
// -------------------------------------------------------------------------------------------------

type Source = AsyncIterable<Envelope> | Iterable<Envelope> | AsyncIterable<ReadAllBatch>

async function* tapped(source: Source, onEnvelope: (e: Envelope) => void): AsyncGenerator<ReadAllBatch> {
  for await (const item of source as AsyncIterable<Envelope | ReadAllBatch>) {
    if (!('_tag' in item)) {
      onEnvelope(item)
      yield E.right([item])
    } else {
      if (E.isRight(item)) for (const e of item.right) onEnvelope(e)
      yield item
    }
  }
}

const verdictOf = (
  checkpoint: LogCheckpoint,
  tree: TreeScan,
  chain: ChainVerification,
  below: number,
): CheckpointVerdict => {
  const n = checkpoint.size
  const from = below + 1
  if (n > tree.size) {
    return {
      ok: false,
      checkpoint,
      code: 'checkpoint-truncated',
      from: Math.min(from, tree.size + 1),
      to: tree.size + 1,
      message: `the log ends at position ${tree.size}, before the checkpoint's size ${n}: events were cut off`,
    }
  }
  // A kept head that no longer matches is the caller's own claim, reported by the chain; not a break here.
  const broken =
    chain.ok || chain.code === 'head-mismatch' || chain.code === 'truncated'
      ? null
      : chain.firstBrokenPosition
  const rootMatches = sameHash(tree.roots.get(n) ?? new Uint8Array(), checkpoint.root)
  if (rootMatches && (broken === null || broken > n)) return { ok: true, checkpoint }
  if (rootMatches && broken !== null) {
    // The stored hashes are the checkpoint's up to n, so the first event that no longer hashes to its
    // stored hash is the first that differs.
    return {
      ok: false,
      checkpoint,
      code: 'checkpoint-mismatch',
      from: broken,
      to: broken,
      message: `position ${broken} differs from the checkpoint: the event there no longer has the hash it covers`,
    }
  }
  const to = broken === null ? n : Math.min(n, broken)
  return {
    ok: false,
    checkpoint,
    code: 'checkpoint-mismatch',
    from: Math.min(from, to),
    to,
    message:
      from >= to
        ? `position ${to} differs from the checkpoint`
        : `the log differs from the checkpoint at a position from ${from} to ${to}: the root of its first ${n} event(s) is not the signed one`,
  }
}

/**
 * Reads a log once (envelopes, or the batches of `readAll`): verifies its hash chain, computes its tree
 * (the roots and ranges asked, in O(log n) memory), and checks that it extends every checkpoint given.
 */
export const auditLog = async (source: Source, options: AuditLogOptions = {}): Promise<LogAudit> => {
  const checkpoints = options.checkpoints ?? []
  const scanner = createTreeScanner({
    sizes: [...checkpoints.map((c) => c.size), ...(options.sizes ?? [])],
    ...(options.ranges === undefined ? {} : { ranges: options.ranges }),
  })
  const onEnvelope = options.onEnvelope
  const chain = await verifyChain(
    tapped(source, (e) => {
      scanner.push(eventLeafHash(e.hash))
      onEnvelope?.(e)
    }),
    options.head === undefined ? {} : { head: options.head },
  )
  const tree = scanner.result()
  const passed = (c: LogCheckpoint): boolean => verdictOf(c, tree, chain, 0).ok
  const verdicts = checkpoints.map((checkpoint) => {
    // The largest checkpoint below this one that the log still extends: every position up to its size
    // is as it was.
    const below = checkpoints
      .filter((c) => c.size < checkpoint.size && passed(c))
      .reduce((max, c) => Math.max(max, c.size), 0)
    return verdictOf(checkpoint, tree, chain, below)
  })
  return { chain, tree, checkpoints: verdicts }
}

// -------------------------------------------------------------------------------------------------
// proof documents
// -------------------------------------------------------------------------------------------------

/** An inclusion proof of one event, as `ketnap prove --position` prints it (hashes in base64). */
export interface EventInclusionProof {
  /** The event's position (1-based); its leaf index is position − 1. */
  readonly position: number
  /** The size of the tree the proof is against (the checkpoint's). */
  readonly treeSize: number
  /** The root of that tree. */
  readonly root: string
  /** The audit path of RFC 9162, from the leaf's sibling up. */
  readonly proof: ReadonlyArray<string>
  /** The event itself, with its hash. */
  readonly envelope: Envelope
}

/** A consistency proof between two tree sizes, as `ketnap prove --consistency` prints it. */
export interface LogConsistencyProof {
  readonly size1: number
  readonly size2: number
  readonly root1: string
  readonly root2: string
  readonly proof: ReadonlyArray<string>
}

const base64Of = (h: Uint8Array): string => Buffer.from(h).toString('base64')

const hashOf = (s: string): MerkleHash | null => {
  const bytes = Buffer.from(s, 'base64')
  return bytes.length === 32 && bytes.toString('base64') === s ? new Uint8Array(bytes) : null
}

/** Writes hashes as the proof documents carry them (base64). */
export const proofHashes = (hashes: ReadonlyArray<MerkleHash>): ReadonlyArray<string> => hashes.map(base64Of)

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

const isCount = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0

const isHashList = (u: unknown): u is ReadonlyArray<string> =>
  Array.isArray(u) && u.every((h) => typeof h === 'string' && hashOf(h) !== null)

const isEnvelope = (u: unknown): u is Envelope =>
  isRecord(u) &&
  isCount(u['position']) &&
  isCount(u['version']) &&
  isCount(u['schemaVersion']) &&
  ['stream', 'id', 'type', 'recordedAt', 'prevHash', 'hash'].every((k) => typeof u[k] === 'string') &&
  (u['actor'] === null || typeof u['actor'] === 'string') &&
  'data' in u

/** Decodes an inclusion proof read from JSON. */
export const decodeEventInclusionProof = (u: unknown): E.Either<LogAuditError, EventInclusionProof> =>
  isRecord(u) &&
  isCount(u['position']) &&
  isCount(u['treeSize']) &&
  typeof u['root'] === 'string' &&
  hashOf(u['root']) !== null &&
  isHashList(u['proof']) &&
  isEnvelope(u['envelope'])
    ? E.right(u as unknown as EventInclusionProof)
    : auditError(
        'malformed-proof',
        'an inclusion proof is {position, treeSize, root, proof, envelope} with base64 hashes of 32 bytes',
      )

/** Decodes a consistency proof read from JSON. */
export const decodeLogConsistencyProof = (u: unknown): E.Either<LogAuditError, LogConsistencyProof> =>
  isRecord(u) &&
  isCount(u['size1']) &&
  isCount(u['size2']) &&
  typeof u['root1'] === 'string' &&
  typeof u['root2'] === 'string' &&
  hashOf(u['root1']) !== null &&
  hashOf(u['root2']) !== null &&
  isHashList(u['proof'])
    ? E.right(u as unknown as LogConsistencyProof)
    : auditError(
        'malformed-proof',
        'a consistency proof is {size1, size2, root1, root2, proof} with base64 hashes of 32 bytes',
      )

const sameTree = (checkpoint: LogCheckpoint, size: number, root: string): boolean =>
  checkpoint.size === size && base64Of(checkpoint.root) === root

/**
 * Checks an inclusion proof of one event against a checkpoint (verified as signed beforehand), without a
 * store: the envelope hashes to its `hash`, its place is the proof's, the proof is against the
 * checkpoint's tree, and the audit path leads from the event's leaf to the checkpoint's root.
 */
export const verifyEventInclusion = (
  proof: EventInclusionProof,
  checkpoint: LogCheckpoint,
): E.Either<LogAuditError | MerkleProofError, void> => {
  const e = proof.envelope
  if (hashEnvelope(e) !== e.hash)
    return auditError('event-mismatch', `the envelope at position ${e.position} does not hash to its hash`)
  if (e.position !== proof.position)
    return auditError('event-mismatch', `the envelope is at position ${e.position}, not ${proof.position}`)
  if (!sameTree(checkpoint, proof.treeSize, proof.root))
    return auditError(
      'checkpoint-mismatch',
      `the proof is against a tree of size ${proof.treeSize}, not the checkpoint's tree of size ${checkpoint.size}`,
    )
  return verifyInclusion(
    eventLeafHash(e.hash),
    proof.position - 1,
    proof.treeSize,
    proof.proof.map((h) => hashOf(h) ?? new Uint8Array()),
    checkpoint.root,
  )
}

/**
 * Checks a consistency proof between two checkpoints (verified as signed beforehand), without a store:
 * the log of the newer checkpoint extends, unchanged, the log of the older one.
 */
export const verifyLogConsistency = (
  proof: LogConsistencyProof,
  older: LogCheckpoint,
  newer: LogCheckpoint,
): E.Either<LogAuditError | MerkleProofError, void> => {
  if (!sameTree(older, proof.size1, proof.root1) || !sameTree(newer, proof.size2, proof.root2))
    return auditError(
      'checkpoint-mismatch',
      `the proof is between sizes ${proof.size1} and ${proof.size2}, not the checkpoints' ${older.size} and ${newer.size}`,
    )
  return verifyConsistency(
    proof.size1,
    proof.size2,
    proof.proof.map((h) => hashOf(h) ?? new Uint8Array()),
    older.root,
    newer.root,
  )
}
