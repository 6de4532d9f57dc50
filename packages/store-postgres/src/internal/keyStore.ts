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
import {
  KEY_MARKER_SUBJECT,
  type KeyStore,
  type Rewrapped,
  type StoredKey,
  type StoreError,
} from '@ketnap/kernel'

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
  /**
   * The connection of an import open in this process, or null: its keys are read and written through it,
   * in its transaction.
   */
  readonly session?: () => pg.PoolClient | null
  /** Runs `body` in one transaction on one connection (rolled back when it answers Left or throws). */
  readonly transaction: <A>(
    body: (client: pg.PoolClient) => Promise<E.Either<StoreError, A>>,
  ) => Promise<E.Either<StoreError, A>>
}

/** The key store of one PostgreSQL store (its schema's name quoted). @internal */
export const postgresKeyStore = (quoted: string, run: KeyStoreRunners): KeyStore => {
  const table = `${quoted}.subject_keys`
  /** Adds keys through `client` (in its transaction), if the marker still holds `guard`'s bytes. */
  const add = async (
    client: pg.PoolClient,
    entries: ReadonlyArray<{ readonly subject: string; readonly wrapped: Uint8Array | null }>,
    guard: Uint8Array | undefined,
  ): Promise<E.Either<StoreError, boolean>> => {
    if (entries.length === 0) return E.right(true)
    if (guard !== undefined) {
      // FOR SHARE waits for a rotation that updated the marker and then reads its new bytes.
      const marker = await client.query<{ wrapped: Buffer | null }>(
        `SELECT wrapped FROM ${table} WHERE subject = $1 FOR SHARE`,
        [KEY_MARKER_SUBJECT],
      )
      const wrapped = marker.rows[0]?.wrapped ?? null
      if (wrapped === null || !wrapped.equals(Buffer.from(guard))) return E.right(false)
    }
    await client.query(
      `INSERT INTO ${table} (subject, wrapped) SELECT * FROM unnest($1::text[], $2::bytea[]) ` +
        'ON CONFLICT (subject) DO NOTHING',
      [
        entries.map((e) => e.subject),
        entries.map((e) => (e.wrapped === null ? null : Buffer.from(e.wrapped))),
      ],
    )
    return E.right(true)
  }
  return {
    readKeys: (subjects) =>
      run.read('reading subject keys', async () => {
        const found = new Map<string, StoredKey>()
        if (subjects.length === 0) return E.right(found)
        const text = `SELECT subject, wrapped FROM ${table} WHERE subject = ANY($1::text[])`
        const session = run.session?.() ?? null
        const rows =
          session === null
            ? await run.query<{ subject: string; wrapped: Buffer | null }>(text, [[...subjects]])
            : await session.query<{ subject: string; wrapped: Buffer | null }>(text, [[...subjects]])
        for (const { subject, wrapped } of rows.rows)
          found.set(
            subject,
            wrapped === null ? { _tag: 'Destroyed' } : { _tag: 'Wrapped', wrapped: new Uint8Array(wrapped) },
          )
        return E.right(found)
      })(),
    addKeys: (entries, guard) =>
      run.write('writing subject keys', async () => {
        const session = run.session?.() ?? null
        return session === null
          ? run.transaction((client) => add(client, entries, guard))
          : add(session, entries, guard)
      })(),
    rewrapKeys: (rewrap) =>
      run.write('re-wrapping subject keys', async () => {
        const done = await run.transaction(async (client): Promise<E.Either<StoreError, Rewrapped>> => {
          // SHARE ROW EXCLUSIVE: no key is added (ROW EXCLUSIVE) until the rotation has committed, and a
          // second rotation waits for the first.
          await client.query(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`)
          const rows = await client.query<{ subject: string; wrapped: Buffer }>(
            `SELECT subject, wrapped FROM ${table} WHERE wrapped IS NOT NULL ORDER BY subject`,
          )
          const subjects: string[] = []
          const wrapped: Buffer[] = []
          for (const row of rows.rows) {
            const again = rewrap(row.subject, new Uint8Array(row.wrapped))
            if (again === null) return E.right({ _tag: 'Refused', subject: row.subject })
            subjects.push(row.subject)
            wrapped.push(Buffer.from(again))
          }
          await client.query(
            `UPDATE ${table} AS k SET wrapped = u.wrapped FROM unnest($1::text[], $2::bytea[]) AS u(subject, wrapped) ` +
              'WHERE k.subject = u.subject',
            [subjects, wrapped],
          )
          return E.right({
            _tag: 'Rewrapped',
            keys: subjects.filter((s) => s !== KEY_MARKER_SUBJECT).length,
          })
        })
        // The dead row versions that held the old wrapped keys are pruned, as for a destroyed key.
        if (E.isRight(done) && done.right._tag === 'Rewrapped') await run.query(`VACUUM ${table}`)
        return done
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
