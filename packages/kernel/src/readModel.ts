/**
 * Read models kept as tables in the store: a domain declares the tables and, as pure data, the SQL
 * statements that fold each event into them; a store implements `ReadModelStore` to create the tables
 * and to write each batch of rows with the model's checkpoint in one transaction. The SQL is written once
 * for SQLite and PostgreSQL alike: positional parameters `$1`, `$2`..., dates as ISO text, no dialect
 * functions.
 */
import type * as TE from 'fp-ts/TaskEither'
import type { StoreError } from './errors'

/** A value bound to a statement's parameter or read from a row. */
export type SqlValue = string | number | null

/** One SQL statement with positional parameters (`$1` is `params[0]`), run as is by every store. */
export interface SqlStatement {
  readonly sql: string
  readonly params: ReadonlyArray<SqlValue>
  /**
   * Every row the statement reads or writes, named by opaque keys (say its table and primary key, or the
   * key a guard looks up). Two statements whose keys are disjoint commute: a store may run them in either
   * order, and run many statements of the same SQL as one. A statement without keys is run after every
   * earlier statement and before every later one.
   */
  readonly keys?: ReadonlyArray<string>
  /**
   * Set on a statement made by `refreshStatistics`: it changes no row, only what the store's query
   * planner knows of a table. A store whose planner keeps no statistics skips it.
   */
  readonly statistics?: true
  /**
   * Set on a statement made by `emptyTable`: it deletes every row of this table, which a store may do by
   * other means that leave no dead rows behind.
   */
  readonly empties?: string
  /**
   * Set on a query that reads few rows, each found through an index, when this condition holds (a query
   * answering one row whose first column is 1): a store whose planner may misjudge how many rows a
   * recursive expression yields (PostgreSQL's estimate of a subtree) runs the query with nested loops
   * over its indexes then, instead of hashing or merging whole tables. A store whose planner follows the
   * query's joins as written leaves it out. The condition changes no row of the answer.
   */
  readonly byKeyWhen?: SqlStatement
}

/**
 * A statement that deletes every row of `table` (a working table emptied at the end of a write). On
 * PostgreSQL a `DELETE` leaves the rows dead in the table and its indexes until a vacuum, and every scan
 * of the table reads them again: the store runs `TRUNCATE` instead, in the same transaction.
 */
export const emptyTable = (table: string): SqlStatement => ({
  sql: `DELETE FROM ${table}`,
  params: [],
  empties: table,
})

/**
 * A statement that refreshes the planner's statistics of `table` (which the statements before it in the
 * same transaction may have filled or emptied), so that the statements after it are planned for the rows
 * the table holds now, not for those it held when last analyzed: PostgreSQL plans a join with a table it
 * believes empty as a nested loop, which takes quadratic time once the table holds thousands of rows.
 */
export const refreshStatistics = (table: string): SqlStatement => ({
  sql: `ANALYZE ${table}`,
  params: [],
  statistics: true,
})

/** A row a query returned, by column name. */
export type SqlRow = Readonly<Record<string, SqlValue>>

/** The type of a column: text (dates and instants as ISO text), integer (positions, counts, flags) or real (a double). */
export type ColumnType = 'text' | 'integer' | 'real'

/** A column of a read model's table. */
export interface ColumnSpec {
  readonly name: string
  readonly type: ColumnType
  /** Whether the column may be NULL; default false. */
  readonly nullable?: boolean
}

/** A table of a read model: its name starts with `rm_<model name>_`. */
export interface TableSpec {
  readonly name: string
  readonly columns: ReadonlyArray<ColumnSpec>
  readonly primaryKey: ReadonlyArray<string>
  /** Secondary indexes, each a list of columns. */
  readonly indexes?: ReadonlyArray<ReadonlyArray<string>>
}

/** Where an event sits in the log, as a read model's rows record it. */
export interface LogPlace {
  readonly position: number
  readonly recordedAt: string
  /** The event's stream and its version there (1 for the stream's first event), when the caller knows them. */
  readonly stream?: string
  readonly version?: number
}

/** What a store needs of a read model to create and reset its tables. */
export interface ReadModelSchema {
  /** Lower-case letters and digits; tables are named `rm_<name>_…` and the checkpoint `read-model/<name>`. */
  readonly name: string
  /** Raise it when the tables or the writes change: stored tables of another version are rebuilt. */
  readonly version: number
  readonly tables: ReadonlyArray<TableSpec>
}

/** A read model over a domain's events: its tables and the statements that fold one event into them. */
export interface ReadModel<Ev> extends ReadModelSchema {
  /** The statements folding `event`, recorded at `at`, into the tables; run in order, in one transaction. */
  readonly writes: (event: Ev, at: LogPlace) => ReadonlyArray<SqlStatement>
  /**
   * Statements run after the writes of the last batch of a catch-up or rebuild that folded events, in
   * the same transaction, given the position of its last event: set-based work the writes leave to the
   * end (say, tables derived from the rows the writes touched), done once per catch-up instead of once
   * per event or batch. The tables it maintains must tell which position they reflect: a catch-up cut
   * short (a crash, another process that moved the checkpoint) leaves that work to the next one.
   * `pass` says where the catch-up started and whether one of its events left work (`leavesWork`).
   */
  readonly settle?: (position: number, pass: SettlePass) => ReadonlyArray<SqlStatement>
  /**
   * Whether folding the event leaves work for `settle` (default: every event does). A catch-up none of
   * whose events does tells `settle` so, which may then only move what tells its position, when that
   * stood where the catch-up started (work a catch-up cut short left waits for the next one with work).
   */
  readonly leavesWork?: (event: Ev) => boolean
}

/** What `ReadModel.settle` is told of the catch-up it ends. */
export interface SettlePass {
  /** The checkpoint the catch-up started from. */
  readonly from: number
  /** Whether one of its events left work (`ReadModel.leavesWork`). */
  readonly work: boolean
}

/** The name a read model's checkpoint is kept under. */
export const readModelCheckpointName = (name: string): string => `read-model/${name}`

/** The prefix every table of the read model `name` carries. */
export const readModelTablePrefix = (name: string): string => `rm_${name}_`

const NAME = /^[a-z][a-z0-9]*$/
const TABLE = /^[a-z][a-z0-9_]*$/

/** Why a read model's declaration cannot be turned into tables, or null when it can. */
export const readModelSchemaProblem = (schema: ReadModelSchema): string | null => {
  if (!NAME.test(schema.name)) return `read model name ${JSON.stringify(schema.name)}: use a-z and 0-9`
  const prefix = readModelTablePrefix(schema.name)
  for (const table of schema.tables) {
    if (!TABLE.test(table.name) || !table.name.startsWith(prefix))
      return `read model ${schema.name}: table ${JSON.stringify(table.name)} must be named ${prefix}… (a-z, 0-9, _)`
    const columns = new Set(table.columns.map((c) => c.name))
    for (const c of table.columns)
      if (!TABLE.test(c.name)) return `table ${table.name}: column ${JSON.stringify(c.name)} (a-z, 0-9, _)`
    for (const c of [...table.primaryKey, ...(table.indexes ?? []).flat()])
      if (!columns.has(c)) return `table ${table.name}: no column ${c} to key or index`
  }
  return null
}

/**
 * Column types both stores read alike: a real is a double on both (PostgreSQL's REAL is a float4, and
 * SQLite gives DOUBLE PRECISION the REAL affinity).
 */
const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  text: 'TEXT',
  integer: 'INTEGER',
  real: 'DOUBLE PRECISION',
}

/** A read model's secondary indexes: each one's name (`<table>_i<n>`) and CREATE statement. */
export const readModelIndexes = (
  schema: ReadModelSchema,
): ReadonlyArray<{ readonly name: string; readonly create: string }> =>
  schema.tables.flatMap((table) =>
    (table.indexes ?? []).map((columns, i) => ({
      name: `${table.name}_i${i}`,
      create: `CREATE INDEX IF NOT EXISTS ${table.name}_i${i} ON ${table.name} (${columns.join(', ')})`,
    })),
  )

/**
 * The CREATE statements of a read model's tables in the common SQL of both stores, with their secondary
 * indexes unless `indexes` is false.
 */
export const createTableStatements = (schema: ReadModelSchema, indexes = true): ReadonlyArray<string> => [
  ...schema.tables.map(
    (table) =>
      `CREATE TABLE ${table.name} (${[
        ...table.columns.map(
          (c) => `${c.name} ${SQL_TYPES[c.type]}${c.nullable === true ? '' : ' NOT NULL'}`,
        ),
        `PRIMARY KEY (${table.primaryKey.join(', ')})`,
      ].join(', ')})`,
  ),
  ...(indexes ? readModelIndexes(schema).map((i) => i.create) : []),
]

/** Options of `ReadModelStore.resetReadModel`. */
export interface ReadModelReset {
  /**
   * Whether the tables get their secondary indexes now; default true. A rebuild creates them after it
   * has filled the tables (`indexReadModel`): one sort per index instead of one insert per row and index.
   */
  readonly indexes?: boolean
}

/** The outcome of `writeReadModel`: written, or refused because the checkpoint had moved meanwhile. */
export type ReadModelWrite = 'written' | 'moved'

/**
 * The port read models are kept through, implemented by each store beside the log: the tables in the
 * same SQLite file or PostgreSQL schema, the checkpoint in the store's checkpoints.
 */
export interface ReadModelStore {
  /** True when the store was opened read-only: read models are read, never created or written. */
  readonly readModelsReadOnly: boolean
  /**
   * Drops every table of the model (`rm_<name>_…`, of any version) and creates the declared ones empty
   * (without their secondary indexes when `options.indexes` is false), with the checkpoint at position 0
   * under the model's version, in one transaction.
   */
  readonly resetReadModel: (
    schema: ReadModelSchema,
    options?: ReadModelReset,
  ) => TE.TaskEither<StoreError, void>
  /**
   * Creates the declared secondary indexes the model's tables lack (after a rebuild, or one that
   * stopped half-way); reads only, and writes nothing, when they have them all.
   */
  readonly indexReadModel: (schema: ReadModelSchema) => TE.TaskEither<StoreError, void>
  /**
   * Runs `statements` and moves the model's checkpoint from `from` to `to`, in one transaction; writes
   * nothing and answers `moved` when the stored checkpoint is no longer `from` under `version` (another
   * process folded the same events meanwhile).
   */
  readonly writeReadModel: (
    schema: { readonly name: string; readonly version: number },
    statements: ReadonlyArray<SqlStatement>,
    from: number,
    to: number,
  ) => TE.TaskEither<StoreError, ReadModelWrite>
  /**
   * Refreshes the query planner's statistics of the model's tables after a large catch-up (PostgreSQL
   * plans every report's query from them: without them it guessed nested scans of the whole tables);
   * a store whose planner needs none leaves it out.
   */
  readonly analyzeReadModel?: (schema: ReadModelSchema) => TE.TaskEither<StoreError, void>
  /** Runs queries in one read transaction (one consistent view); their rows, query by query. */
  readonly queryReadModel: (
    queries: ReadonlyArray<SqlStatement>,
  ) => TE.TaskEither<StoreError, ReadonlyArray<ReadonlyArray<SqlRow>>>
}

/** Whether a store keeps read models. */
export const keepsReadModels = <S extends object>(store: S): store is S & ReadModelStore =>
  'writeReadModel' in store && 'queryReadModel' in store && 'resetReadModel' in store
