/**
 * Generators of the conformance suite's commands: a few streams and a small pool of ids, so that
 * conflicts, duplicates and interleavings are common.
 * @internal
 */
import fc from 'fast-check'
import type { Json } from '../../envelope'
import { AppendBatchCommand } from './appendBatchCommand'
import { AppendBatchesCommand } from './appendBatchesCommand'
import { AppendCommand } from './appendCommand'
import { HeadCommand } from './headCommand'
import type { EventSpec, PartSpec } from './model'
import { ReadAllCommand } from './readAllCommand'
import { ReadPositionsCommand } from './readPositionsCommand'
import { ReadStreamCommand } from './readStreamCommand'

/** The streams commands touch. @internal */
export const streams = ['s-a', 's-b', 's-c'] as const

const streamArb = fc.constantFrom(...streams)

const eventSpecArb: fc.Arbitrary<EventSpec> = fc.record({
  type: fc.constantFrom('Opened', 'Noted', 'Closed'),
  data: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  id: fc.option(fc.constantFrom('id-1', 'id-2', 'id-3', 'id-4', 'id-5', 'id-6', 'id-7', 'id-8', 'id-9'), {
    nil: null,
    freq: 3,
  }),
  actor: fc.constantFrom(null, 'clerk'),
  schemaVersion: fc.integer({ min: 1, max: 2 }),
  clock: fc.option(
    fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: -3_000, max: -1 }) },
    ),
    { nil: null, freq: 3 },
  ),
  zoned: fc.boolean(),
})

const partArb: fc.Arbitrary<PartSpec> = fc.record({
  stream: streamArb,
  events: fc.array(eventSpecArb, { minLength: 0, maxLength: 4 }),
  expected: fc.oneof(
    { weight: 6, arbitrary: fc.constant('right' as const) },
    { weight: 2, arbitrary: fc.constant('any' as const) },
    { weight: 2, arbitrary: fc.constantFrom(-2, -1, 1, 2) },
  ),
})

/**
 * Random sequences of appends, batches, groups of batches, reads, windows, scattered positions and head
 * queries. @internal
 */
export const storeCommands = (maxCommands: number) =>
  fc.commands(
    [
      partArb.map((part) => new AppendCommand(part)),
      partArb.map((part) => new AppendCommand(part)),
      fc.array(partArb, { minLength: 1, maxLength: 3 }).map((parts) => new AppendBatchCommand(parts)),
      fc
        .tuple(fc.array(fc.array(partArb, { minLength: 1, maxLength: 2 }), { maxLength: 4 }), fc.boolean())
        .map(([requests, stop]) => new AppendBatchesCommand(requests, stop)),
      fc
        .tuple(
          fc.constantFrom(...streams, 's-unknown'),
          fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
        )
        .map(([stream, from]) => new ReadStreamCommand(stream, from)),
      fc
        .record({
          from: fc.option(fc.nat(), { nil: null }),
          to: fc.option(fc.nat(), { nil: null }),
          knownAt: fc.option(fc.nat(), { nil: null }),
          knownAtShift: fc.constantFrom(-1, 0, 0, 1),
          batchSize: fc.integer({ min: 1, max: 5 }),
        })
        .map((window) => new ReadAllCommand(window)),
      fc.array(fc.nat(), { maxLength: 6 }).map((picks) => new ReadPositionsCommand(picks)),
      fc.constant(new HeadCommand([...streams, 's-unknown'])),
    ],
    { maxCommands },
  )
