/**
 * `--halves`: the log imported in two halves, each by a `ketnap import` of its own into a second empty
 * store, must end at the head the whole import reached (issue 13: "the same head hash as importing it
 * in two halves"). The simulated log's lines carry their ids (D39), so both imports make the same
 * envelopes and the same chain.
 */
import { createReadStream, createWriteStream, rmSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { EventStore } from '@ketnap/kernel'
import { failureOf, runKetnap } from './child'
import type { Figure } from './figures'
import { progress } from './progress'
import type { PhaseContext, StoreUnderTest } from './storePhases'

/** Writes the log's first `first` lines to one file and the rest to another. */
export const splitLog = async (
  path: string,
  first: number,
  out: readonly [string, string],
): Promise<readonly [number, number]> => {
  const files = [createWriteStream(out[0]), createWriteStream(out[1])] as const
  const counts: [number, number] = [0, 0]
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    const half = counts[0] < first ? 0 : 1
    counts[half] += 1
    if (!files[half].write(`${line}\n`)) await once(files[half], 'drain')
  }
  for (const f of files) f.end()
  await Promise.all(files.map((f) => once(f, 'finish')))
  return counts
}

const headText = (head: { readonly position: number; readonly hash: string }): string =>
  `${head.position}:${head.hash.slice(0, 16)}…`

/**
 * Imports the log in two halves into `second` (an empty store) and compares its head with the head of
 * `whole` (the store the whole import made). The figure is the two imports' wall time; its note says
 * whether the heads are the same.
 */
export const measureHalves = async (
  ctx: PhaseContext,
  whole: StoreUnderTest,
  second: StoreUnderTest,
  scratch: string,
): Promise<Figure> => {
  const subject = whole.subject
  const figure = (value: number | null, note: string): Figure => ({
    subject,
    key: 'import-halves',
    label: 'bulk import in two halves: the same head as the whole import',
    value,
    unit: 'ms',
    note,
  })
  const headOf = async (store: StoreUnderTest) => {
    const opened: EventStore = await store.open()
    try {
      return await opened.head()()
    } finally {
      await opened.close()()
    }
  }
  const expected = await headOf(whole)
  if (expected._tag === 'Left')
    return figure(null, `the whole import's head could not be read: ${JSON.stringify(expected.left)}`)
  const parts = [join(scratch, 'first-half.jsonl'), join(scratch, 'second-half.jsonl')] as const
  try {
    const middle = Math.floor(ctx.profile.events / 2)
    progress(`${subject}: splitting the log after line ${middle}`)
    await splitLog(ctx.log.path, middle, parts)
    let ms = 0
    for (const part of parts) {
      progress(`${subject}: ketnap import ${part}`)
      const run = await runKetnap(ctx.cli, ['--store', second.url, 'import', part], {
        timeoutMs: ctx.phaseLimitMs,
      })
      const failed = failureOf(run)
      if (failed !== null) return figure(null, `the import of ${part} ${failed}`)
      ms += run.ms
    }
    const got = await headOf(second)
    if (got._tag === 'Left')
      return figure(null, `the halves' head could not be read: ${JSON.stringify(got.left)}`)
    const same = got.right.position === expected.right.position && got.right.hash === expected.right.hash
    const note = same
      ? `the same head, ${headText(expected.right)}`
      : `OTHER HEADS: whole ${headText(expected.right)}, halves ${headText(got.right)}`
    progress(`${subject}: two halves: ${note}`)
    return figure(ms, note)
  } finally {
    for (const part of parts) rmSync(part, { force: true })
  }
}
