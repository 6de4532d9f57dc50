/**
 * The party development domain plugged into the kernel: codecs, stream routing, the validator and the
 * reports projection.
 */
import type { Domain, Json, Projection } from '@ketnap/kernel'
import { decodeEvent } from './decode'
import type { DomainEvent } from './events'
import { defaultPolicy, type Policy } from './policy'
import { reportsProjection } from './projections/reportsProjection'
import { streamOf } from './streams'
import { validator } from './validator'
import type { WorldState } from './world'

/** Options of the domain. */
export interface PartyDevelopmentOptions {
  /** The rules' numbers; `defaultPolicy` when absent. */
  readonly policy?: Policy
}

/** The party development domain (phát triển đảng viên) for the kernel; every event at schema version 1. */
export const partyDevelopment = (options?: PartyDevelopmentOptions): Domain<DomainEvent, WorldState> => ({
  name: 'party-development',
  decode: decodeEvent,
  encode: (event) => ({ type: event.type, data: event.data as unknown as Json }),
  schemaVersionOf: () => 1,
  streamOf,
  upcasters: [],
  validator: validator(options?.policy ?? defaultPolicy),
  projections: [reportsProjection as Projection<unknown>],
})
