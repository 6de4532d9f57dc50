/**
 * @internal
 * The SQL of the store, with the schema's tables named in full (no reliance on `search_path`).
 */
import { EVENT_COLUMNS, EVENT_COLUMN_TYPES } from './rows'
import { quoteIdent } from './schema'

/** Every statement the store runs, for one schema. @internal */
export const statementsFor = (schema: string) => {
  const events = `${quoteIdent(schema)}.events`
  const checkpoints = `${quoteIdent(schema)}.checkpoints`
  const snapshots = `${quoteIdent(schema)}.snapshots`
  const unnest = EVENT_COLUMN_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')
  return {
    // EXCLUSIVE conflicts with every writer (ROW EXCLUSIVE) and itself, never with readers (ACCESS SHARE):
    // appends run one at a time, in commit order, even a writer that bypassed the store.
    lockEvents: `LOCK TABLE ${events} IN EXCLUSIVE MODE`,
    headRow: `SELECT position, hash, recorded_at FROM ${events} ORDER BY position DESC LIMIT 1`,
    // One probe of the (stream, version) index per stream asked for. `stream = ANY($1)` with a thousand
    // streams was planned as a scan of the whole table (no statistics yet inside an import's transaction,
    // and the default selectivity times a thousand values): a bulk import's lookups grew with the log.
    streamVersions:
      `SELECT stream, version FROM (SELECT s.stream, (SELECT max(e.version) FROM ${events} e WHERE e.stream = s.stream) AS version ` +
      'FROM unnest($1::text[]) AS s(stream)) v WHERE version IS NOT NULL',
    streamVersion: `SELECT coalesce(max(version), 0) AS version FROM ${events} WHERE stream = $1`,
    knownIds: `SELECT id FROM ${events} WHERE id = ANY($1::text[])`,
    eventsByIds: `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE id = ANY($1::text[])`,
    insert: `INSERT INTO ${events} (${EVENT_COLUMNS}) SELECT * FROM unnest(${unnest})`,
    // An import session's writes: rows in COPY's text format (rows.ts, envelopesToCopyText).
    copyEvents: `COPY ${events} (${EVENT_COLUMNS}) FROM STDIN`,
    readStream: `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE stream = $1 AND version >= $2 ORDER BY version`,
    page: `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE position >= $1 AND position <= $2 ORDER BY position LIMIT $3`,
    positions: `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE position = ANY($1::bigint[]) ORDER BY position`,
    // One seek of events_recorded_at: recorded_at never decreases in log order, so this is the last
    // position known at the instant.
    lastPositionKnownAt: `SELECT position FROM ${events} WHERE recorded_at <= $1 ORDER BY recorded_at DESC, position DESC LIMIT 1`,
    loadCheckpoint: `SELECT name, version, position FROM ${checkpoints} WHERE name = $1`,
    saveCheckpoint:
      `INSERT INTO ${checkpoints} (name, version, position) VALUES ($1, $2, $3) ` +
      'ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position',
    loadSnapshot: `SELECT name, version, position, state FROM ${snapshots} WHERE name = $1`,
    saveSnapshot:
      `INSERT INTO ${snapshots} (name, version, position, state) VALUES ($1, $2, $3, $4) ` +
      'ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, state = excluded.state',
  }
}

/** The statements of one schema. @internal */
export type Statements = ReturnType<typeof statementsFor>
