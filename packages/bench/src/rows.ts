/**
 * The rows of the log as the stores keep them, and the least any importer of the interchange format
 * must do to make them: parse each line, build the canonical envelope (EVENTS.md, Audit) and chain its
 * SHA-256. Used by the machine's limits, which must not run any of ketnap's own append path.
 */
import { createHash, randomUUID } from 'node:crypto'
import { streamOf, type DomainEvent } from '@ketnap/core'
import { canonicalJson, normalizeInstant, type Json } from '@ketnap/kernel'
import { linesOf } from './logFile'

/**
 * One stored event in the column order of both stores' `events` table: position, stream, version, id,
 * type, schema_version, data (canonical JSON), recorded_at, actor, prev_hash, hash.
 */
export type EventRow = [
  number,
  string,
  number,
  string,
  string,
  number,
  string,
  string,
  string | null,
  string,
  string,
]

/** The columns of `EventRow`, for SQL. */
export const EVENT_COLUMNS =
  'position, stream, version, id, type, schema_version, data, recorded_at, actor, prev_hash, hash'

/** Rows handed over in batches, so that consumers pay one call per batch, not per row. */
export const ROW_BATCH = 10_000

interface Line {
  readonly type: string
  readonly data: Json
  readonly id?: string
  readonly schemaVersion?: number
  readonly recordedAt?: string
  readonly actor?: string | null
  readonly hash?: string
}

/** How a chained read went: the hashes the lines carried that the chain did not reproduce. */
export interface ChainCheck {
  mismatches: number
}

/**
 * The log's lines as chained rows: each line parsed, its stream derived from its data, numbered, its
 * data written as canonical JSON, its instant normalized (as stored and hashed) and its envelope hashed
 * with the previous hash. Where a line carries a hash, a different one is counted in
 * `check`, so that the limit is known to compute the same chain as the stores.
 */
export async function* chainedRows(path: string, check: ChainCheck): AsyncGenerator<EventRow[]> {
  const versions = new Map<string, number>()
  const importedAt = new Date().toISOString()
  let position = 0
  let prevHash = ''
  let batch: EventRow[] = []
  for await (const text of linesOf(path)) {
    const e = JSON.parse(text) as Line
    position += 1
    const stream = streamOf(e as unknown as DomainEvent)
    const version = (versions.get(stream) ?? 0) + 1
    versions.set(stream, version)
    const id = e.id ?? randomUUID()
    const schemaVersion = e.schemaVersion ?? 1
    const given = e.recordedAt === undefined ? undefined : normalizeInstant(e.recordedAt)
    const recordedAt = given === undefined ? importedAt : given._tag === 'Right' ? given.right : e.recordedAt!
    const actor = e.actor ?? null
    const data = canonicalJson(e.data)
    // The envelope without `hash`, its keys in sorted order, `data` already canonical.
    const canonical =
      `{"actor":${JSON.stringify(actor)},"data":${data},"id":${JSON.stringify(id)}` +
      `,"position":${position},"prevHash":${JSON.stringify(prevHash)}` +
      `,"recordedAt":${JSON.stringify(recordedAt)},"schemaVersion":${schemaVersion}` +
      `,"stream":${JSON.stringify(stream)},"type":${JSON.stringify(e.type)},"version":${version}}`
    const hash = createHash('sha256').update(canonical, 'utf8').digest('hex')
    if (e.hash !== undefined && e.hash !== hash) check.mismatches += 1
    batch.push([
      position,
      stream,
      version,
      id,
      e.type,
      schemaVersion,
      data,
      recordedAt,
      actor,
      prevHash,
      hash,
    ])
    prevHash = hash
    if (batch.length === ROW_BATCH) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}
