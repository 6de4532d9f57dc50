/**
 * @internal
 * Rows of the `events` table and their envelopes.
 */
import type { Statement } from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { canonicalDataJson, storageError, type Envelope, type Json, type StorageError } from '@ketnap/kernel'

/**
 * A row of `events`, its columns in the order of EVENT_COLUMNS: what a raw (array) read returns and an
 * insert binds. Arrays rather than objects named after the columns, which cost better-sqlite3 a named
 * property per column to build or bind (reads took 1.7 times, inserts 1.35 times as long).
 * @internal
 */
export type EventRow = [
  position: number,
  stream: string,
  version: number,
  id: string,
  type: string,
  schemaVersion: number,
  data: string,
  recordedAt: string,
  actor: string | null,
  prevHash: string,
  hash: string,
]

/** The columns of `events`, in the order of EventRow. @internal */
export const EVENT_COLUMNS =
  'position, stream, version, id, type, schema_version, data, recorded_at, actor, prev_hash, hash'

/**
 * Inserts one envelope with a statement binding EventRow (`VALUES (?, ..., ?)`), given its data's
 * canonical JSON when the caller has it. @internal
 */
export const insertEnvelope = (
  insert: Statement<EventRow, unknown>,
  e: Envelope,
  dataJson?: string,
): void => {
  insert.run(
    e.position,
    e.stream,
    e.version,
    e.id,
    e.type,
    e.schemaVersion,
    dataJson ?? canonicalDataJson(e),
    e.recordedAt,
    e.actor,
    e.prevHash,
    e.hash,
  )
}

/**
 * The envelope stored in a row. Only `data` can fail to decode (a file edited behind the store's back);
 * the hash chain, not this decoder, is what detects other edits.
 * @internal
 */
export const rowToEnvelope =
  (path: string) =>
  (row: EventRow): E.Either<StorageError, Envelope> => {
    const [position, stream, version, id, type, schemaVersion, text, recordedAt, actor, prevHash, hash] = row
    let data: Json
    try {
      data = JSON.parse(text) as Json
    } catch (cause) {
      return E.left(storageError(`${path}: the data of the event at position ${position} is not JSON`, cause))
    }
    return E.right({
      position,
      stream,
      version,
      id,
      type,
      schemaVersion,
      data,
      recordedAt,
      actor,
      prevHash,
      hash,
    })
  }
