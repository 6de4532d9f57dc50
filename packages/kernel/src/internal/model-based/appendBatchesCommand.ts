/**
 * Model-based command: several independent requests in one `appendBatches` transaction. Each request is
 * answered as if it had been appended alone after the ones before it (a failing one writes nothing and
 * fails no other), or, stopping at the first failure, the answers end with it.
 * @internal
 */
import type { AsyncCommand } from 'fast-check'
import * as E from 'fp-ts/Either'
import {
  checkAppended,
  expectAppend,
  expectThat,
  expectedVersionOf,
  newEventsOf,
  show,
  type PartSpec,
  type RealStore,
  type StoreModel,
} from './model'

/** Appends several requests through `appendBatches`. @internal */
export class AppendBatchesCommand implements AsyncCommand<StoreModel, RealStore> {
  constructor(
    readonly requests: ReadonlyArray<ReadonlyArray<PartSpec>>,
    readonly stopAtFirstFailure: boolean,
  ) {}
  check(): boolean {
    return true
  }
  async run(model: StoreModel, real: RealStore): Promise<void> {
    // Every request is built against the log as it is before the call: a later request on a stream an
    // earlier one wrote then expects a stale version, as an independent caller would.
    const requests = this.requests.map((specs) => {
      const events = newEventsOf(model, specs)
      return specs.map((spec, i) => ({
        stream: spec.stream,
        events: events[i] ?? [],
        expectedVersion: expectedVersionOf(model, spec),
      }))
    })
    const results = await real.store.appendBatches(requests, {
      stopAtFirstFailure: this.stopAtFirstFailure,
    })()
    let stopped = false
    for (const [i, parts] of requests.entries()) {
      const result = results[i]
      if (stopped) {
        expectThat(
          result === undefined,
          () => `request ${i + 1} was answered after a failed one: ${show(result)}`,
        )
        continue
      }
      expectThat(result !== undefined, () => `request ${i + 1} has no answer (${results.length} answers)`)
      const predicted = expectAppend(model, parts)
      if (!predicted.ok) {
        expectThat(
          E.isLeft(result) && (predicted.errors as ReadonlySet<string>).has(result.left._tag),
          () =>
            `request ${i + 1} should fail with ${[...predicted.errors].join(' or ')}, got ${show(result)}`,
        )
        stopped = this.stopAtFirstFailure
        continue
      }
      expectThat(E.isRight(result), () => `request ${i + 1} should succeed, got ${show(result)}`)
      checkAppended(model, predicted.appended, result.right.appended)
      expectThat(
        show(result.right.skipped) === show(predicted.skipped),
        () => `request ${i + 1} skipped ${show(result.right.skipped)}, expected ${show(predicted.skipped)}`,
      )
      model.log.push(...result.right.appended)
      const last = model.log.at(-1)
      expectThat(
        result.right.head.position === (last?.position ?? 0) && result.right.head.hash === (last?.hash ?? ''),
        () => `request ${i + 1} reported head ${show(result.right.head)}`,
      )
    }
    const head = await real.store.headPosition()()
    expectThat(
      E.isRight(head) && head.right === model.log.length,
      () => `after appendBatches the head is ${show(head)}, expected ${model.log.length}`,
    )
  }
  toString(): string {
    return `appendBatches(${JSON.stringify(this.requests)}, { stopAtFirstFailure: ${String(this.stopAtFirstFailure)} })`
  }
}
