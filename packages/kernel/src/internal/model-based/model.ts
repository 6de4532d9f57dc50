/**
 * The model of an event store used by the conformance suite: the list of envelopes the store returned
 * from successful appends, and the few rules an append must follow, written as simply as possible
 * (no hashing, no validation: the model is a simplification, never a copy, of the planner).
 * @internal
 */
import type { Envelope, Json, NewEvent } from '../../envelope'
import type { EventStore, ExpectedVersion } from '../../eventStore'
import { canonicalJson } from '../../hashChain'

/** What the suite knows the store holds. @internal */
export interface StoreModel {
  readonly log: Envelope[]
}

/** The store under test. @internal */
export interface RealStore {
  readonly store: EventStore
}

/**
 * Explicit instants are generated near this one, far after any store clock, so that a defaulted
 * `recordedAt` (max(now, last)) is predictable: the last instant of the log, or "now" on an empty log.
 * @internal
 */
export const instantBase = Date.parse('2100-01-01T00:00:00.000Z')

/** One event of a generated append. @internal */
export interface EventSpec {
  readonly type: string
  readonly data: Json
  /** An id from a small pool (so that duplicates happen), or none. */
  readonly id: string | null
  readonly actor: string | null
  readonly schemaVersion: number
  /** Milliseconds after the model's last instant (negative runs the clock back), or none for the store default. */
  readonly clock: number | null
  /** Write the explicit instant in UTC+07:00 rather than `Z`, to check that stores normalize it. */
  readonly zoned: boolean
}

/** One stream's part of a generated append: `right` is the stream's version, a number is an offset from it. @internal */
export interface PartSpec {
  readonly stream: string
  readonly events: ReadonlyArray<EventSpec>
  readonly expected: 'right' | 'any' | number
}

/** Throws when a store breaks the contract (model runs report failures by throwing). @internal */
export function expectThat(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new Error(message())
}

/** Shows a value in a failure message. @internal */
export const show = (value: unknown): string => JSON.stringify(value, null, 0)

/** Whether two JSON values are equal, whatever the order of keys. @internal */
export const sameJson = (a: unknown, b: unknown): boolean =>
  canonicalJson(a as Json) === canonicalJson(b as Json)

/** The version of a stream in the model. @internal */
export const modelVersion = (model: StoreModel, stream: string): number =>
  model.log.filter((e) => e.stream === stream).length

/** The last instant of the model's log, in milliseconds. @internal */
export const lastInstant = (model: StoreModel): number | null => {
  const last = model.log.at(-1)
  return last === undefined ? null : Date.parse(last.recordedAt)
}

const formatInstant = (ms: number, zoned: boolean): string => {
  if (!zoned) return new Date(ms).toISOString()
  return `${new Date(ms + 7 * 3_600_000).toISOString().slice(0, -1)}+07:00`
}

/** The expected version a part sends, given the model. @internal */
export const expectedVersionOf = (model: StoreModel, part: PartSpec): ExpectedVersion => {
  if (part.expected === 'any') return 'any'
  const actual = modelVersion(model, part.stream)
  if (part.expected === 'right') return actual
  const wrong = actual + part.expected
  return wrong >= 0 ? wrong : actual + 1
}

/**
 * The events each part sends. Explicit instants run on from the model's last one (or the base), each a
 * `clock` step after the previous explicit one of the same call, so that a negative step runs the clock back.
 * @internal
 */
export const newEventsOf = (model: StoreModel, parts: ReadonlyArray<PartSpec>): NewEvent[][] => {
  let cursor = Math.max(lastInstant(model) ?? instantBase, instantBase)
  return parts.map((part) =>
    part.events.map((e) => {
      if (e.clock !== null) cursor += e.clock
      return {
        type: e.type,
        data: e.data,
        schemaVersion: e.schemaVersion,
        actor: e.actor,
        ...(e.id === null ? {} : { id: e.id }),
        ...(e.clock === null ? {} : { recordedAt: formatInstant(cursor, e.zoned) }),
      }
    }),
  )
}

/** What an envelope is expected to be, except for what the store alone decides. @internal */
export interface ExpectedEnvelope {
  readonly position: number
  readonly stream: string
  readonly version: number
  /** `null` when the store generates it. */
  readonly id: string | null
  readonly type: string
  readonly schemaVersion: number
  readonly data: Json
  readonly actor: string | null
  /** `null` when it is "now" (a default on an empty log). */
  readonly recordedAt: string | null
}

/** The outcome the model predicts for an append. @internal */
export type ExpectedAppend =
  | {
      readonly ok: true
      readonly appended: ReadonlyArray<ExpectedEnvelope>
      readonly skipped: ReadonlyArray<string>
    }
  | { readonly ok: false; readonly errors: ReadonlySet<'ConcurrencyError' | 'RecordClockError'> }

/** Predicts an append of several parts (all or nothing). @internal */
export const expectAppend = (
  model: StoreModel,
  parts: ReadonlyArray<{
    readonly stream: string
    readonly events: ReadonlyArray<NewEvent>
    readonly expectedVersion: ExpectedVersion
  }>,
): ExpectedAppend => {
  const errors = new Set<'ConcurrencyError' | 'RecordClockError'>()
  const ids = new Set(model.log.map((e) => e.id))
  const versions = new Map<string, number>()
  const appended: ExpectedEnvelope[] = []
  const skipped: string[] = []
  let last: number | null = lastInstant(model)
  for (const part of parts) {
    const fresh = part.events.filter((e) => {
      if (e.id === undefined) return true
      if (ids.has(e.id)) {
        skipped.push(e.id)
        return false
      }
      ids.add(e.id)
      return true
    })
    if (fresh.length === 0) continue
    const version = versions.get(part.stream) ?? modelVersion(model, part.stream)
    if (part.expectedVersion !== 'any' && part.expectedVersion !== version) errors.add('ConcurrencyError')
    fresh.forEach((e, i) => {
      let recordedAt: string | null
      if (e.recordedAt === undefined) {
        // Before any explicit instant the store's own clock decides (max(now, last) is just "now").
        recordedAt = last === null || last < instantBase ? null : new Date(last).toISOString()
      } else {
        const t = Date.parse(e.recordedAt)
        if (last !== null && t < last) errors.add('RecordClockError')
        last = Math.max(last ?? t, t)
        recordedAt = new Date(t).toISOString()
      }
      appended.push({
        position: model.log.length + appended.length + 1,
        stream: part.stream,
        version: version + i + 1,
        id: e.id ?? null,
        type: e.type,
        schemaVersion: e.schemaVersion ?? 1,
        data: JSON.parse(JSON.stringify(e.data)) as Json,
        actor: e.actor ?? null,
        recordedAt,
      })
    })
    versions.set(part.stream, version + fresh.length)
  }
  return errors.size > 0 ? { ok: false, errors } : { ok: true, appended, skipped }
}

/** Checks an append's actual envelopes against the prediction. @internal */
export const checkAppended = (
  model: StoreModel,
  expected: ReadonlyArray<ExpectedEnvelope>,
  actual: ReadonlyArray<Envelope>,
): void => {
  expectThat(
    actual.length === expected.length,
    () => `appended ${actual.length} envelopes, expected ${expected.length}`,
  )
  const known = new Set(model.log.map((e) => e.id))
  expected.forEach((want, i) => {
    const got = actual[i]!
    const previous = i === 0 ? model.log.at(-1) : actual[i - 1]
    const { id, recordedAt, ...fixed } = want
    const gotFixed = {
      position: got.position,
      stream: got.stream,
      version: got.version,
      type: got.type,
      schemaVersion: got.schemaVersion,
      data: got.data,
      actor: got.actor,
    }
    expectThat(sameJson(gotFixed, fixed), () => `appended ${show(gotFixed)}, expected ${show(fixed)}`)
    expectThat(
      id === null ? typeof got.id === 'string' && got.id.length > 0 && !known.has(got.id) : got.id === id,
      () => `appended id ${show(got.id)}, expected ${id ?? 'a fresh id'}`,
    )
    known.add(got.id)
    expectThat(
      recordedAt === null
        ? got.recordedAt === new Date(got.recordedAt).toISOString() &&
            Date.parse(got.recordedAt) < instantBase &&
            got.recordedAt >= (previous?.recordedAt ?? '')
        : got.recordedAt === recordedAt,
      () => `appended recordedAt ${got.recordedAt}, expected ${recordedAt ?? 'the store clock'}`,
    )
    expectThat(
      got.prevHash === (previous?.hash ?? ''),
      () => `prevHash of position ${got.position} does not link`,
    )
  })
}
