/**
 * @internal
 * The write side's keyed state on SQLite (the kernel's KeyedStateStore port): the `keyed_state` table,
 * read and written on the store's connection. Inside an import's transaction the same statements read
 * and write within it, so the rows are committed or rolled back with the import's events.
 */
import type Database from 'better-sqlite3'
import { KEYED_META_KEY, type KeyedRow, type KeyedWrite } from '@ketnap/kernel'

/** The statements of the keyed state. @internal */
export interface KeyedStatements {
  readonly read: Database.Statement<[string, string], [string, number, Uint8Array]>
  readonly meta: Database.Statement<[string, string], number>
  readonly upsert: Database.Statement<[string, string, number, Uint8Array], unknown>
  readonly remove: Database.Statement<[string, string], unknown>
  readonly clear: Database.Statement<[string], unknown>
}

/** Prepares the statements of the keyed state (once per store). @internal */
export const prepareKeyedStatements = (db: Database.Database): KeyedStatements => ({
  // The keys are passed as one JSON array, read with json_each: one statement whatever their number.
  read: db
    .prepare<[string, string], [string, number, Uint8Array]>(
      'SELECT key, position, value FROM keyed_state WHERE space = ? AND key IN (SELECT value FROM json_each(?))',
    )
    .raw(),
  meta: db
    .prepare<[string, string], number>('SELECT position FROM keyed_state WHERE space = ? AND key = ?')
    .pluck(),
  upsert: db.prepare<[string, string, number, Uint8Array], unknown>(
    'INSERT INTO keyed_state (space, key, position, value) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (space, key) DO UPDATE SET position = excluded.position, value = excluded.value',
  ),
  remove: db.prepare<[string, string], unknown>('DELETE FROM keyed_state WHERE space = ? AND key = ?'),
  clear: db.prepare<[string], unknown>('DELETE FROM keyed_state WHERE space = ?'),
})

/** Reads the rows of `keys` that exist. @internal */
export const readKeyedRows = (
  stmts: KeyedStatements,
  space: string,
  keys: ReadonlyArray<string>,
): ReadonlyMap<string, KeyedRow> => {
  const rows = new Map<string, KeyedRow>()
  // Bounded statements: a large prefetch is read in slices.
  for (let i = 0; i < keys.length; i += 10_000) {
    for (const [key, position, value] of stmts.read.all(space, JSON.stringify(keys.slice(i, i + 10_000))))
      rows.set(key, { position, bytes: value })
  }
  return rows
}

/**
 * Writes rows (inside the caller's transaction); false, writing nothing, when the description row is
 * not where the write expects it. @internal
 */
export const writeKeyedRows = (stmts: KeyedStatements, space: string, write: KeyedWrite): boolean => {
  if (write.expectMeta !== undefined && (stmts.meta.get(space, KEYED_META_KEY) ?? null) !== write.expectMeta)
    return false
  if (write.reset === true) stmts.clear.run(space)
  // In key order (a stable sort: a key given twice keeps its last value), so that the primary key's
  // B-tree is walked once from left to right: a large write (an import's cache, tens of thousands of
  // persons' records) otherwise lands on pages all over a table larger than the page cache.
  const entries = write.entries.length > 1 ? [...write.entries].sort(byKey) : write.entries
  for (const list of [entries, write.tail ?? []])
    for (const { key, bytes } of list) {
      if (bytes === null) stmts.remove.run(space, key)
      else stmts.upsert.run(space, key, write.position, bytes)
    }
  return true
}

const byKey = (a: { readonly key: string }, b: { readonly key: string }): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0
