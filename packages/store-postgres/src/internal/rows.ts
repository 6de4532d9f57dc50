/**
 * @internal
 * Rows of the `events` table and their envelopes. `data` is stored as text, the canonical JSON the hash
 * was computed over, so that what is read back hashes to the same bytes (`jsonb` would reorder keys and
 * normalize numbers).
 */
import * as E from 'fp-ts/Either'
import { canonicalDataJson, storageError, type Envelope, type Json, type StorageError } from '@ketnap/kernel'

/** A row of `events` as node-postgres returns it (bigint columns parsed to numbers by the pool). @internal */
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

/** The PostgreSQL array type of each column, in the order of EVENT_COLUMNS (for `unnest` inserts). @internal */
export const EVENT_COLUMN_TYPES = [
  'bigint',
  'text',
  'integer',
  'text',
  'text',
  'integer',
  'text',
  'text',
  'text',
  'text',
  'text',
] as const

/**
 * The parameters that insert envelopes in one statement: one array per column, in the order of
 * EVENT_COLUMNS.
 * @internal
 */
export const envelopesToColumns = (envelopes: ReadonlyArray<Envelope>): unknown[][] => {
  const columns: unknown[][] = EVENT_COLUMN_TYPES.map(() => [])
  for (const e of envelopes) {
    const values = [
      e.position,
      e.stream,
      e.version,
      e.id,
      e.type,
      e.schemaVersion,
      canonicalDataJson(e),
      e.recordedAt,
      e.actor,
      e.prevHash,
      e.hash,
    ]
    for (const [i, value] of values.entries()) columns[i]?.push(value)
  }
  return columns
}

/** A text value in COPY's text format: backslash, tab, newline and carriage return escaped. */
const copyText = (value: string): string =>
  /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : value

/**
 * Envelopes as the rows of `COPY events (EVENT_COLUMNS) FROM STDIN` in its text format: one line per
 * envelope, columns separated by tabs, NULL written `\N`; `dataJson`, when given, is each envelope's
 * data as canonical JSON, in the same order.
 * @internal
 */
export const envelopesToCopyText = (
  envelopes: ReadonlyArray<Envelope>,
  dataJson?: ReadonlyArray<string>,
): string => {
  let text = ''
  for (let i = 0; i < envelopes.length; i++) {
    const e = envelopes[i] as Envelope
    text +=
      `${e.position}\t${copyText(e.stream)}\t${e.version}\t${copyText(e.id)}\t${copyText(e.type)}` +
      `\t${e.schemaVersion}\t${copyText(dataJson?.[i] ?? canonicalDataJson(e))}\t${copyText(e.recordedAt)}` +
      `\t${e.actor === null ? '\\N' : copyText(e.actor)}\t${copyText(e.prevHash)}\t${copyText(e.hash)}\n`
  }
  return text
}

/**
 * The envelope stored in a row. Only `data` can fail to decode (a row edited behind the store's back);
 * the hash chain, not this decoder, is what detects other edits.
 * @internal
 */
export const rowToEnvelope =
  (where: string) =>
  (row: EventRow): E.Either<StorageError, Envelope> => {
    let data: Json
    try {
      data = JSON.parse(row.data) as Json
    } catch (cause) {
      return E.left(
        storageError(`${where}: the data of the event at position ${row.position} is not JSON`, cause),
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
