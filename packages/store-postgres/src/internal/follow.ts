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
  let timer: ReturnType<typeof setInterval> | null = null
  let last = -1
  const poll = (): void => {
    if (timer !== null || stopped) return
    timer = setInterval(() => {
      void headPosition().then((head) => {
        if (E.isRight(head) && head.right !== last) {
          last = head.right
          onChange()
        }
      })
    }, pollMs)
  }
  let client: pg.PoolClient | null = null
  try {
    client = await pool.connect()
    const listening = client
    listening.on('notification', (message) => {
      if (message.channel === HEAD_CHANNEL && message.payload?.startsWith(`${schema} `) === true) onChange()
    })
    // A lost connection falls back to polling; the next head read tells what was missed.
    listening.on('error', () => {
      poll()
      onChange()
    })
    await listening.query(`LISTEN ${HEAD_CHANNEL}`)
  } catch {
    client?.release(true)
    client = null
    poll()
  }
  const held = client
  return E.right({
    mode: held === null ? 'poll' : 'notify',
    stop: async () => {
      stopped = true
      if (timer !== null) clearInterval(timer)
      if (held !== null) {
        try {
          await held.query(`UNLISTEN ${HEAD_CHANNEL}`)
          held.release()
        } catch {
          held.release(true)
        }
      }
    },
  })
}
