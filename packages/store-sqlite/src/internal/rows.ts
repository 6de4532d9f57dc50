/**
 * @internal
 * Rows of the `events` table and their envelopes.
 */
import * as E from 'fp-ts/Either'
import { canonicalDataJson, storageError, type Envelope, type Json, type StorageError } from '@ketnap/kernel'

/** A row of `events` as better-sqlite3 returns it. @internal */
export interface EventRow {
  readonly position: number
  readonly stream: string
  readonly version: number
  readonly id: string
  readonly type: string
  readonly schema_version: number
  readonly data: string
  readonly recorded_at: string
  readonly actor: string | null
  readonly prev_hash: string
  readonly hash: string
}

/** The columns of `events`, in the order of EventRow. @internal */
export const EVENT_COLUMNS =
  'position, stream, version, id, type, schema_version, data, recorded_at, actor, prev_hash, hash'

/** The parameters that insert one envelope (named after the columns). @internal */
export const envelopeToParams = (e: Envelope): EventRow => ({
  position: e.position,
  stream: e.stream,
  version: e.version,
  id: e.id,
  type: e.type,
  schema_version: e.schemaVersion,
  data: canonicalDataJson(e),
  recorded_at: e.recordedAt,
  actor: e.actor,
  prev_hash: e.prevHash,
  hash: e.hash,
})

/**
 * The envelope stored in a row. Only `data` can fail to decode (a file edited behind the store's back);
 * the hash chain, not this decoder, is what detects other edits.
 * @internal
 */
export const rowToEnvelope =
  (path: string) =>
  (row: EventRow): E.Either<StorageError, Envelope> => {
    let data: Json
    try {
      data = JSON.parse(row.data) as Json
    } catch (cause) {
      return E.left(
        storageError(`${path}: the data of the event at position ${row.position} is not JSON`, cause),
      )
    }
    return E.right({
      position: row.position,
      stream: row.stream,
      version: row.version,
      id: row.id,
      type: row.type,
      schemaVersion: row.schema_version,
      data,
      recordedAt: row.recorded_at,
      actor: row.actor,
      prevHash: row.prev_hash,
      hash: row.hash,
    })
  }
