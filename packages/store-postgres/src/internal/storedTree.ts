/**
 * @internal
 * The `subtrees` table of a PostgreSQL store: the rows of the log's stored tree (the kernel's
 * `storedTree.ts` computes them; this file only reads and writes them), written in the transaction of
 * the events that complete them, read for roots and proofs, and filled once for a log stored before the
 * table existed.
 */
import type pg from 'pg'
import * as E from 'fp-ts/Either'
import {
  completedSubtrees,
  completesSubtree,
  createSubtreeBuilder,
  frontierReads,
  type MerkleHash,
  type SubtreeKey,
  type StoredSubtree,
  type SubtreeBuilder,
} from '@ketnap/kernel'

/** The statements of the stored tree, for one schema (its name quoted). @internal */
export const treeStatementsFor = (quoted: string) => {
  const subtrees = `${quoted}.subtrees`
  const events = `${quoted}.events`
  return {
    subtrees: `SELECT s.height, s.idx, s.hash FROM ${subtrees} s JOIN unnest($1::integer[], $2::bigint[]) AS k(height, idx) ON s.height = k.height AND s.idx = k.idx`,
    insert:
      `INSERT INTO ${subtrees} (height, idx, hash) SELECT * FROM unnest($1::integer[], $2::bigint[], $3::bytea[]) ` +
      'ON CONFLICT (height, idx) DO UPDATE SET hash = excluded.hash',
    // Leaf i is the event at position i + 1: the leaves [start, end) are positions start + 1 .. end.
    eventHashes: `SELECT hash FROM ${events} WHERE position > $1 AND position <= $2 ORDER BY position`,
    page: `SELECT position, hash FROM ${events} WHERE position > $1 ORDER BY position LIMIT $2`,
    count: `SELECT coalesce(max(position), 0) AS n FROM ${events}`,
  }
}

/** The statements of the stored tree. @internal */
export type TreeStatements = ReturnType<typeof treeStatementsFor>

/** Anything that runs a query: a pool or a connection in a transaction. */
interface Queryable {
  readonly query: <R extends pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ) => Promise<pg.QueryResult<R>>
}

const keyText = (k: SubtreeKey): string => `${k.height}:${k.index}`

/** The stored hashes of these subtrees, in order (undefined when not stored). @internal */
export const readSubtrees = async (
  db: Queryable,
  sql: TreeStatements,
  keys: ReadonlyArray<SubtreeKey>,
): Promise<Array<MerkleHash | undefined>> => {
  if (keys.length === 0) return []
  const rows = await db.query<{ height: number; idx: number; hash: Buffer }>(sql.subtrees, [
    keys.map((k) => k.height),
    keys.map((k) => k.index),
  ])
  const found = new Map(rows.rows.map((r) => [keyText({ height: r.height, index: r.idx }), r.hash]))
  return keys.map((k) => {
    const hash = found.get(keyText(k))
    return hash === undefined ? undefined : new Uint8Array(hash)
  })
}

/** The event hashes of the leaves [start, end). @internal */
export const readEventHashes = async (
  db: Queryable,
  sql: TreeStatements,
  start: number,
  end: number,
): Promise<string[]> =>
  end <= start
    ? []
    : (await db.query<{ hash: string }>(sql.eventHashes, [start, end])).rows.map((r) => r.hash)

const insertRows = async (
  db: Queryable,
  sql: TreeStatements,
  rows: ReadonlyArray<StoredSubtree>,
): Promise<void> => {
  if (rows.length === 0) return
  await db.query(sql.insert, [
    rows.map((r) => r.height),
    rows.map((r) => r.index),
    rows.map((r) => Buffer.from(r.hash)),
  ])
}

/**
 * Inserts the subtrees that these envelopes, just written after a log of `size` events, complete. Runs
 * on the caller's transaction; a tree that already lacks a row (a log damaged before the table was
 * filled) is left as it is, and readers read the log instead.
 * @internal
 */
export const writeSubtrees = async (
  db: Queryable,
  sql: TreeStatements,
  size: number,
  envelopes: ReadonlyArray<{ readonly hash: string }>,
): Promise<void> => {
  if (!completesSubtree(size, envelopes.length)) return
  const reads = frontierReads(size)
  const stored = await readSubtrees(db, sql, reads.subtrees)
  if (stored.some((h) => h === undefined)) return
  const leaves = await readEventHashes(db, sql, reads.leaves.start, reads.leaves.end)
  const rows = completedSubtrees(
    size,
    { subtrees: stored as MerkleHash[], leaves },
    envelopes.map((e) => e.hash),
  )
  if (E.isRight(rows)) await insertRows(db, sql, rows.right)
}

/**
 * The stored tree's writer of an import session, which holds the table lock from its start to its
 * commit: the builder is made once, from the frontier of the log as the session found it, and every
 * written event is pushed to it once, where `writeSubtrees` reads back and rehashes the last incomplete
 * block (up to 255 events) on every write. A log whose tree already lacks a row is left as it is.
 * @internal
 */
export const sessionSubtreeWriter = (
  db: Queryable,
  sql: TreeStatements,
): ((size: number, envelopes: ReadonlyArray<{ readonly hash: string }>) => Promise<void>) => {
  let builder: SubtreeBuilder | null | undefined
  return async (size, envelopes) => {
    if (builder === undefined) {
      const reads = frontierReads(size)
      const stored = await readSubtrees(db, sql, reads.subtrees)
      const leaves = await readEventHashes(db, sql, reads.leaves.start, reads.leaves.end)
      const made = stored.some((h) => h === undefined)
        ? null
        : createSubtreeBuilder(size, { subtrees: stored as MerkleHash[], leaves })
      builder = made !== null && E.isRight(made) ? made.right : null
    }
    if (builder === null || builder.size() !== size) return
    const rows: StoredSubtree[] = []
    for (const e of envelopes) rows.push(...builder.push(e.hash))
    await insertRows(db, sql, rows)
  }
}

/** Events read per step while filling the table for an existing log. */
const FILL_PAGE = 65536

/**
 * Fills `subtrees` for the log already stored (the migration to schema version 2), in one pass over the
 * events' hashes, a page at a time, on the migration's transaction. Stops at a gap in the positions (a
 * damaged log), leaving the tree short: readers then read the log, and `verify` names the gap.
 * @internal
 */
export const fillSubtrees = async (
  db: Queryable,
  quoted: string,
  onProgress?: (done: number, total: number) => void,
): Promise<void> => {
  const sql = treeStatementsFor(quoted)
  const total = Number((await db.query<{ n: string | number }>(sql.count)).rows[0]?.n ?? 0)
  const builder = createSubtreeBuilder()
  if (E.isLeft(builder)) return
  for (let done = 0; done < total;) {
    const rows = (await db.query<{ position: string | number; hash: string }>(sql.page, [done, FILL_PAGE]))
      .rows
    if (rows.length === 0) return
    const completed: StoredSubtree[] = []
    for (const row of rows) {
      const position = Number(row.position)
      if (position !== done + 1) {
        await insertRows(db, sql, completed)
        return
      }
      completed.push(...builder.right.push(row.hash))
      done = position
    }
    await insertRows(db, sql, completed)
    onProgress?.(done, total)
  }
}
