/**
 * @internal
 * Read models in the store's schema: their tables beside the log, each batch of rows written with the
 * model's checkpoint in one transaction under an advisory lock of the model (two processes folding the
 * same events write them once).
 */
import * as E from 'fp-ts/Either'
import type pg from 'pg'
import {
  createTableStatements,
  readModelCheckpointName,
  readModelIndexes,
  readModelTablePrefix,
  storageError,
  type ReadModelStore,
  type ReadModelWrite,
  type SqlRow,
  type SqlStatement,
  type SqlValue,
  type StoreError,
} from '@ketnap/kernel'
import { batched } from './batches'
import { writeError, driverError } from './driverErrors'
import { ADVISORY_LOCK_CLASS, quoteIdent } from './schema'
import { inTransaction } from './transaction'

/**
 * Parameters are written in as literals, so that a whole batch goes to the server as one simple-protocol
 * query (one round trip) instead of one per row.
 */
const literal = (client: pg.ClientBase, v: SqlValue): string => {
  if (v === null) return 'NULL'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`a read model value is not a finite number: ${v}`)
    return v < 0 ? `(${String(v)})` : String(v)
  }
  return client.escapeLiteral(v)
}

/** Rows per round trip of a batch, and per statement that runs many (batches.ts). */
const PER_QUERY = 4000
const PER_STATEMENT = 1000

/** The planner settings of the keyed statements of a read model's write, and the server's own. */
const BY_KEY = 'SET LOCAL enable_seqscan = off; SET LOCAL enable_mergejoin = off'
const SERVER_PLANS = 'SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT'

/**
 * The planner settings of a query read by key (`SqlStatement.byKeyWhen`), and the server's own. Nested
 * loops only: a subtree's recursive expression is estimated at a hundred thousand rows where a commune's
 * holds a few dozen, and the planner then hashed whole tables (a commune's funnel: 430 ms, against 40 ms
 * through the indexes). Sequential scans stay allowed: a scan of a small working expression is right.
 * `TO DEFAULT` gives back the value the session started with: the server's, the database's or the
 * role's (`ALTER … SET`), or the connection's own options (`options=-c enable_hashjoin=off` in its URL),
 * checked on PostgreSQL 15; only a value a plain `SET` of the session gave would be lost, and the
 * store's pools issue none.
 */
const NESTED_LOOPS = 'SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off'
const ANY_JOIN = 'SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT'

/** Whether a `byKeyWhen` condition holds: its first row's first column is 1 (or true). */
const holds = (rows: ReadonlyArray<Record<string, unknown>>): boolean => {
  const first = rows[0]
  if (first === undefined) return false
  const v = Object.values(first)[0]
  return v === 1 || v === true || v === '1'
}

/** The `ReadModelStore` port over the store's pool and schema. @internal */
export const postgresReadModels = (
  pool: pg.Pool,
  schema: string,
  where: string,
  readonly: boolean,
  closed: () => boolean,
): ReadModelStore => {
  const q = quoteIdent(schema)
  const refused = (): StoreError | null =>
    closed()
      ? storageError(`${where}: the store is closed`)
      : readonly
        ? storageError(`${where}: the store is open read-only`)
        : null
  const lock = (client: pg.ClientBase, name: string) =>
    client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      ADVISORY_LOCK_CLASS,
      `read model ${schema} ${name}`,
    ])
  const saveCheckpoint = (client: pg.ClientBase, name: string, version: number, position: number) =>
    client.query(
      `INSERT INTO ${q}.checkpoints (name, version, position) VALUES ($1, $2, $3) ` +
        'ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position',
      [name, version, position],
    )

  return {
    readModelsReadOnly: readonly,
    resetReadModel: (model, options) => async () => {
      const no = refused()
      if (no !== null) return E.left(no)
      return inTransaction<StoreError, void>(
        pool,
        async (client) => {
          await lock(client, model.name)
          await client.query(`SET LOCAL search_path TO ${q}`)
          const like = readModelTablePrefix(model.name).replace(/_/g, '\\_') + '%'
          const tables = await client.query<{ tablename: string }>(
            'SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename LIKE $2',
            [schema, like],
          )
          for (const t of tables.rows) await client.query(`DROP TABLE ${q}."${t.tablename}"`)
          for (const statement of createTableStatements(model, options?.indexes !== false))
            await client.query(statement)
          await saveCheckpoint(client, readModelCheckpointName(model.name), model.version, 0)
          return E.right(undefined)
        },
        (cause) => writeError(where, 'resetting a read model', cause),
      )
    },
    writeReadModel: (model, statements, from, to) => async () => {
      const no = refused()
      if (no !== null) return E.left(no)
      return inTransaction<StoreError, ReadModelWrite>(
        pool,
        async (client) => {
          await lock(client, model.name)
          const name = readModelCheckpointName(model.name)
          const at = (
            await client.query<{ version: number; position: number }>(
              `SELECT version, position FROM ${q}.checkpoints WHERE name = $1`,
              [name],
            )
          ).rows[0]
          if (at === undefined || at.version !== model.version || at.position !== from)
            return E.right('moved' as const)
          // A statement run over many rows (batches.ts) finds its rows by their keys in the index: a
          // fresh table has no statistics, and the planner would scan it whole for every batch. A
          // statement without keys (a settle's, over whole tables whose statistics it refreshes) is
          // planned with the server's settings: without sequential scans, the planner costed its scans
          // of working tables as disabled and grouped their rows by sorting text instead of hashing
          // (3.4 times slower on a district's village sums).
          await client.query(`SET LOCAL search_path TO ${q}; ${BY_KEY}`)
          let text: string[] = []
          let rows = 0
          let byKey = true
          // A working table emptied is truncated: a DELETE would leave its rows dead for later scans.
          const run = statements.map((s) =>
            s.empties === undefined ? s : { ...s, sql: `TRUNCATE ${quoteIdent(s.empties)}` },
          )
          for (const b of batched(run, (v) => literal(client, v), PER_STATEMENT)) {
            if (b.keyless === byKey) {
              text.push(b.keyless ? SERVER_PLANS : BY_KEY)
              byKey = !b.keyless
            }
            text.push(b.sql)
            rows += b.rows
            if (rows >= PER_QUERY) {
              await client.query(text.join(';\n'))
              text = []
              rows = 0
            }
          }
          if (text.length > 0) await client.query(text.join(';\n'))
          await saveCheckpoint(client, name, model.version, to)
          return E.right('written' as const)
        },
        (cause) => writeError(where, 'writing a read model', cause),
      )
    },
    indexReadModel: (model) => async () => {
      const no = refused()
      if (no !== null) return E.left(no)
      const missing = async (client: pg.Pool | pg.ClientBase): Promise<ReadonlyArray<string>> => {
        const present = await client.query<{ indexname: string }>(
          'SELECT indexname FROM pg_catalog.pg_indexes WHERE schemaname = $1',
          [schema],
        )
        const names = new Set(present.rows.map((r) => r.indexname))
        return readModelIndexes(model)
          .filter((i) => !names.has(i.name))
          .map((i) => i.create)
      }
      try {
        // A read first: a schema with every index takes no lock.
        if ((await missing(pool)).length === 0) return E.right(undefined)
      } catch (cause) {
        return E.left(writeError(where, "reading a read model's indexes", cause))
      }
      return inTransaction<StoreError, void>(
        pool,
        async (client) => {
          await lock(client, model.name)
          await client.query(`SET LOCAL search_path TO ${q}`)
          for (const create of await missing(client)) await client.query(create)
          return E.right(undefined)
        },
        (cause) => writeError(where, 'indexing a read model', cause),
      )
    },
    analyzeReadModel: (model) => async () => {
      const no = refused()
      if (no !== null) return E.left(no)
      try {
        await pool.query(`ANALYZE ${model.tables.map((t) => `${q}.${quoteIdent(t.name)}`).join(', ')}`)
        return E.right(undefined)
      } catch (cause) {
        return E.left(writeError(where, 'analyzing a read model', cause))
      }
    },
    queryReadModel: (queries) => async () => {
      if (closed()) return E.left(storageError(`${where}: the store is closed`))
      return inTransaction<StoreError, ReadonlyArray<ReadonlyArray<SqlRow>>>(
        pool,
        async (client) => {
          // One snapshot for every query of the report, and never a write.
          // Without JIT: compiling a report's query took longer (about 1 s at a province) than running
          // it. Sorts and hashes of a report's rows in memory rather than on disk.
          await client.query(
            'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; ' +
              `SET LOCAL search_path TO ${q}; SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`,
          )
          const out: SqlRow[][] = []
          // Each condition asked once: the queries of one report share theirs.
          const asked = new Map<string, boolean>()
          const byKey = async (when: SqlStatement | undefined): Promise<boolean> => {
            if (when === undefined) return false
            const key = `${when.sql}\u0000${JSON.stringify(when.params)}`
            let answer = asked.get(key)
            if (answer === undefined) {
              answer = holds((await client.query(when.sql, when.params as SqlValue[])).rows)
              asked.set(key, answer)
            }
            return answer
          }
          let nested = false
          for (const query of queries) {
            const wanted = await byKey(query.byKeyWhen)
            if (wanted !== nested) {
              await client.query(wanted ? NESTED_LOOPS : ANY_JOIN)
              nested = wanted
            }
            out.push((await client.query<SqlRow>(query.sql, query.params as SqlValue[])).rows)
          }
          return E.right(out)
        },
        (cause) => driverError(where, 'querying a read model', cause),
      )
    },
  }
}
