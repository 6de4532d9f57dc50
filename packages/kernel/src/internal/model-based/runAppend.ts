/**
 * The shared body of the two append commands: send, compare with the model's prediction, and either
 * record what was written or check that nothing was.
 * @internal
 */
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

/** Runs an append (one part through `append`, any number through `appendBatch`) against model and store. @internal */
export const runAppend = async (
  model: StoreModel,
  real: RealStore,
  specs: ReadonlyArray<PartSpec>,
  via: 'append' | 'appendBatch',
): Promise<void> => {
  const events = newEventsOf(model, specs)
  const parts = specs.map((spec, i) => ({
    stream: spec.stream,
    events: events[i] ?? [],
    expectedVersion: expectedVersionOf(model, spec),
  }))
  const predicted = expectAppend(model, parts)
  const [first] = parts
  const result =
    via === 'append' && first !== undefined && parts.length === 1
      ? await real.store.append(first.stream, first.events, { expectedVersion: first.expectedVersion })()
      : await real.store.appendBatch(parts)()
  if (!predicted.ok) {
    expectThat(
      E.isLeft(result) && (predicted.errors as ReadonlySet<string>).has(result.left._tag),
      () => `${via} should fail with ${[...predicted.errors].join(' or ')}, got ${show(result)}`,
    )
    const head = await real.store.headPosition()()
    expectThat(
      E.isRight(head) && head.right === model.log.length,
      () => `a failed ${via} must write nothing: head ${show(head)}, expected ${model.log.length}`,
    )
    return
  }
  expectThat(E.isRight(result), () => `${via} should succeed, got ${show(result)}`)
  checkAppended(model, predicted.appended, result.right.appended)
  expectThat(
    show(result.right.skipped) === show(predicted.skipped),
    () => `skipped ${show(result.right.skipped)}, expected ${show(predicted.skipped)}`,
  )
  model.log.push(...result.right.appended)
  const last = model.log.at(-1)
  const head = { position: last?.position ?? 0, hash: last?.hash ?? '' }
  expectThat(
    result.right.head.position === head.position && result.right.head.hash === head.hash,
    () => `${via} reported head ${show(result.right.head)}, expected ${show(head)}`,
  )
}
