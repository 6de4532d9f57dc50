/**
 * The write side's state kept beside the log: the domain's validator state (what its rules need to
 * decide a command or check an imported line) saved through the store's SnapshotStore port with the
 * position and hash it reflects, so that a fresh process folds only the events recorded after it instead
 * of replaying the whole log before its first command or import.
 *
 * The state is written with Node's structured serialization (`node:v8`), which keeps Maps, Sets and
 * plain records as they are, without a codec per domain; a domain opts in by giving its validator a
 * `stateVersion`, to be raised whenever the state's shape or the way events fold into it changes (an
 * older snapshot is then ignored and the log replayed). A snapshot is used only while the log still has
 * its position with its hash; anything else (another version, a rewritten log, an unreadable snapshot)
 * falls back to replaying, never to a wrong state.
 */
import { deserialize, serialize } from 'node:v8'
import * as E from 'fp-ts/Either'
import type { Domain } from './domain'
import type { Head } from './envelope'
import type { StoreError } from './errors'
import type { EventStore } from './eventStore'
import type { SnapshotStore } from './projection'

/** A validator state and where in the log it stands. */
export interface WriteState<W> {
  readonly state: W
  /** The last event folded into it. */
  readonly head: Head
  /** That event's `recordedAt` (`null` for an empty log). */
  readonly lastRecordedAt: string | null
}

/** What a snapshot of the write side holds besides its checkpoint. */
interface Saved {
  readonly hash: string
  readonly lastRecordedAt: string | null
  /** The structured serialization of the state, base64. */
  readonly data: string
}

/** The snapshot's name for a domain. */
export const writeStateName = (domain: { readonly name: string }): string => `write-state/${domain.name}`

const snapshotsOf = (store: EventStore): (EventStore & SnapshotStore) | null =>
  'loadSnapshot' in store && 'saveSnapshot' in store ? (store as EventStore & SnapshotStore) : null

const isSaved = (u: unknown): u is Saved =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as Saved).hash === 'string' &&
  typeof (u as Saved).data === 'string' &&
  ((u as Saved).lastRecordedAt === null || typeof (u as Saved).lastRecordedAt === 'string')

/**
 * The saved write state of a domain, when the store keeps snapshots, the domain opts in, and the
 * snapshot still matches the log; `null` otherwise (the caller replays the log).
 */
export const loadWriteState = async <Ev, W>(
  store: EventStore,
  domain: Domain<Ev, W>,
): Promise<E.Either<StoreError, WriteState<W> | null>> => {
  const snapshots = snapshotsOf(store)
  const version = domain.validator.stateVersion
  if (snapshots === null || version === undefined) return E.right(null)
  let stateBytes: Uint8Array | undefined
  const name = writeStateName(domain)
  const loaded = await snapshots.loadSnapshot(
    snapshots.loadSnapshotBytes === undefined ? name : `${name}#meta`,
  )()
  if (E.isLeft(loaded)) return loaded
  const snapshot = loaded.right
  if (snapshot === null || snapshot.version !== version || !isSaved(snapshot.state)) return E.right(null)
  const saved: Saved = snapshot.state
  if (snapshots.loadSnapshotBytes !== undefined) {
    // The state's bytes, kept apart from its description: both must be of the same save.
    const bytes = await snapshots.loadSnapshotBytes(name)()
    if (E.isLeft(bytes)) return bytes
    if (bytes.right === null || bytes.right.version !== version || bytes.right.position !== snapshot.position)
      return E.right(null)
    stateBytes = bytes.right.bytes
  }
  // The log must still hold the snapshot's last event, with the same hash.
  if (snapshot.position > 0) {
    let hash: string | undefined
    for await (const batch of store.readAll({
      fromPosition: snapshot.position,
      toPosition: snapshot.position,
    })) {
      if (E.isLeft(batch)) return batch
      hash = batch.right[0]?.hash
    }
    if (hash !== saved.hash) return E.right(null)
  }
  let state: W
  try {
    state = deserialize(stateBytes ?? Buffer.from(saved.data, 'base64')) as W
  } catch {
    return E.right(null)
  }
  return E.right({
    state,
    head: { position: snapshot.position, hash: saved.hash },
    lastRecordedAt: saved.lastRecordedAt,
  })
}

/** Saves a domain's write state, when the store keeps snapshots and the domain opts in. */
export const saveWriteState = async <Ev, W>(
  store: EventStore,
  domain: Domain<Ev, W>,
  written: WriteState<W>,
): Promise<E.Either<StoreError, void>> => {
  const snapshots = snapshotsOf(store)
  const version = domain.validator.stateVersion
  if (snapshots === null || version === undefined) return E.right(undefined)
  const name = writeStateName(domain)
  const position = written.head.position
  let bytes: Buffer
  try {
    bytes = serialize(written.state)
  } catch {
    // A state that cannot be serialized is simply not kept.
    return E.right(undefined)
  }
  if (snapshots.saveSnapshotBytes !== undefined) {
    // The bytes as they are, and their description beside them (no base64, no JSON text of the state).
    const kept = await snapshots.saveSnapshotBytes({ name, version, position, bytes })()
    if (E.isLeft(kept)) return kept
    const meta: Saved = { hash: written.head.hash, lastRecordedAt: written.lastRecordedAt, data: '' }
    return snapshots.saveSnapshot({ name: `${name}#meta`, version, position, state: { ...meta } })()
  }
  let data: string
  try {
    data = bytes.toString('base64')
  } catch {
    // Too large for one string: not kept.
    return E.right(undefined)
  }
  const saved: Saved = { hash: written.head.hash, lastRecordedAt: written.lastRecordedAt, data }
  return snapshots.saveSnapshot({ name, version, position, state: { ...saved } })()
}

/**
 * Whether enough was folded since the state was last saved to save it again: at least 10,000 events and
 * a tenth of the log, so that a small import or command does not pay for serializing the whole state.
 */
export const worthSaving = (foldedSinceSaved: number, logSize: number): boolean =>
  foldedSinceSaved >= 10_000 && foldedSinceSaved >= logSize / 10
