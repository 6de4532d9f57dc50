/**
 * @internal
 * Read models in the store's file: their tables beside the log, each batch of rows written with the
 * model's checkpoint in one `BEGIN IMMEDIATE` transaction.
 */
import type Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import {
  createTableStatements,
  readModelCheckpointName,
  readModelIndexes,
  readModelTablePrefix,
  type ReadModelStore,
  type ReadModelWrite,
  type SqlRow,
  type SqlStatement,
  type SqlValue,
  type StoreError,
} from '@ketnap/kernel'

/*
 * Tables are made WITHOUT ROWID: each is one B-tree in primary key order (a person's or an
 * organization's rows side by side), so that a report's lookup by key reads its row where the key is,
 * not an index entry and then the table, and a write fills one tree instead of two.
 */

/** A statement of the common SQL made ready for SQLite: `$n` become `?`, bound in the order they appear. */
interface Prepared {
  readonly statement: Database.Statement<SqlValue[]>
  readonly order: ReadonlyArray<number>
  /** Whether the parameters appear once each, in their order: then they are bound as they are. */
  readonly inOrder: boolean
}

/** The synchronous bodies the store wraps in its read and write helpers (closed checks, busy retries). @internal */
export interface ReadModelAccess {
  readonly read: <A>(doing: string, f: () => E.Either<StoreError, A>) => TE.TaskEither<StoreError, A>
  readonly write: <A>(doing: string, f: () => E.Either<StoreError, A>) => TE.TaskEither<StoreError, A>
}

/** The `ReadModelStore` port over one SQLite connection. @internal */
export const sqliteReadModels = (
  db: Database.Database,
  readonly: boolean,
  access: ReadModelAccess,
): ReadModelStore => {
  const cache = new Map<string, Prepared>()
  const prepare = (sql: string): Prepared => {
    let p = cache.get(sql)
    if (p === undefined) {
      const order: number[] = []
      const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
        order.push(Number(n) - 1)
        return '?'
      })
      p = { statement: db.prepare<SqlValue[]>(text), order, inOrder: order.every((n, i) => n === i) }
      cache.set(sql, p)
    }
    return p
  }
  const bind = (p: Prepared, s: SqlStatement): ReadonlyArray<SqlValue> =>
    p.inOrder && s.params.length === p.order.length ? s.params : p.order.map((i) => s.params[i] ?? null)

  const checkpointOf = db.prepare<[string], { version: number; position: number }>(
    'SELECT version, position FROM checkpoints WHERE name = ?',
  )
  const saveCheckpoint = db.prepare<[string, number, number]>(
    'INSERT INTO checkpoints (name, version, position) VALUES (?, ?, ?) ' +
      'ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position',
  )
  const tablesLike = db
    .prepare<[string], string>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\' ORDER BY name",
    )
    .pluck()

  const indexNames = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index'").pluck()

  type Schema = Parameters<ReadModelStore['resetReadModel']>[0]
  const reset = db.transaction((schema: Schema, indexes: boolean) => {
    const like = readModelTablePrefix(schema.name).replace(/_/g, '\\_') + '%'
    for (const table of tablesLike.all(like)) db.exec(`DROP TABLE "${table}"`)
    for (const statement of createTableStatements(schema, indexes))
      db.exec(statement.startsWith('CREATE TABLE ') ? `${statement} WITHOUT ROWID` : statement)
    saveCheckpoint.run(readModelCheckpointName(schema.name), schema.version, 0)
  })

  /** The declared indexes the tables lack. */
  const missingIndexes = (schema: Schema): ReadonlyArray<string> => {
    const present = new Set(indexNames.all())
    return readModelIndexes(schema)
      .filter((i) => !present.has(i.name))
      .map((i) => i.create)
  }
  const createIndexes = db.transaction((schema: Schema) => {
    for (const create of missingIndexes(schema)) db.exec(create)
  })

  const write = db.transaction(
    (
      schema: { readonly name: string; readonly version: number },
      statements: ReadonlyArray<SqlStatement>,
      from: number,
      to: number,
    ): ReadModelWrite => {
      const name = readModelCheckpointName(schema.name)
      const at = checkpointOf.get(name)
      if (at === undefined || at.version !== schema.version || at.position !== from) return 'moved'
      for (const s of statements) {
        // SQLite's planner keeps no statistics unless asked (ANALYZE), and plans these tables well without.
        if (s.statistics === true) continue
        const p = prepare(s.sql)
        p.statement.run(...bind(p, s))
      }
      saveCheckpoint.run(name, schema.version, to)
      return 'written'
    },
  )

  // One deferred transaction: every query sees the same state of the file.
  const query = db.transaction((queries: ReadonlyArray<SqlStatement>): ReadonlyArray<ReadonlyArray<SqlRow>> =>
    queries.map((q) => {
      const p = prepare(q.sql)
      return p.statement.all(...bind(p, q)) as SqlRow[]
    }),
  )

  return {
    readModelsReadOnly: readonly,
    resetReadModel: (schema, options) =>
      access.write('resetting a read model', () =>
        E.right(reset.immediate(schema, options?.indexes !== false)),
      ),
    indexReadModel: (schema) => async () => {
      // A read first: a store with every index takes no write lock.
      const missing = await access.read("reading a read model's indexes", () =>
        E.right(missingIndexes(schema)),
      )()
      if (E.isLeft(missing) || missing.right.length === 0) return E.map(() => undefined)(missing)
      return access.write('indexing a read model', () => E.right(createIndexes.immediate(schema)))()
    },
    writeReadModel: (schema, statements, from, to) =>
      access.write('writing a read model', () => E.right(write.immediate(schema, statements, from, to))),
    queryReadModel: (queries) => access.read('querying a read model', () => E.right(query(queries))),
  }
}
