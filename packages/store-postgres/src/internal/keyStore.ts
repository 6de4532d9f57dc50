/**
 * @internal
 * Subjects' wrapped keys on PostgreSQL (the kernel's KeyStore port): the `subject_keys` table, a NULL
 * key the tombstone of a destroyed one. Destroying a key updates its row and then vacuums the table, so
 * that the dead row version holding the wrapped key is pruned from its page rather than left for
 * autovacuum. PostgreSQL does not zero the space it frees: the bytes stay in the table's file until it
 * is reused, and in the write-ahead log and backups taken before (docs/security.md says what that means).
 */
import type pg from 'pg'
import * as E from 'fp-ts/Either'
import { KEY_MARKER_SUBJECT, type KeyStore, type StoredKey, type StoreError } from '@ketnap/kernel'

/** How the key store runs its queries: a read, or a write (refused by a read-only store). @internal */
export interface KeyStoreRunners {
  readonly query: <R extends pg.QueryResultRow>(
    text: string,
    values?: ReadonlyArray<unknown>,
  ) => Promise<pg.QueryResult<R>>
  readonly read: <A>(
    doing: string,
    f: () => Promise<E.Either<StoreError, A>>,
  ) => () => Promise<E.Either<StoreError, A>>
  readonly write: <A>(
    doing: string,
    f: () => Promise<E.Either<StoreError, A>>,
  ) => () => Promise<E.Either<StoreError, A>>
}

/** The key store of one PostgreSQL store (its schema's name quoted). @internal */
export const postgresKeyStore = (quoted: string, run: KeyStoreRunners): KeyStore => {
  const table = `${quoted}.subject_keys`
  return {
    readKeys: (subjects) =>
      run.read('reading subject keys', async () => {
        const found = new Map<string, StoredKey>()
        if (subjects.length === 0) return E.right(found)
        const rows = await run.query<{ subject: string; wrapped: Buffer | null }>(
          `SELECT subject, wrapped FROM ${table} WHERE subject = ANY($1::text[])`,
          [[...subjects]],
        )
        for (const { subject, wrapped } of rows.rows)
          found.set(
            subject,
            wrapped === null ? { _tag: 'Destroyed' } : { _tag: 'Wrapped', wrapped: new Uint8Array(wrapped) },
          )
        return E.right(found)
      })(),
    addKeys: (entries) =>
      run.write('writing subject keys', async () => {
        if (entries.length === 0) return E.right(undefined)
        await run.query(
          `INSERT INTO ${table} (subject, wrapped) SELECT * FROM unnest($1::text[], $2::bytea[]) ` +
            'ON CONFLICT (subject) DO NOTHING',
          [
            entries.map((e) => e.subject),
            entries.map((e) => (e.wrapped === null ? null : Buffer.from(e.wrapped))),
          ],
        )
        return E.right(undefined)
      })(),
    destroyKey: (subject) =>
      run.write('destroying a subject key', async () => {
        if (subject === KEY_MARKER_SUBJECT) return E.right(false)
        const changed = await run.query(
          `UPDATE ${table} SET wrapped = NULL WHERE subject = $1 AND wrapped IS NOT NULL`,
          [subject],
        )
        await run.query(`VACUUM ${table}`)
        return E.right((changed.rowCount ?? 0) > 0)
      })(),
  }
}
