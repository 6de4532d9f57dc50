/**
 * The composition root's one choice: which adapter serves a store URL. Only the CLI imports adapters.
 */
import { existsSync } from 'node:fs'
import { createInMemoryEventStore, type EventStore } from '@ketnap/kernel'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import type { StoreLocation } from './storeUrl'

/** How a command uses the store: `write` may create it; `read` needs it to exist and never writes. */
export type StoreAccess = 'write' | 'read'

/** Why a store could not be opened, as one line for standard error. */
export type OpenStoreError = string

/**
 * A PostgreSQL store URL split into the connection string the driver gets and the `schema` query parameter
 * (which libpq does not know), e.g. `postgres://host/db?schema=ketnap_test`.
 */
const postgresTarget = (url: string): { readonly connectionString: string; readonly schema?: string } => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { connectionString: url }
  }
  const schema = parsed.searchParams.get('schema')
  if (schema === null) return { connectionString: url }
  parsed.searchParams.delete('schema')
  return { connectionString: parsed.toString(), schema }
}

/**
 * Opens the store at a (resolved) location. Each adapter is loaded only when a URL names it, so that a
 * command on SQLite does not load the PostgreSQL driver, nor the reverse.
 */
export const openStore = (
  location: StoreLocation,
  access: StoreAccess,
  onMigrationProgress?: (done: number, total: number) => void,
): TE.TaskEither<OpenStoreError, EventStore> => {
  const migrating = onMigrationProgress === undefined ? {} : { onMigrationProgress }
  switch (location.kind) {
    case 'memory':
      return TE.right(createInMemoryEventStore())
    case 'postgres': {
      const { connectionString, schema } = postgresTarget(location.url)
      return async () => {
        const { openPostgresEventStore } = await import('@ketnap/store-postgres')
        return pipe(
          openPostgresEventStore({
            connectionString,
            ...(schema === undefined ? {} : { schema }),
            ...(access === 'read' ? { readonly: true } : {}),
            ...migrating,
          }),
          TE.mapLeft((e): OpenStoreError => e.message),
        )()
      }
    }
    case 'sqlite':
      if (access === 'read' && !existsSync(location.path)) {
        return TE.left(`no store at ${location.path} (import events first, or pass --store)`)
      }
      return async () => {
        const { openSqliteEventStore } = await import('@ketnap/store-sqlite')
        return pipe(
          openSqliteEventStore(location.path, access === 'read' ? { readonly: true } : migrating),
          TE.mapLeft((e): OpenStoreError => e.message),
        )()
      }
  }
}
