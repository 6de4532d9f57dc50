/**
 * An import's write session: one transaction that stays open while the importer checks a file chunk by
 * chunk and writes each clean chunk into it, committed at the end or rolled back when any line was
 * invalid (all or nothing). A store that offers one (`EventStore.beginImport`) lets an import of any size
 * run in bounded memory: the importer asks the session, chunk by chunk, for the stream versions and the
 * stored events it needs, instead of holding every id and stream of the log. Any other store gets the
 * buffered session, which holds the accepted events and appends them in one `appendBatch` at the end.
 */
import * as E from 'fp-ts/Either'
import type { Envelope, Head, NewEvent } from './envelope'
import { storageError, type StoreError } from './errors'
import type { EventStore, ImportSession, StreamAppend } from './eventStore'

/** Checks that envelopes continue a head, so that an import session never writes a broken chain. */
export const continuesHead = (head: Head, envelopes: ReadonlyArray<Envelope>): E.Either<StoreError, Head> => {
  let current = head
  for (const e of envelopes) {
    if (e.position !== current.position + 1 || e.prevHash !== current.hash)
      return E.left(
        storageError(
          `an import wrote position ${e.position} after ${current.position}: envelopes must continue the head`,
        ),
      )
    current = { position: e.position, hash: e.hash }
  }
  return E.right(current)
}

/**
 * The session of a store without one of its own: stream versions come from the store, stored events
 * by id from the ids and envelopes the caller gathered while replaying the log (`storedAt`: id to
 * position), and the accepted events are appended in one `appendBatch` at commit, which plans them
 * again inside the store's transaction.
 */
export const bufferedImportSession = async (
  store: EventStore,
  start: { readonly head: Head; readonly lastRecordedAt: string | null },
  storedAt: ReadonlyMap<string, number>,
): Promise<E.Either<StoreError, ImportSession>> => {
  let head = start.head
  const written = new Map<string, Envelope>()
  const streamVersions = new Map<string, number>()
  const pending: Envelope[] = []

  const storedEvent = async (position: number): Promise<E.Either<StoreError, Envelope | undefined>> => {
    for await (const batch of store.readAll({ fromPosition: position, toPosition: position })) {
      if (E.isLeft(batch)) return batch
      return E.right(batch.right[0])
    }
    return E.right(undefined)
  }

  return E.right({
    head: start.head,
    lastRecordedAt: start.lastRecordedAt,
    lookup: async (streams, ids) => {
      const versions = new Map<string, number>()
      for (const stream of streams) {
        const known = streamVersions.get(stream)
        if (known !== undefined) {
          versions.set(stream, known)
          continue
        }
        const version = await store.streamVersion(stream)()
        if (E.isLeft(version)) return version
        versions.set(stream, version.right)
      }
      const events = new Map<string, Envelope>()
      for (const id of ids) {
        const mine = written.get(id)
        if (mine !== undefined) {
          events.set(id, mine)
          continue
        }
        const position = storedAt.get(id)
        if (position === undefined) continue
        const stored = await storedEvent(position)
        if (E.isLeft(stored)) return stored
        if (stored.right !== undefined) events.set(id, stored.right)
      }
      return E.right({ versions, events })
    },
    write: (envelopes) => {
      const next = continuesHead(head, envelopes)
      if (E.isLeft(next)) return Promise.resolve(next)
      head = next.right
      for (const e of envelopes) {
        written.set(e.id, e)
        streamVersions.set(e.stream, e.version)
        pending.push(e)
      }
      return Promise.resolve(E.right(undefined))
    },
    commit: async () => {
      if (pending.length === 0) return E.right(head)
      const batch: { stream: string; events: NewEvent[]; expectedVersion: number }[] = []
      for (const e of pending) {
        const event: NewEvent = {
          type: e.type,
          data: e.data,
          id: e.id,
          schemaVersion: e.schemaVersion,
          recordedAt: e.recordedAt,
          actor: e.actor,
        }
        const last = batch.at(-1)
        if (last !== undefined && last.stream === e.stream) last.events.push(event)
        else batch.push({ stream: e.stream, events: [event], expectedVersion: e.version - 1 })
      }
      // The store plans the batch again in its own transaction. It cannot be told the head the import
      // planned against, so another process appending between the replay and now shifts positions;
      // stores with a session of their own check the head inside their transaction.
      const appended = await store.appendBatch(batch satisfies ReadonlyArray<StreamAppend>)()
      if (E.isLeft(appended)) return appended
      return E.right(appended.right.head)
    },
    rollback: () => {
      pending.length = 0
      return Promise.resolve(E.right(undefined))
    },
  })
}
