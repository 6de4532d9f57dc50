/**
 * @internal
 * A read model's statements made into few server statements. Statements are placed in waves: each goes
 * in the first wave after every earlier statement it shares a key with (a statement without keys after
 * every earlier one, and before every later one), so that the statements of one wave touch disjoint rows
 * and commute. The statements of a wave with the same SQL run as one: an `INSERT … VALUES`, an `INSERT …
 * SELECT` of parameters or an `UPDATE`, over the rows of their parameters. Any other shape runs
 * statement by statement, in its wave.
 */
import type { SqlStatement, SqlValue } from '@ketnap/kernel'

/** A value written into the SQL text. */
export type Literal = (value: SqlValue) => string

/** How statements of one SQL run many at once, or null when they run one by one. */
interface Shape {
  /** The statement as an INSERT … SELECT or UPDATE over its parameters, to be given a FROM. */
  readonly sql: string
  /** The parameters it uses, in order. */
  readonly params: ReadonlyArray<number>
}

const VALUES = /^(INSERT INTO [a-z0-9_]+ \([a-z0-9_, ]+\) VALUES )(\([$0-9, ]+\))( ON CONFLICT DO NOTHING)?$/
const SELECT = /^INSERT INTO [a-z0-9_]+ \([a-z0-9_, ]+\) SELECT \$[0-9]+(?:, \$[0-9]+)* WHERE /
const UPDATE = /^UPDATE [a-z0-9_]+ SET [a-zA-Z0-9_$=, ]+? WHERE /

/** The alias of the parameters' rows in a statement run over many. */
const ROWS = 'ketnap_rows'

const shapes = new Map<string, Shape | null>()

const shapeOf = (sql: string): Shape | null => {
  const known = shapes.get(sql)
  if (known !== undefined) return known
  const values = VALUES.exec(sql)
  // INSERT … VALUES ($1, …) is INSERT … SELECT $1, … (with its ON CONFLICT after the FROM to come).
  const over =
    values !== null
      ? `${values[1]!.replace(/ VALUES $/, ' SELECT ')}${values[2]!.slice(1, -1)}${values[3] ?? ''}`
      : SELECT.test(sql) || UPDATE.test(sql)
        ? sql
        : null
  const shape =
    over === null
      ? null
      : {
          sql: over,
          params: [...new Set([...over.matchAll(/\$([0-9]+)/g)].map((m) => Number(m[1])))].sort(
            (a, b) => a - b,
          ),
        }
  shapes.set(sql, shape)
  return shape
}

const inline = (sql: string, params: ReadonlyArray<SqlValue>, literal: Literal): string =>
  sql.replace(/\$([0-9]+)/g, (_, n: string) => literal(params[Number(n) - 1] ?? null))

/** A PostgreSQL array's text form (every element quoted), or NULL. */
const arrayText = (values: ReadonlyArray<SqlValue>): string =>
  `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`

/**
 * The statement `sql` run over `group`: its parameters become columns of `unnest` over one array per
 * parameter (text, bigint or double precision, as the values are), which the server parses far faster
 * than a VALUES list. Null when a parameter is text in one statement and a number in another.
 */
const over = (
  sql: string,
  params: ReadonlyArray<number>,
  group: ReadonlyArray<SqlStatement>,
  literal: Literal,
): string | null => {
  const arrays: string[] = []
  const names: string[] = []
  // A parameter NULL in every statement is written in as NULL, as for one statement.
  const asNull = new Set<number>()
  for (const n of params) {
    const values = group.map((s) => s.params[n - 1] ?? null)
    let type: 'text' | 'bigint' | 'double precision' | null = null
    for (const v of values) {
      if (v === null) continue
      if (typeof v === 'number' && !Number.isFinite(v)) return null
      const t = typeof v === 'string' ? 'text' : Number.isSafeInteger(v) ? 'bigint' : 'double precision'
      if (type === null || (type === 'bigint' && t === 'double precision')) type = t
      else if (type !== t && !(type === 'double precision' && t === 'bigint')) return null
    }
    if (type === null) asNull.add(n)
    else {
      arrays.push(`${literal(arrayText(values))}::${type}[]`)
      names.push(`p${n}`)
    }
  }
  if (arrays.length === 0) return null
  const from = `unnest(${arrays.join(', ')}) AS ${ROWS} (${names.join(', ')})`
  // An UPDATE … WHERE key = $n: the rows to change are looked up by key first (an index scan of the
  // keys), then matched with their parameters.
  const key = /^UPDATE [^ ]+ SET .+? WHERE ([a-z0-9_]+) = \$([0-9]+) /.exec(sql)
  const keyed = key === null ? null : params.indexOf(Number(key[2]))
  const sql2 =
    key === null || keyed === null || keyed < 0 || asNull.has(Number(key[2]))
      ? sql
      : sql.replace(' WHERE ', ` WHERE ${key[1]} = ANY(${arrays[names.indexOf(`p${key[2]}`)]}) AND `)
  const text = sql2.replace(/\$([0-9]+)/g, (_, n: string) =>
    asNull.has(Number(n)) ? 'NULL' : `${ROWS}.p${n}`,
  )
  // INSERT … SELECT …: the rows are the FROM, before the WHERE or the ON CONFLICT, if any; UPDATE … SET
  // … WHERE: the FROM before WHERE.
  const at = [' WHERE ', ' ON CONFLICT '].map((w) => text.indexOf(w)).filter((i) => i >= 0)
  const where = at.length === 0 ? text.length : Math.min(...at)
  return `${text.slice(0, where)} FROM ${from}${text.slice(where)}`
}

/** A server statement of `batched`: its SQL, the row statements it runs, and whether it names no key. */
export interface Batch {
  readonly sql: string
  readonly rows: number
  /** Made of one statement without keys: a statement over whole tables (a read model's settle), not rows. */
  readonly keyless: boolean
}

const hasKeys = (s: SqlStatement): boolean => s.keys !== undefined && s.keys.length > 0

/** Statements (with their row counts) run one after the other, doing what `statements` do in order. */
export const batched = (
  statements: ReadonlyArray<SqlStatement>,
  literal: Literal,
  maxRows: number,
): ReadonlyArray<Batch> => {
  const waves: Array<Map<string, SqlStatement[]>> = []
  const last = new Map<string, number>()
  let floor = -1
  for (const s of statements) {
    let wave = floor + 1
    if (s.keys === undefined || s.keys.length === 0) {
      wave = Math.max(wave, waves.length)
      floor = wave
    } else for (const k of s.keys) wave = Math.max(wave, (last.get(k) ?? -1) + 1)
    for (const k of s.keys ?? []) last.set(k, wave)
    while (waves.length <= wave) waves.push(new Map())
    const groups = waves[wave]!
    const group = groups.get(s.sql)
    if (group === undefined) groups.set(s.sql, [s])
    else group.push(s)
  }
  const out: Batch[] = []
  const oneByOne = (group: ReadonlyArray<SqlStatement>): void => {
    for (const s of group) out.push({ sql: inline(s.sql, s.params, literal), rows: 1, keyless: !hasKeys(s) })
  }
  for (const groups of waves)
    for (const [sql, all] of groups) {
      const shape = all.length === 1 ? null : shapeOf(sql)
      if (shape === null) {
        oneByOne(all)
        continue
      }
      for (let i = 0; i < all.length; i += maxRows) {
        const group = all.slice(i, i + maxRows)
        const text = over(shape.sql, shape.params, group, literal)
        if (text === null) oneByOne(group)
        else out.push({ sql: text, rows: group.length, keyless: false })
      }
    }
  return out
}
