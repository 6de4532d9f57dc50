/**
 * Model-based command: read scattered positions of the global log in one call (`readPositions`).
 * @internal
 */
import type { AsyncCommand } from 'fast-check'
import * as E from 'fp-ts/Either'
import { expectThat, sameJson, show, type RealStore, type StoreModel } from './model'

/** Reads positions chosen relative to the log (some past its head, some repeated, in any order). @internal */
export class ReadPositionsCommand implements AsyncCommand<StoreModel, RealStore> {
  /** Each position is 1 + this modulo (length + 2): the last two past the head. */
  constructor(readonly picks: ReadonlyArray<number>) {}
  check(): boolean {
    return true
  }
  async run(model: StoreModel, real: RealStore): Promise<void> {
    const n = model.log.length
    const positions = this.picks.map((x) => 1 + (x % (n + 2)))
    const wanted = new Set(positions)
    const expected = model.log.filter((e) => wanted.has(e.position))
    const got = await real.store.readPositions(positions)
    expectThat(E.isRight(got), () => `readPositions(${show(positions)}) failed: ${show(got)}`)
    expectThat(
      sameJson(got.right, expected),
      () =>
        `readPositions(${show(positions)}) gave positions ${show(got.right.map((e) => e.position))}, expected ${show(expected.map((e) => e.position))} (or their contents differ)`,
    )
  }
  toString(): string {
    return `readPositions(${JSON.stringify(this.picks)})`
  }
}
