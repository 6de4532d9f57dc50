/**
 * Model-based command: read one stream from a version.
 * @internal
 */
import type { AsyncCommand } from 'fast-check'
import * as E from 'fp-ts/Either'
import { expectThat, sameJson, show, type RealStore, type StoreModel } from './model'

/** Reads a stream and compares it with the model. @internal */
export class ReadStreamCommand implements AsyncCommand<StoreModel, RealStore> {
  constructor(
    readonly stream: string,
    readonly fromVersion: number | undefined,
  ) {}
  check(): boolean {
    return true
  }
  async run(model: StoreModel, real: RealStore): Promise<void> {
    const from = this.fromVersion ?? 1
    const expected = model.log.filter((e) => e.stream === this.stream && e.version >= from)
    const result = await real.store.readStream(
      this.stream,
      this.fromVersion === undefined ? undefined : { fromVersion: this.fromVersion },
    )()
    expectThat(E.isRight(result), () => `readStream failed: ${show(result)}`)
    expectThat(
      sameJson(result.right, expected),
      () =>
        `readStream(${this.stream}, ${from}) gave versions ${show(result.right.map((e) => e.version))}, expected ${show(expected.map((e) => e.version))} (or their contents differ)`,
    )
  }
  toString(): string {
    return `readStream(${this.stream}, ${String(this.fromVersion)})`
  }
}
