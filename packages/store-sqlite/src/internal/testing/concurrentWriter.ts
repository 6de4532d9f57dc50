/**
 * @internal
 * Child process of the two-process test: `concurrentWriter.ts PATH NAME COUNT`. Opens the store, prints
 * `ready`, waits for a line on stdin, then makes COUNT appends alternating between the shared stream
 * (optimistic concurrency, retried on conflict) and its own stream. Prints `ack ID` for every event the
 * store acknowledged, `conflicts N` at the end, and exits 1 on any other error.
 */
import { createInterface } from 'node:readline'
import * as E from 'fp-ts/Either'
import { openSqliteEventStore } from '../../sqliteEventStore'

const [path, name, countText] = process.argv.slice(2)
if (path === undefined || name === undefined || countText === undefined) {
  console.error('usage: concurrentWriter PATH NAME COUNT')
  process.exit(2)
}
const fail = (message: string): never => {
  console.error(`${name}: ${message}`)
  process.exit(1)
}

const opened = await openSqliteEventStore(path, { busyTimeoutMs: 2000 })()
if (E.isLeft(opened)) fail(opened.left.message)
const store = E.isRight(opened) ? opened.right : fail('unreachable')
console.log('ready')
const lines = createInterface({ input: process.stdin })
await new Promise<void>((resolve) => lines.once('line', () => resolve()))
lines.close()

let conflicts = 0
for (let i = 0; i < Number(countText); i++) {
  const id = `${name}-${i}`
  const shared = i % 2 === 0
  for (;;) {
    const stream = shared ? 'shared' : `own-${name}`
    const version = await store.streamVersion(stream)()
    if (E.isLeft(version)) fail(version.left._tag)
    const expectedVersion = shared && E.isRight(version) ? version.right : 'any'
    const result = await store.append(stream, [{ type: 'Wrote', data: { by: name, i }, id }], {
      expectedVersion,
    })()
    if (E.isRight(result)) {
      for (const e of result.right.appended) console.log(`ack ${e.id}`)
      break
    }
    if (result.left._tag !== 'ConcurrencyError') fail(JSON.stringify(result.left))
    conflicts++
  }
}
console.log(`conflicts ${conflicts}`)
await store.close()()
