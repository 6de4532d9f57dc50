/**
 * Model-based command: append to several streams in one transaction (all or nothing: a batch with one
 * stale stream writes nothing).
 * @internal
 */
import type { AsyncCommand } from 'fast-check'
import { runAppend } from './runAppend'
import type { PartSpec, RealStore, StoreModel } from './model'

/** Appends several parts through `appendBatch`. @internal */
export class AppendBatchCommand implements AsyncCommand<StoreModel, RealStore> {
  constructor(readonly parts: ReadonlyArray<PartSpec>) {}
  check(): boolean {
    return true
  }
  async run(model: StoreModel, real: RealStore): Promise<void> {
    await runAppend(model, real, this.parts, 'appendBatch')
  }
  toString(): string {
    return `appendBatch(${JSON.stringify(this.parts)})`
  }
}
