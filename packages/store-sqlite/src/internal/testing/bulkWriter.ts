/**
 * @internal
 * Child process of the crash test: `bulkWriter.ts PATH STREAMS PER_STREAM`. Opens the store, prints
 * `ready`, then appends STREAMS x PER_STREAM events in one bulk append and prints `done`. The parent
 * kills it with SIGKILL while the transaction is being written.
 */
import * as E from 'fp-ts/Either'
import { openSqliteEventStore } from '../../sqliteEventStore'

const [path, streamsText, perStreamText] = process.argv.slice(2)
if (path === undefined || streamsText === undefined || perStreamText === undefined) {
  console.error('usage: bulkWriter PATH STREAMS PER_STREAM')
  process.exit(2)
}
const opened = await openSqliteEventStore(path)()
if (E.isLeft(opened)) {
  console.error(opened.left.message)
  process.exit(1)
}
const store = opened.right
const batch = Array.from({ length: Number(streamsText) }, (_, s) => ({
  stream: `bulk-${s}`,
  expectedVersion: 0,
  events: Array.from({ length: Number(perStreamText) }, (_, i) => ({
    type: 'Imported',
    id: `bulk-${s}-${i}`,
    data: { s, i, padding: 'x'.repeat(200) },
  })),
}))
console.log('ready')
const result = await store.appendBatch(batch)()
if (E.isLeft(result)) {
  console.error(JSON.stringify(result.left))
  process.exit(1)
}
console.log('done')
await store.close()()
