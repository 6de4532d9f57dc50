/**
 * @internal
 * Following a PostgreSQL store from other processes: every transaction that adds events sends a
 * NOTIFY on one channel (delivered at its COMMIT, never for a rollback), naming the schema and the new
 * head; a follower LISTENs on a connection of its own and is woken by it. Where LISTEN cannot be used
 * (the connection refuses it, or is lost), the follower reads the head on a timer instead.
 */
import type { HeadWatch, HeadWatchOptions, StoreError } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import type pg from 'pg'

/** The channel every ketnap store notifies on; the payload is `<schema> <head position>`. @internal */
export const HEAD_CHANNEL = 'ketnap_head'

/** The default milliseconds between two reads of the head when polling. */
const DEFAULT_POLL_MS = 250

/** Sends the notification inside the writing transaction (PostgreSQL delivers it at COMMIT). @internal */
export const notifyHead = async (client: pg.ClientBase, schema: string, position: number): Promise<void> => {
  await client.query('SELECT pg_notify($1, $2)', [HEAD_CHANNEL, `${schema} ${position}`])
}

/** Watches the head of `schema`: LISTEN on a connection of the pool's, or polling `headPosition`. @internal */
export const watchPostgresHead = async (
  pool: pg.Pool,
  schema: string,
  headPosition: () => Promise<E.Either<StoreError, number>>,
  onChange: () => void,
  options: HeadWatchOptions = {},
): Promise<E.Either<StoreError, HeadWatch>> => {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS
  let stopped = false
  // Nothing wakes the follower once it asked to stop, whatever was already on its way.
  const wake = (): void => {
    if (!stopped) onChange()
  }
  let timer: ReturnType<typeof setInterval> | null = null
  let last = -1
  const poll = (): void => {
    if (timer !== null || stopped) return
    timer = setInterval(() => {
      void headPosition().then((head) => {
        if (E.isRight(head) && head.right !== last) {
          last = head.right
          wake()
        }
      })
    }, pollMs)
  }
  const onNotification = (message: pg.Notification): void => {
    if (message.channel === HEAD_CHANNEL && message.payload?.startsWith(`${schema} `) === true) wake()
  }
  // A lost connection falls back to polling; the next head read tells what was missed.
  const onError = (): void => {
    poll()
    wake()
  }
  let client: pg.PoolClient | null = null
  try {
    client = await pool.connect()
    client.on('notification', onNotification)
    client.on('error', onError)
    await client.query(`LISTEN ${HEAD_CHANNEL}`)
  } catch {
    client?.removeListener('notification', onNotification).removeListener('error', onError)
    client?.release(true)
    client = null
    poll()
  }
  const held = client
  let stopping: Promise<void> | null = null
  return E.right({
    mode: held === null ? 'poll' : 'notify',
    stop: () => {
      // The connection goes back to the pool: without this watch's listeners, which would otherwise
      // wake a stopped follower when the next watch LISTENs on the same connection.
      stopping ??= (async () => {
        stopped = true
        if (timer !== null) clearInterval(timer)
        if (held === null) return
        try {
          await held.query(`UNLISTEN ${HEAD_CHANNEL}`)
          held.removeListener('notification', onNotification).removeListener('error', onError)
          held.release()
        } catch {
          held.removeListener('notification', onNotification).removeListener('error', onError)
          held.release(true)
        }
      })()
      return stopping
    },
  })
}
