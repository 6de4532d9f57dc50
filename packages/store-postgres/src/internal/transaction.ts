/**
 * @internal
 * One transaction on one pooled connection, as a value: the body answers Either, a thrown driver
 * exception is turned into an error value, and the connection goes back to the pool (or is discarded
 * when it can no longer roll back).
 */
import * as E from 'fp-ts/Either'
import type pg from 'pg'

/**
 * Runs `body` between BEGIN and COMMIT (ROLLBACK when it answers Left or throws). `onError` turns an
 * exception (connecting, a statement, the commit) into an error; it runs after the connection is released,
 * so it may query the pool itself.
 * @internal
 */
export const inTransaction = async <L, A>(
  pool: pg.Pool,
  body: (client: pg.PoolClient) => Promise<E.Either<L, A>>,
  onError: (cause: unknown) => L | Promise<L>,
): Promise<E.Either<L, A>> => {
  let client: pg.PoolClient
  try {
    client = await pool.connect()
  } catch (cause) {
    return E.left(await onError(cause))
  }
  let failure: { readonly cause: unknown } | undefined
  let broken: Error | undefined
  let result: E.Either<L, A> | undefined
  try {
    await client.query('BEGIN')
    result = await body(client)
    await client.query(E.isLeft(result) ? 'ROLLBACK' : 'COMMIT')
  } catch (cause) {
    failure = { cause }
    try {
      await client.query('ROLLBACK')
    } catch (rollbackFailure) {
      // A connection that cannot even roll back is not given to the next caller.
      broken = rollbackFailure instanceof Error ? rollbackFailure : new Error(String(rollbackFailure))
    }
  } finally {
    client.release(broken)
  }
  if (failure !== undefined || result === undefined) return E.left(await onError(failure?.cause))
  return result
}
