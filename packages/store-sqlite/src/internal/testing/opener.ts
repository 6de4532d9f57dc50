/**
 * @internal
 * Child process of the concurrent-open test: `opener.ts PATH NAME`. Prints `ready`, waits for a line on
 * stdin, then opens the store at PATH (creating or migrating it if no other process has yet), appends one
 * event to its own stream and closes it. Prints `opened`; exits 1 with the error on stderr if any call
 * fails.
 */
import { createInterface } from 'node:readline'
import * as E from 'fp-ts/Either'
import { openSqliteEventStore } from '../../sqliteEventStore'

const [path, name] = process.argv.slice(2)
if (path === undefined || name === undefined) {
  console.error('usage: opener PATH NAME')
  process.exit(2)
}

console.log('ready')
const lines = createInterface({ input: process.stdin })
await new Promise<void>((resolve) => lines.once('line', () => resolve()))
lines.close()

const opened = await openSqliteEventStore(path)()
if (E.isLeft(opened)) {
  console.error(`${name}: ${opened.left.message}`)
  process.exit(1)
}
const store = opened.right
const appended = await store.append(`own-${name}`, [{ type: 'Opened', data: { by: name } }], {
  expectedVersion: 0,
})()
const closed = await store.close()()
if (E.isLeft(appended) || E.isLeft(closed)) {
  console.error(`${name}: ${JSON.stringify(E.isLeft(appended) ? appended.left : closed)}`)
  process.exit(1)
}
console.log('opened')
