/**
 * `ketnap prove --position N [--checkpoint FILE]` and `ketnap prove --consistency OLD NEW`: RFC 9162
 * inclusion and consistency proofs, as JSON that `verifyEventInclusion` and `verifyLogConsistency` of
 * @ketnap/kernel check without a store. The proof's subtree hashes come from the tree kept with the log
 * when the store has one (O(log n) rows read), else from reading the log once (O(n) time, O(log n)
 * memory). Either way the proof is checked against the checkpoint before it is printed.
 */
import {
  consistencyRanges,
  inclusionRanges,
  proofHashes,
  sameHash,
  verifyEventInclusion,
  verifyLogConsistency,
  type Envelope,
  type EventInclusionProof,
  type EventStore,
  type LogCheckpoint,
  type LogConsistencyProof,
  type MerkleHash,
} from '@ketnap/kernel'
import { describeLedgerError } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import { ExitStatus } from '../exitStatus'
import { complain, say, type Session } from '../session'
import { auditStore, readCheckpointFile, storedHashes } from './checkpointCommand'

const base64 = (h: MerkleHash): string => proofHashes([h])[0] ?? ''

const fail = async (session: Session, message: string, status: ExitStatus): Promise<ExitStatus> => {
  await complain(session.io, message)
  return status
}

/** Prints the inclusion proof of the event at `rawPosition` against a checkpoint, or the current tree. */
export const proveInclusionCommand = async (
  session: Session,
  store: EventStore,
  rawPosition: string,
  checkpointPath: string | undefined,
): Promise<ExitStatus> => {
  const position = /^[1-9][0-9]*$/.test(rawPosition) ? Number(rawPosition) : NaN
  if (!Number.isSafeInteger(position))
    return fail(
      session,
      `--position takes a position in the log (1, 2, ...), not ${JSON.stringify(rawPosition)}`,
      ExitStatus.failure,
    )
  let checkpoint: LogCheckpoint | undefined
  if (checkpointPath !== undefined) {
    const read = await readCheckpointFile(session.io, checkpointPath)
    if (E.isLeft(read)) return fail(session, read.left, ExitStatus.failure)
    checkpoint = read.right
  }
  const head = await store.headPosition()()
  if (E.isLeft(head))
    return fail(session, `cannot read the log: ${describeLedgerError(head.left)}`, ExitStatus.failure)
  const size = checkpoint?.size ?? head.right
  if (position > size)
    return fail(
      session,
      `position ${position} is not in the ${checkpoint === undefined ? 'log' : `checkpoint ${checkpointPath ?? ''}`}, of ${size} event(s)`,
      ExitStatus.failure,
    )
  const ranges = inclusionRanges(position - 1, size)
  const stored = await storedHashes(store, { sizes: [size], ranges })
  const storedRoot = stored?.roots.get(size)
  if (stored !== null && storedRoot !== undefined) {
    if (checkpoint !== undefined && !sameHash(storedRoot, checkpoint.root))
      return fail(
        session,
        `no proof: checkpoint ${checkpointPath ?? ''}: checkpoint-mismatch: the root of the log's first ${size} event(s) is not the signed one`,
        ExitStatus.broken,
      )
    const read = await readEnvelope(store, position)
    if (E.isLeft(read)) return fail(session, read.left, ExitStatus.failure)
    return printInclusion(session, checkpoint, {
      position,
      treeSize: size,
      root: base64(storedRoot),
      proof: proofHashes(stored.ranges),
      envelope: read.right,
    })
  }
  let envelope: Envelope | undefined
  const audit = await auditStore(session, store, {
    sizes: [size],
    ranges,
    ...(checkpoint === undefined ? {} : { checkpoints: [checkpoint] }),
    onEnvelope: (e) => {
      if (e.position === position) envelope = e
    },
  })
  if (E.isLeft(audit)) return fail(session, audit.left, ExitStatus.failure)
  const { chain, tree, checkpoints } = audit.right
  if (!chain.ok)
    return fail(
      session,
      `no proof: broken at position ${chain.firstBrokenPosition}: ${chain.code}: ${chain.reason}`,
      ExitStatus.broken,
    )
  const verdict = checkpoints[0]
  if (verdict !== undefined && !verdict.ok)
    return fail(
      session,
      `no proof: checkpoint ${checkpointPath ?? ''}: ${verdict.code}: ${verdict.message}`,
      ExitStatus.broken,
    )
  const root = tree.roots.get(size)
  const hashes = tree.ranges
  if (envelope === undefined || root === undefined || hashes.some((h) => h === undefined))
    return fail(session, `the log ended before position ${size} while it was read`, ExitStatus.failure)
  return printInclusion(session, checkpoint, {
    position,
    treeSize: size,
    root: base64(root),
    proof: proofHashes(hashes as MerkleHash[]),
    envelope,
  })
}

/** The event at one position. */
const readEnvelope = async (store: EventStore, position: number): Promise<E.Either<string, Envelope>> => {
  for await (const batch of store.readAll({ fromPosition: position, toPosition: position })) {
    if (E.isLeft(batch)) return E.left(`cannot read the log: ${describeLedgerError(batch.left)}`)
    const envelope = batch.right[0]
    if (envelope !== undefined) return E.right(envelope)
  }
  return E.left(`the log has no event at position ${position}`)
}

/** Prints an inclusion proof, checked first as an auditor will check it. */
const printInclusion = async (
  session: Session,
  checkpoint: LogCheckpoint | undefined,
  proof: EventInclusionProof,
): Promise<ExitStatus> => {
  const root = Buffer.from(proof.root, 'base64')
  const self = verifyEventInclusion(
    proof,
    checkpoint ?? { origin: '', size: proof.treeSize, root: new Uint8Array(root), extensions: [] },
  )
  if (E.isLeft(self)) return fail(session, `${self.left.code}: ${self.left.message}`, ExitStatus.failure)
  await say(session.io, JSON.stringify(proof, null, 2))
  return ExitStatus.ok
}

/** Prints the consistency proof from the older checkpoint to the newer, both of this log. */
export const proveConsistencyCommand = async (
  session: Session,
  store: EventStore,
  paths: ReadonlyArray<string>,
): Promise<ExitStatus> => {
  const [oldPath, newPath] = paths
  if (oldPath === undefined || newPath === undefined || paths.length !== 2)
    return fail(session, 'prove --consistency takes two checkpoint files: OLD NEW', ExitStatus.usage)
  const older = await readCheckpointFile(session.io, oldPath)
  if (E.isLeft(older)) return fail(session, older.left, ExitStatus.failure)
  const newer = await readCheckpointFile(session.io, newPath)
  if (E.isLeft(newer)) return fail(session, newer.left, ExitStatus.failure)
  const [size1, size2] = [older.right.size, newer.right.size]
  if (size1 === 0 || size1 > size2)
    return fail(
      session,
      `no consistency proof from size ${size1} to size ${size2}: the old checkpoint must be non-empty and no larger than the new`,
      ExitStatus.failure,
    )
  const ranges = consistencyRanges(size1, size2)
  const stored = await storedHashes(store, { sizes: [size1, size2], ranges })
  if (stored !== null) {
    for (const [i, c] of [older.right, newer.right].entries()) {
      const root = stored.roots.get(c.size)
      if (root === undefined || !sameHash(root, c.root))
        return fail(
          session,
          `no proof: checkpoint ${paths[i] ?? ''}: checkpoint-mismatch: the root of the log's first ${c.size} event(s) is not the signed one`,
          ExitStatus.broken,
        )
    }
    return printConsistency(session, older.right, newer.right, stored.ranges)
  }
  const audit = await auditStore(session, store, { ranges, checkpoints: [older.right, newer.right] })
  if (E.isLeft(audit)) return fail(session, audit.left, ExitStatus.failure)
  const { chain, tree, checkpoints } = audit.right
  if (!chain.ok)
    return fail(
      session,
      `no proof: broken at position ${chain.firstBrokenPosition}: ${chain.code}: ${chain.reason}`,
      ExitStatus.broken,
    )
  for (const [i, verdict] of checkpoints.entries()) {
    if (!verdict.ok)
      return fail(
        session,
        `no proof: checkpoint ${paths[i] ?? ''}: ${verdict.code}: ${verdict.message}`,
        ExitStatus.broken,
      )
  }
  if (tree.ranges.some((h) => h === undefined))
    return fail(session, `the log ended before position ${size2} while it was read`, ExitStatus.failure)
  return printConsistency(session, older.right, newer.right, tree.ranges as MerkleHash[])
}

/** Prints a consistency proof, checked first as an auditor will check it. */
const printConsistency = async (
  session: Session,
  older: LogCheckpoint,
  newer: LogCheckpoint,
  hashes: ReadonlyArray<MerkleHash>,
): Promise<ExitStatus> => {
  const proof: LogConsistencyProof = {
    size1: older.size,
    size2: newer.size,
    root1: base64(older.root),
    root2: base64(newer.root),
    proof: proofHashes(hashes),
  }
  const self = verifyLogConsistency(proof, older, newer)
  if (E.isLeft(self)) return fail(session, `${self.left.code}: ${self.left.message}`, ExitStatus.failure)
  await say(session.io, JSON.stringify(proof, null, 2))
  return ExitStatus.ok
}
