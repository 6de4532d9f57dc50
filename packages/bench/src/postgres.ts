/**
 * PostgreSQL for the bench: the server (KETNAP_TEST_POSTGRES, else the test server), fresh schemas
 * named from the process id (dropped afterwards), and the machine's limits there: `COPY` of the log's
 * rows into a table like the store's, plain and chained, and a raw copy of the stored events into a
 * read model's table, with none of ketnap's code in the way.
 *
 * `COPY` goes through pg-copy-streams: node-postgres alone has no COPY, and the fastest way to load
 * rows into PostgreSQL is the limit an importer there is judged against.
 */
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import copyStreams from 'pg-copy-streams'
import { untilDeadline, type Deadline } from './deadline'
import { chainedRows, EVENT_COLUMNS, type ChainCheck, type EventRow } from './rows'
import { now, since } from './progress'
import type { Timed } from './sqliteLimits'

/** The server the bench uses. */
export const POSTGRES_URL = process.env['KETNAP_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test'

let schemas = 0

/** A schema name no other run uses. */
export const benchSchema = (label: string): string => `ketnap_bench_${label}_${process.pid}_${++schemas}`

/** The store URL the `ketnap` command takes for a schema of the bench's server. */
export const storeUrlOf = (schema: string): string => {
  const url = new URL(POSTGRES_URL)
  url.searchParams.set('schema', schema)
  return url.toString()
}

const withClient = async <A>(body: (client: pg.Client) => Promise<A>): Promise<A> => {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    return await body(client)
  } finally {
    await client.end()
  }
}

/** Why the server cannot be used, or null when it answers. */
export const postgresUnreachable = async (): Promise<string | null> => {
  try {
    await withClient((c) => c.query('SELECT 1'))
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

/** Drops a schema and everything in it. */
export const dropSchema = (schema: string): Promise<void> =>
  withClient(async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  })

/** The store's `events` table (docs/storage.md), in a schema. */
const eventsDdl = (schema: string): string => `
CREATE SCHEMA "${schema}";
CREATE TABLE "${schema}".events (
  position bigint PRIMARY KEY, stream text COLLATE "C" NOT NULL, version integer NOT NULL,
  id text COLLATE "C" NOT NULL, type text NOT NULL, schema_version integer NOT NULL, data text NOT NULL,
  recorded_at text COLLATE "C" NOT NULL, actor text, prev_hash text NOT NULL, hash text NOT NULL,
  CONSTRAINT events_stream_version UNIQUE (stream, version), CONSTRAINT events_id UNIQUE (id)
);
CREATE INDEX events_recorded_at ON "${schema}".events (recorded_at, position);
`

/** A value in COPY's text format. */
const copyText = (value: string | number | null): string =>
  value === null
    ? '\\N'
    : typeof value === 'number'
      ? String(value)
      : value.replace(/[\\\t\n\r]/g, (c) =>
          c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
        )

/** The inverse of `copyText` for a non-null value. */
const fromCopyText = (text: string): string =>
  text.includes('\\')
    ? text.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c))
    : text

async function* copyLines(rows: Iterable<EventRow[]> | AsyncIterable<EventRow[]>): AsyncGenerator<string> {
  for await (const batch of rows) {
    let text = ''
    for (const row of batch) text += `${row.map(copyText).join('\t')}\n`
    yield text
  }
}

const copyInto = (
  schema: string,
  rows: Iterable<EventRow[]> | AsyncIterable<EventRow[]>,
  deadline: Deadline | undefined,
): Promise<Timed> =>
  withClient(async (c) => {
    await c.query(eventsDdl(schema))
    const start = now()
    const sink = c.query(copyStreams.from(`COPY "${schema}".events (${EVENT_COLUMNS}) FROM STDIN`))
    await pipeline(Readable.from(copyLines(untilDeadline(rows, deadline))), sink)
    const ms = since(start)
    return deadline?.reached === true
      ? { events: sink.rowCount, ms, cut: true }
      : { events: sink.rowCount, ms }
  })

/** Raw COPY: the log's stored rows, as they are, into a fresh table like the store's. */
export const rawPgCopy = (schema: string, rows: Iterable<EventRow[]>, deadline?: Deadline): Promise<Timed> =>
  copyInto(schema, rows, deadline)

/** Raw chained COPY: each line parsed, made into its canonical envelope, chained by SHA-256 and copied. */
export const rawPgChainedCopy = (
  schema: string,
  logPath: string,
  check: ChainCheck,
  deadline?: Deadline,
): Promise<Timed> => copyInto(schema, chainedRows(logPath, check), deadline)

/**
 * A raw copy on the server: the stored events of a ketnap schema read with `COPY TO`, each one's data
 * parsed, and one row per event written with `COPY FROM` into a read model's table of another schema.
 */
export const rawPgCopyThrough = (storeSchema: string, schema: string): Promise<Timed> =>
  withClient((reader) =>
    withClient(async (writer) => {
      await writer.query(
        `CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".copied (position bigint PRIMARY KEY, stream text NOT NULL, type text NOT NULL, on_date text, person text)`,
      )
      const start = now()
      const source = reader.query(
        copyStreams.to(
          `COPY (SELECT position, stream, type, data FROM "${storeSchema}".events ORDER BY position) TO STDOUT`,
        ),
      )
      const sink = writer.query(
        copyStreams.from(`COPY "${schema}".copied (position, stream, type, on_date, person) FROM STDIN`),
      )
      let rest = ''
      const toRows = new Transform({
        readableObjectMode: false,
        transform(chunk: Buffer, _encoding, done) {
          const lines = (rest + chunk.toString('utf8')).split('\n')
          rest = lines.pop() ?? ''
          let out = ''
          for (const line of lines) {
            const [position, stream, type, data] = line.split('\t') as [string, string, string, string]
            const parsed = JSON.parse(fromCopyText(data)) as { on?: unknown; personId?: unknown }
            out += `${position}\t${stream}\t${type}\t${typeof parsed.on === 'string' ? copyText(parsed.on) : '\\N'}\t${typeof parsed.personId === 'string' ? copyText(parsed.personId) : '\\N'}\n`
          }
          done(null, out)
        },
      })
      await pipeline(source, toRows, sink)
      return { events: sink.rowCount, ms: since(start) }
    }),
  )
