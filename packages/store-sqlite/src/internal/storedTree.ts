/**
 * @internal
 * The `subtrees` table of a SQLite store: the rows of the log's stored tree (the kernel's
 * `storedTree.ts` computes them; this file only reads and writes them), written in the transaction of
 * the events that complete them, read for roots and proofs, and filled once for a log stored before the
 * table existed.
 */
import type Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import {
  completedSubtrees,
  completesSubtree,
  createSubtreeBuilder,
  frontierReads,
  type MerkleHash,
  type ReadTree,
  type StorageError,
  type StoredSubtree,
  type SubtreeBuilder,
} from '@ketnap/kernel'
import { attempt } from './driverErrors'

/** The statements of the stored tree. @internal */
export interface TreeStatements {
  readonly subtree: Database.Statement<[number, number], Buffer>
  readonly insert: Database.Statement<[number, number, Buffer], unknown>
  readonly eventHashes: Database.Statement<[number, number], string>
}

/** Prepares the statements of the stored tree, once per connection. @internal */
export const prepareTreeStatements = (db: Database.Database): TreeStatements => ({
  subtree: db
    .prepare<[number, number], Buffer>('SELECT hash FROM subtrees WHERE height = ? AND idx = ?')
    .pluck(),
  insert: db.prepare<[number, number, Buffer], unknown>(
    'INSERT OR REPLACE INTO subtrees (height, idx, hash) VALUES (?, ?, ?)',
  ),
  // Leaf i is the event at position i + 1: the leaves [start, end) are positions start + 1 .. end.
  eventHashes: db
    .prepare<[number, number], string>(
      'SELECT hash FROM events WHERE position > ? AND position <= ? ORDER BY position',
    )
    .pluck(),
})

const insertRows = (stmts: TreeStatements, rows: ReadonlyArray<StoredSubtree>): void => {
  for (const row of rows) stmts.insert.run(row.height, row.index, Buffer.from(row.hash))
}

/**
 * Inserts the subtrees that these envelopes, just written after a log of `size` events, complete. Runs
 * inside the caller's transaction; a tree that already lacks a row (a log damaged before the table was
 * filled) is left as it is, and readers read the log instead.
 * @internal
 */
export const writeSubtrees = (
  stmts: TreeStatements,
  size: number,
  envelopes: ReadonlyArray<{ readonly hash: string }>,
): void => {
  if (!completesSubtree(size, envelopes.length)) return
  const reads = frontierReads(size)
  const subtrees: MerkleHash[] = []
  for (const key of reads.subtrees) {
    const hash = stmts.subtree.get(key.height, key.index)
    if (hash === undefined) return
    subtrees.push(new Uint8Array(hash))
  }
  const leaves = stmts.eventHashes.all(reads.leaves.start, reads.leaves.end)
  const rows = completedSubtrees(
    size,
    { subtrees, leaves },
    envelopes.map((e) => e.hash),
  )
  if (E.isRight(rows)) insertRows(stmts, rows.right)
}

/**
 * The stored tree's writer of an import session, which holds the write lock from its first write to its
 * commit: the builder is made once, from the frontier of the log as the session found it, and every
 * written event is pushed to it once. Writing each chunk with `writeSubtrees` instead read back and
 * rehashed the last incomplete block (up to 255 events) on every chunk. A log whose tree already lacks
 * a row is left as it is, as `writeSubtrees` leaves it.
 * @internal
 */
export const sessionSubtreeWriter = (
  stmts: TreeStatements,
): ((size: number, envelopes: ReadonlyArray<{ readonly hash: string }>) => void) => {
  let builder: SubtreeBuilder | null | undefined
  return (size, envelopes) => {
    if (builder === undefined) {
      const reads = frontierReads(size)
      const subtrees: MerkleHash[] = []
      for (const key of reads.subtrees) {
        const hash = stmts.subtree.get(key.height, key.index)
        if (hash === undefined) break
        subtrees.push(new Uint8Array(hash))
      }
      const leaves = stmts.eventHashes.all(reads.leaves.start, reads.leaves.end)
      const made = createSubtreeBuilder(size, { subtrees, leaves })
      builder = E.isRight(made) ? made.right : null
    }
    if (builder === null || builder.size() !== size) return
    for (const e of envelopes) insertRows(stmts, builder.push(e.hash))
  }
}

/** The store's `readTree`: stored subtrees and event hashes by leaf range. @internal */
export const treeReader =
  (path: string, stmts: TreeStatements, closed: () => StorageError | null): ReadTree =>
  (request) => {
    const refused = closed()
    if (refused !== null) return Promise.resolve(E.left(refused))
    return Promise.resolve(
      attempt(path, 'reading the stored tree', () => ({
        subtrees: request.subtrees.map((k) => {
          const hash = stmts.subtree.get(k.height, k.index)
          return hash === undefined ? undefined : new Uint8Array(hash)
        }),
        leaves: request.leaves.map((r) => stmts.eventHashes.all(r.start, r.end)),
      })),
    )
  }

/** Events read per step while filling the table for an existing log. */
const FILL_PAGE = 65536

/**
 * Fills `subtrees` for the log already stored (the migration to schema version 2), in one pass over the
 * events' hashes, a page at a time, inside the migration's transaction. Stops at a gap in the positions
 * (a damaged log), leaving the tree short: readers then read the log, and `verify` names the gap.
 * @internal
 */
export const fillSubtrees = (
  db: Database.Database,
  onProgress?: (done: number, total: number) => void,
): void => {
  const stmts = prepareTreeStatements(db)
  const page = db
    .prepare<[number, number], [number, string]>(
      'SELECT position, hash FROM events WHERE position > ? ORDER BY position LIMIT ?',
    )
    .raw()
  const total = (db.prepare('SELECT max(position) FROM events').pluck().get() as number | null) ?? 0
  const builder = createSubtreeBuilder()
  if (E.isLeft(builder)) return
  for (let done = 0; done < total;) {
    const rows = page.all(done, FILL_PAGE)
    if (rows.length === 0) return
    for (const [position, hash] of rows) {
      if (position !== done + 1) return
      insertRows(stmts, builder.right.push(hash))
      done = position
    }
    onProgress?.(done, total)
  }
}
