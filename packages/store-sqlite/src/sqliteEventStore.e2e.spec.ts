import { statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { verifyChain, type Envelope } from '@ketnap/kernel'
import { openSqliteEventStore, type SqliteEventStore } from './sqliteEventStore'
import { runScript } from './internal/testing/child'
import { tempDir } from './internal/testing/files'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.remove())

const open = async (path: string): Promise<SqliteEventStore> => {
  const opened = await openSqliteEventStore(path)()
  if (E.isLeft(opened)) throw new Error(opened.left.message)
  return opened.right
}

const readLog = async (store: SqliteEventStore): Promise<Envelope[]> => {
  const log: Envelope[] = []
  for await (const batch of store.readAll()) {
    if (E.isLeft(batch)) throw new Error(JSON.stringify(batch.left))
    log.push(...batch.right)
  }
  return log
}

const walSize = (path: string): number => {
  try {
    return statSync(`${path}-wal`).size
  } catch {
    return 0
  }
}

describe('several OS processes on one file', () => {
  it('two processes appending at once: every acknowledged event is stored once, gapless, chained', async () => {
    const path = tmp.file('shared.db')
    // Created up front so that both children open an existing store.
    await (await open(path)).close()()
    const count = 1000
    const writers = ['w1', 'w2'].map((name) => runScript('concurrentWriter.ts', [path, name, String(count)]))
    await Promise.all(writers.map((w) => w.waitFor('ready')))
    for (const w of writers) w.process.stdin.write('go\n')
    const exits = await Promise.all(writers.map((w) => w.exited))
    writers.forEach((w, i) => expect(exits[i], w.stderr()).toEqual({ code: 0, signal: null }))

    const acknowledged = writers.flatMap((w) =>
      w.lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4)),
    )
    expect(acknowledged).toHaveLength(2 * count)
    const store = await open(path)
    const log = await readLog(store)
    expect(log.map((e) => e.position)).toEqual(log.map((_, i) => i + 1))
    expect(log.map((e) => e.id).sort()).toEqual([...acknowledged].sort())
    expect(log.filter((e) => e.stream === 'shared').map((e) => e.version)).toEqual(
      Array.from({ length: count }, (_, i) => i + 1),
    )
    expect(await verifyChain(store.readAll())).toMatchObject({ ok: true, head: { position: 2 * count } })
    await store.close()()
  })

  it('several processes opening a new file at once all open it: it is created once and each appends', async () => {
    for (let round = 0; round < 3; round++) {
      const path = tmp.file(`fresh-${round}.db`)
      const names = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']
      const openers = names.map((name) => runScript('opener.ts', [path, name]))
      await Promise.all(openers.map((o) => o.waitFor('ready')))
      for (const o of openers) o.process.stdin.write('go\n')
      const exits = await Promise.all(openers.map((o) => o.exited))
      openers.forEach((o, i) =>
        expect(exits[i], `round ${round}: ${o.stderr()}`).toEqual({ code: 0, signal: null }),
      )
      const store = await open(path)
      const log = await readLog(store)
      expect(log.map((e) => e.stream).sort()).toEqual(names.map((name) => `own-${name}`))
      expect(await verifyChain(store.readAll())).toMatchObject({ ok: true, head: { position: names.length } })
      await store.close()()
    }
  })

  it('a process killed by SIGKILL during a large bulk append leaves all of the batch or none of it', async () => {
    const path = tmp.file('crash.db')
    const before = await open(path)
    await before.append(
      'pre',
      [
        { type: 'Before', data: 1 },
        { type: 'Before', data: 2 },
      ],
      { expectedVersion: 0 },
    )()
    await before.close()()
    const streams = 500
    const perStream = 200
    const writer = runScript('bulkWriter.ts', [path, String(streams), String(perStream)])
    await writer.waitFor('ready')
    // Kill once the transaction has spilled pages into the WAL, i.e. in the middle of writing the batch.
    const walAtStart = walSize(path)
    let exitedFirst = false
    void writer.exited.then(() => (exitedFirst = true))
    while (!exitedFirst && walSize(path) < walAtStart + 4 * 1024 * 1024) await sleep(2)
    writer.process.kill('SIGKILL')
    const exit = await writer.exited
    expect(exit.signal, `the writer finished before it could be killed: ${writer.stderr()}`).toBe('SIGKILL')

    const store = await open(path)
    const log = await readLog(store)
    expect([2, 2 + streams * perStream]).toContain(log.length)
    expect(log.map((e) => e.position)).toEqual(log.map((_, i) => i + 1))
    expect((await verifyChain(store.readAll())).ok).toBe(true)
    // The store is usable afterwards.
    const next = await store.append('post', [{ type: 'After', data: null }], { expectedVersion: 0 })()
    expect(E.isRight(next) && next.right.head.position).toBe(log.length + 1)
    await store.close()()
  })
})
