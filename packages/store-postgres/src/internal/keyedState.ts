/**
 * @internal
 * The write side's keyed state on PostgreSQL (the kernel's KeyedStateStore port): the `keyed_state`
 * table, read and written on a pooled connection or on an import's connection inside its transaction
 * (so the rows are committed or rolled back with its events). Writes to one space are serialized by a
 * transaction-scoped advisory lock, so that the check of the description row and the rows after it are
 * one step for every writer, whether the row exists yet or not.
 */
import type pg from 'pg'
import { KEYED_META_KEY, type KeyedRow, type KeyedWrite } from '@ketnap/kernel'

/** The statements of the keyed state, for one schema (its name quoted). @internal */
export const keyedStatementsFor = (quoted: string) => {
  const table = `${quoted}.keyed_state`
  return {
    // One probe of the primary key per key asked for (a lateral subquery): `key = ANY($2)` with a chunk's
    // keys was planned as a scan of the whole table inside an import's transaction, growing with the state.
    read:
      'SELECT t.key, t.position, t.value FROM unnest($2::text[]) AS k(key) CROSS JOIN LATERAL ' +
      `(SELECT key, position, value FROM ${table} WHERE space = $1 AND key = k.key) AS t`,
    // One lock per schema and space: hashtext of both, in the advisory lock's two-key form.
    lock: `SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`,
    meta: `SELECT position FROM ${table} WHERE space = $1 AND key = $2`,
    upsert:
      `INSERT INTO ${table} (space, key, position, value) ` +
      'SELECT $1, k, $2, v FROM unnest($3::text[], $4::bytea[]) AS t(k, v) ' +
      'ON CONFLICT (space, key) DO UPDATE SET position = excluded.position, value = excluded.value',
    remove: `DELETE FROM ${table} WHERE space = $1 AND key = ANY($2::text[])`,
    clear: `DELETE FROM ${table} WHERE space = $1`,
    quoted,
  }
}

/** The statements of the keyed state. @internal */
export type KeyedStatements = ReturnType<typeof keyedStatementsFor>

/** Anything that runs a query: a pool or a connection in a transaction. */
interface Queryable {
  readonly query: <R extends pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ) => Promise<pg.QueryResult<R>>
}

/** Reads the rows of `keys` that exist. @internal */
export const readKeyedRows = async (
  q: Queryable,
  sql: KeyedStatements,
  space: string,
  keys: ReadonlyArray<string>,
): Promise<ReadonlyMap<string, KeyedRow>> => {
  const rows = new Map<string, KeyedRow>()
  if (keys.length === 0) return rows
  const result = await q.query<{ key: string; position: string | number; value: Buffer }>(sql.read, [
    space,
    [...keys],
  ])
  for (const row of result.rows)
    rows.set(row.key, { position: Number(row.position), bytes: new Uint8Array(row.value) })
  return rows
}

/** Rows per statement of a large write. */
const WRITE_ROWS = 5000

/** Bytes per statement of a write's tail (large values in pieces). */
const TAIL_BYTES = 4 * 1024 * 1024

/**
 * Writes rows inside the caller's transaction; false, writing nothing, when the description row is not
 * where the write expects it. @internal
 */
export const writeKeyedRows = async (
  q: Queryable,
  sql: KeyedStatements,
  space: string,
  write: KeyedWrite,
): Promise<boolean> => {
  await q.query(sql.lock, [sql.quoted, space])
  if (write.expectMeta !== undefined) {
    const meta = (await q.query<{ position: string | number }>(sql.meta, [space, KEYED_META_KEY])).rows[0]
    if ((meta === undefined ? null : Number(meta.position)) !== write.expectMeta) return false
  }
  if (write.reset === true) await q.query(sql.clear, [space])
  const kept = write.entries.filter((e) => e.bytes !== null)
  const removed = write.entries.filter((e) => e.bytes === null).map((e) => e.key)
  for (let i = 0; i < kept.length; i += WRITE_ROWS) {
    const slice = kept.slice(i, i + WRITE_ROWS)
    await q.query(sql.upsert, [
      space,
      write.position,
      slice.map((e) => e.key),
      slice.map((e) => Buffer.from(e.bytes as Uint8Array)),
    ])
  }
  if (removed.length > 0) await q.query(sql.remove, [space, removed])
  // The tail in statements of about TAIL_BYTES each, its entries taken as they are written.
  let keys: string[] = []
  let values: Buffer[] = []
  let size = 0
  const flush = async (): Promise<void> => {
    if (keys.length > 0) await q.query(sql.upsert, [space, write.position, keys, values])
    keys = []
    values = []
    size = 0
  }
  for (const { key, bytes } of write.tail ?? []) {
    if (bytes === null) {
      await flush()
      await q.query(sql.remove, [space, [key]])
      continue
    }
    keys.push(key)
    values.push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes))
    size += bytes.byteLength
    if (size >= TAIL_BYTES || keys.length >= WRITE_ROWS) await flush()
  }
  await flush()
  return true
}
