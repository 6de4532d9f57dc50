/**
 * `ketnap checkpoint --key KEY [--origin NAME] [--out FILE]` and `ketnap verify --checkpoint FILE
 * --public-key KEY`: signed tree heads of the log (C2SP tlog-checkpoint in a C2SP signed note, Ed25519),
 * and the check that the log still extends them. `checkpoint` takes the root from the tree kept with
 * the log when the store has one (O(log n) rows read); `verify` recomputes the tree by reading the log
 * once, in O(log n) memory: nothing stored is trusted but the events.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  auditLog,
  noteVerifierKey,
  openCheckpoint,
  readCheckpoint,
  signCheckpoint,
  storedTreeHashes,
  type AuditLogOptions,
  type CheckpointError,
  type EventStore,
  type Head,
  type LogAudit,
  type LeafRange,
  type LogCheckpoint,
  type StoredTreeHashes,
} from '@ketnap/kernel'
import { describeLedgerError } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import { ExitStatus } from '../exitStatus'
import type { Io } from '../io'
import { complain, say, type Session } from '../session'

/** The origin of a checkpoint when none is given. */
export const DEFAULT_ORIGIN = 'ketnap'

const messageOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** Reads a text file given on the command line, as strict UTF-8. */
export const readTextFile = async (io: Io, path: string): Promise<E.Either<string, string>> => {
  try {
    const bytes = await readFile(resolve(io.cwd, path))
    return E.right(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (cause) {
    return E.left(`cannot read ${path}: ${messageOf(cause)}`)
  }
}

/** Reads a checkpoint file without checking its signatures (its size and root are all a proof needs). */
export const readCheckpointFile = async (io: Io, path: string): Promise<E.Either<string, LogCheckpoint>> => {
  const text = await readTextFile(io, path)
  if (E.isLeft(text)) return text
  const checkpoint = readCheckpoint(text.right)
  return E.isLeft(checkpoint)
    ? E.left(`${path}: ${checkpoint.left.code}: ${checkpoint.left.message}`)
    : checkpoint
}

/**
 * Reads the whole log once through `auditLog`, showing progress: the chain verified, the tree computed,
 * the checkpoints compared.
 */
export const auditStore = async (
  session: Session,
  store: EventStore,
  options: AuditLogOptions,
): Promise<E.Either<string, LogAudit>> => {
  const total = await store.headPosition()()
  if (E.isLeft(total)) return E.left(`cannot read the log: ${describeLedgerError(total.left)}`)
  let done = 0
  const audit = await auditLog(store.readAll(), {
    ...options,
    onEnvelope: (e) => {
      options.onEnvelope?.(e)
      done += 1
      if (done % 4096 === 0) session.progress.update('read', done, total.right)
    },
  })
  session.progress.stop()
  return E.right(audit)
}

/**
 * The roots and proof hashes asked, from the tree kept with the log (O(log n) rows), or null when the
 * store keeps none or lacks a row asked for (a size beyond the log): the caller then reads the log.
 */
export const storedHashes = async (
  store: EventStore,
  request: { readonly sizes: ReadonlyArray<number>; readonly ranges?: ReadonlyArray<LeafRange> },
): Promise<StoredTreeHashes | null> => {
  if (store.readTree === undefined) return null
  const hashes = await storedTreeHashes(store.readTree, request)
  // A failed read falls back to reading the log, which reports the store's error itself.
  return E.isRight(hashes) ? hashes.right : null
}

/** The root of the whole log: from the stored tree when there is one, else by reading the log. */
const currentTree = async (
  session: Session,
  store: EventStore,
): Promise<E.Either<string, { readonly size: number; readonly root: Uint8Array } | LogAudit>> => {
  const head = await store.headPosition()()
  if (E.isLeft(head)) return E.left(`cannot read the log: ${describeLedgerError(head.left)}`)
  const stored = await storedHashes(store, { sizes: [head.right] })
  const root = stored?.roots.get(head.right)
  return root === undefined ? auditStore(session, store, {}) : E.right({ size: head.right, root })
}

/** Says how the chain broke, as `ketnap verify` does; the status for it. */
const reportChain = async (io: Io, audit: LogAudit, kept: Head | undefined): Promise<boolean> => {
  const chain = audit.chain
  if (chain.ok) {
    await say(
      io,
      `intact: ${chain.head.position} event(s)${kept === undefined ? '' : `, extending the kept head ${kept.position}:${kept.hash}`}`,
    )
    return true
  }
  await say(io, `broken at position ${chain.firstBrokenPosition}: ${chain.code}: ${chain.reason}`)
  if (kept !== undefined && chain.firstBrokenPosition <= kept.position)
    await say(io, `the kept head ${kept.position}:${kept.hash} is no longer in the log`)
  return false
}

/** Signs a checkpoint of the current log with an Ed25519 private key; refuses a log whose chain is broken. */
export const checkpointCommand = async (
  session: Session,
  store: EventStore,
  options: { readonly key: string; readonly origin?: string; readonly out?: string },
): Promise<ExitStatus> => {
  const { io } = session
  const origin = options.origin ?? DEFAULT_ORIGIN
  const key = await readTextFile(io, options.key)
  if (E.isLeft(key)) {
    await complain(io, key.left)
    return ExitStatus.failure
  }
  // Checked before reading the whole log: a bad key or origin fails at once.
  const probe = noteVerifierKey(origin, key.right)
  if (E.isLeft(probe)) {
    await complain(io, `${probe.left.code}: ${probe.left.message}`)
    return ExitStatus.failure
  }
  // From the stored tree when the store keeps one: the events' stored hashes are signed as they are
  // (`verify` recomputes them); else the log is read once, and a broken chain is refused.
  const current = await currentTree(session, store)
  if (E.isLeft(current)) {
    await complain(io, current.left)
    return ExitStatus.failure
  }
  if ('chain' in current.right && !current.right.chain.ok) {
    const chain = current.right.chain
    await complain(
      io,
      `no checkpoint signed: broken at position ${chain.firstBrokenPosition}: ${chain.code}: ${chain.reason}`,
    )
    return ExitStatus.broken
  }
  const tree = 'chain' in current.right ? current.right.tree : current.right
  const note = signCheckpoint({ origin, size: tree.size, root: tree.root, extensions: [] }, key.right)
  if (E.isLeft(note)) {
    await complain(io, `${note.left.code}: ${note.left.message}`)
    return ExitStatus.failure
  }
  if (options.out === undefined) {
    await io.stdout.write(note.right)
  } else {
    try {
      await writeFile(resolve(io.cwd, options.out), note.right)
    } catch (cause) {
      await complain(io, `cannot write ${options.out}: ${messageOf(cause)}`)
      return ExitStatus.failure
    }
    await say(io, `checkpoint of ${tree.size} event(s) written to ${options.out}`)
  }
  await complain(io, `verifier key: ${probe.right}`)
  return ExitStatus.ok
}

/** A checkpoint file whose signature verified. */
interface OpenedCheckpoint {
  readonly path: string
  readonly checkpoint: LogCheckpoint
}

const describeCheckpoint = (path: string, c: LogCheckpoint): string =>
  `checkpoint ${path} (${c.origin}, size ${c.size})`

/**
 * `ketnap verify` with checkpoints: every checkpoint must be signed by one of the public keys (else exit 3,
 * `bad-signature`), and the log, its chain verified, must extend each of them (else exit 3 naming the
 * checkpoint and where the log first differs).
 */
export const verifyCheckpointsCommand = async (
  session: Session,
  store: EventStore,
  options: {
    readonly head: Head | undefined
    readonly checkpoints: ReadonlyArray<string>
    readonly publicKeys: ReadonlyArray<string>
  },
): Promise<ExitStatus> => {
  const { io } = session
  const keys: string[] = []
  for (const path of options.publicKeys) {
    const key = await readTextFile(io, path)
    if (E.isLeft(key)) {
      await complain(io, key.left)
      return ExitStatus.failure
    }
    keys.push(key.right)
  }
  const opened: OpenedCheckpoint[] = []
  let unsigned = false
  for (const path of options.checkpoints) {
    const note = await readTextFile(io, path)
    if (E.isLeft(note)) {
      await complain(io, note.left)
      return ExitStatus.failure
    }
    const checkpoint: E.Either<CheckpointError, LogCheckpoint> = openCheckpoint(note.right, keys)
    if (E.isRight(checkpoint)) {
      opened.push({ path, checkpoint: checkpoint.right })
    } else if (checkpoint.left.code === 'bad-signature') {
      await say(io, `checkpoint ${path}: bad-signature: ${checkpoint.left.message}`)
      unsigned = true
    } else {
      await complain(io, `${path}: ${checkpoint.left.code}: ${checkpoint.left.message}`)
      return ExitStatus.failure
    }
  }
  if (unsigned) return ExitStatus.broken
  const audit = await auditStore(session, store, {
    ...(options.head === undefined ? {} : { head: options.head }),
    checkpoints: opened.map((o) => o.checkpoint),
  })
  if (E.isLeft(audit)) {
    await complain(io, audit.left)
    return ExitStatus.failure
  }
  let ok = await reportChain(io, audit.right, options.head)
  for (const [i, verdict] of audit.right.checkpoints.entries()) {
    const path = opened[i]?.path ?? ''
    if (verdict.ok) {
      await say(io, `${describeCheckpoint(path, verdict.checkpoint)}: extended`)
    } else {
      ok = false
      // The message places a first differing position known only within a range; an exact one is named.
      const where = verdict.from === verdict.to ? ` at position ${verdict.from}` : ''
      await say(
        io,
        `${describeCheckpoint(path, verdict.checkpoint)}: ${verdict.code}${where}: ${verdict.message}`,
      )
    }
  }
  const head = audit.right.chain.head
  await say(io, `head ${head.position}:${head.hash}`)
  return ok ? ExitStatus.ok : ExitStatus.broken
}
