/**
 * Model-based command: read a window of the global log (from, to, known at) in batches of a given size.
 * @internal
 */
import type { AsyncCommand } from 'fast-check'
import * as E from 'fp-ts/Either'
import type { Envelope } from '../../envelope'
import type { ReadAllOptions } from '../../eventStore'
import { expectThat, sameJson, show, type RealStore, type StoreModel } from './model'

/** How a window is chosen, relative to the log at the time the command runs. @internal */
export interface WindowSpec {
  /** `fromPosition` = 1 + this modulo (length + 2), or the default. */
  readonly from: number | null
  /** `toPosition` = this modulo (length + 2), or the default. */
  readonly to: number | null
  /** `knownAt` = the instant of the envelope at this index modulo (length + 1) (past the end: before every event), or none. */
  readonly knownAt: number | null
  /** Shift `knownAt` by this many milliseconds. */
  readonly knownAtShift: number
  readonly batchSize: number
}

/** Reads a window and compares it with the model. @internal */
export class ReadAllCommand implements AsyncCommand<StoreModel, RealStore> {
  constructor(readonly window: WindowSpec) {}
  check(): boolean {
    return true
  }
  async run(model: StoreModel, real: RealStore): Promise<void> {
    const n = model.log.length
    const { from, to, knownAt, knownAtShift, batchSize } = this.window
    const options: { -readonly [K in keyof ReadAllOptions]: ReadAllOptions[K] } = { batchSize }
    if (from !== null) options.fromPosition = 1 + (from % (n + 2))
    if (to !== null) options.toPosition = to % (n + 2)
    if (knownAt !== null) {
      const at = model.log[knownAt % (n + 1)]
      const ms =
        at === undefined ? Date.parse('2000-01-01T00:00:00.000Z') : Date.parse(at.recordedAt) + knownAtShift
      options.knownAt = new Date(ms).toISOString()
    }
    const expected = model.log.filter(
      (e) =>
        e.position >= (options.fromPosition ?? 1) &&
        e.position <= (options.toPosition ?? n) &&
        (options.knownAt === undefined || e.recordedAt <= options.knownAt),
    )
    const got: Envelope[] = []
    let batches = 0
    for await (const batch of real.store.readAll(options)) {
      expectThat(E.isRight(batch), () => `readAll(${show(options)}) failed: ${show(batch)}`)
      expectThat(
        batch.right.length <= batchSize,
        () => `readAll gave a batch of ${batch.right.length} > ${batchSize}`,
      )
      got.push(...batch.right)
      batches += 1
    }
    expectThat(
      sameJson(got, expected),
      () =>
        `readAll(${show(options)}) gave positions ${show(got.map((e) => e.position))}, expected ${show(expected.map((e) => e.position))} (or their contents differ)`,
    )
    expectThat(
      batches >= Math.ceil(expected.length / batchSize),
      () => `readAll must read in batches of at most ${batchSize}`,
    )
  }
  toString(): string {
    return `readAll(${JSON.stringify(this.window)})`
  }
}
