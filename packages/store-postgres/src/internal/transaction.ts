/**
 * @internal
 * The two ways the store runs SQL on its pool, as values: one statement (`pooledQuery`) and one
 * transaction on one connection (`inTransaction`). A driver exception becomes an error value, a
 * connection that broke is never given back to the pool, and its `error` event is listened to so that a
 * backend terminated under a call is that call's error, never an uncaught event that ends the process.
 */
import * as E from 'fp-ts/Either'
import type pg from 'pg'
import { isConnectionLoss, sqlState } from './driverErrors'

/**
 * Runs `f` again on a fresh connection while it fails because the pooled connection it was given had
 * died while idle (terminated, timed out, the server restarted) and nothing was done on it yet. At most
 * once per connection the pool held when the call began, plus one: a server that is down fails at
 * connecting, which is not a lost connection, and is reported at once.
 */
const onLiveConnection = async <A>(pool: pg.Pool, f: () => Promise<A>): Promise<A> => {
  for (let stale = pool.totalCount; ; stale--) {
    try {
      return await f()
    } catch (cause) {
      if (stale <= 0 || !isConnectionLoss(cause)) throw cause
    }
  }
}

/**
 * One statement on a pooled connection (the pool listens to that connection's errors while it runs). A
 * statement that fails because its idle connection had died is run again on a fresh one: reads are
 * idempotent, and the store's single-statement writes are upserts of the same values.
 * @internal
 */
export const pooledQuery = <R extends pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  values?: ReadonlyArray<unknown>,
): Promise<pg.QueryResult<R>> => onLiveConnection(pool, () => pool.query<R>(text, values as unknown[]))

/** A checked-out connection and the first error it emitted, if any. */
interface Watched {
  readonly client: pg.PoolClient
  /** The connection's first `error` event (a terminated backend, a reset socket), if one came. */
  readonly lost: () => unknown
  /** Stops listening and gives the connection back (discarded when `broken` is given). */
  readonly release: (broken?: Error) => void
}

/**
 * A connection checked out of the pool, listened to: the pool only listens to idle connections, and an
 * `error` event nobody listens to ends the process.
 */
const checkOut = async (pool: pg.Pool): Promise<Watched> => {
  const client = await pool.connect()
  let first: { readonly error: unknown } | undefined
  const onError = (error: unknown): void => {
    first ??= { error }
  }
  client.on('error', onError)
  return {
    client,
    lost: () => first?.error,
    release: (broken) => {
      client.removeListener('error', onError)
      const error = first?.error
      client.release(broken ?? (error === undefined ? undefined : asError(error)))
    },
  }
}

const asError = (cause: unknown): Error => (cause instanceof Error ? cause : new Error(String(cause)))

/** Where a transaction failed: before its end, or at COMMIT, whose outcome a lost connection leaves unknown. */
export type TransactionStage = 'running' | 'committing'

/**
 * Runs `body` between BEGIN and COMMIT (ROLLBACK when it answers Left or throws). `onError` turns an
 * exception (connecting, a statement, the commit) into an error, told whether it came at COMMIT; it runs
 * after the connection is released, so it may query the pool itself. A connection found dead at BEGIN is
 * replaced; one that dies later fails the call, and the server rolls its transaction back.
 * @internal
 */
export const inTransaction = async <L, A>(
  pool: pg.Pool,
  body: (client: pg.PoolClient) => Promise<E.Either<L, A>>,
  onError: (cause: unknown, stage: TransactionStage) => L | Promise<L>,
): Promise<E.Either<L, A>> => {
  let watched: Watched
  try {
    watched = await onLiveConnection(pool, async () => {
      const w = await checkOut(pool)
      try {
        await w.client.query('BEGIN')
        return w
      } catch (cause) {
        w.release(asError(cause))
        throw cause
      }
    })
  } catch (cause) {
    return E.left(await onError(cause, 'running'))
  }
  const { client } = watched
  let stage: TransactionStage = 'running'
  let failure: { readonly cause: unknown } | undefined
  let broken: Error | undefined
  let result: E.Either<L, A> | undefined
  try {
    result = await body(client)
    if (E.isLeft(result)) {
      try {
        await client.query('ROLLBACK')
      } catch (rollbackFailure) {
        // Nothing was written either way (a server rolls back the transaction of a connection it lost);
        // the body's own answer is the one to give.
        broken = asError(rollbackFailure)
      }
    } else {
      stage = 'committing'
      await client.query('COMMIT')
    }
  } catch (cause) {
    // A statement issued after the connection broke fails with "not queryable"; the error that broke it
    // (the server's, with its SQLSTATE) says more.
    const lost = watched.lost()
    failure = { cause: sqlState(cause) === undefined && lost !== undefined ? lost : cause }
    try {
      await client.query('ROLLBACK')
    } catch (rollbackFailure) {
      // A connection that cannot even roll back is not given to the next caller.
      broken = asError(rollbackFailure)
    }
  } finally {
    watched.release(broken)
  }
  if (failure !== undefined || result === undefined) return E.left(await onError(failure?.cause, stage))
  return result
}
