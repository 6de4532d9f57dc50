/**
 * Model-based command: the head, head position and stream versions.
 * @internal
 */
import type { AsyncCommand } from 'fast-check'
import * as E from 'fp-ts/Either'
import { expectThat, modelVersion, show, type RealStore, type StoreModel } from './model'

/** Compares the head and the versions of some streams with the model. @internal */
export class HeadCommand implements AsyncCommand<StoreModel, RealStore> {
  constructor(readonly streams: ReadonlyArray<string>) {}
  check(): boolean {
    return true
  }
  async run(model: StoreModel, real: RealStore): Promise<void> {
    const last = model.log.at(-1)
    const expected = { position: last?.position ?? 0, hash: last?.hash ?? '' }
    const head = await real.store.head()()
    expectThat(
      E.isRight(head) && head.right.position === expected.position && head.right.hash === expected.hash,
      () => `head() gave ${show(head)}, expected ${show(expected)}`,
    )
    const position = await real.store.headPosition()()
    expectThat(
      E.isRight(position) && position.right === expected.position,
      () => `headPosition() gave ${show(position)}, expected ${expected.position}`,
    )
    for (const stream of this.streams) {
      const version = await real.store.streamVersion(stream)()
      expectThat(
        E.isRight(version) && version.right === modelVersion(model, stream),
        () => `streamVersion(${stream}) gave ${show(version)}, expected ${modelVersion(model, stream)}`,
      )
    }
  }
  toString(): string {
    return `head(${this.streams.join(', ')})`
  }
}
