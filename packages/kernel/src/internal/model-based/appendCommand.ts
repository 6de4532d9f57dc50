/**
 * Model-based command: append to one stream (right, wrong or `any` expected version, duplicate ids,
 * explicit, zoned, backwards or default instants).
 * @internal
 */
import type { AsyncCommand } from 'fast-check'
import { runAppend } from './runAppend'
import type { PartSpec, RealStore, StoreModel } from './model'

/** Appends one part through `append`. @internal */
export class AppendCommand implements AsyncCommand<StoreModel, RealStore> {
  constructor(readonly part: PartSpec) {}
  check(): boolean {
    return true
  }
  async run(model: StoreModel, real: RealStore): Promise<void> {
    await runAppend(model, real, [this.part], 'append')
  }
  toString(): string {
    return `append(${JSON.stringify(this.part)})`
  }
}
