/**
 * Upcasters: old schema versions of an event are rewritten to the current one on read.
 */
import type * as E from 'fp-ts/Either'
import type { Json } from './envelope'
import type { DomainError } from './errors'

/** Rewrites the `data` of one event type from `fromSchemaVersion` to `fromSchemaVersion + 1`. */
export interface Upcaster {
  readonly type: string
  readonly fromSchemaVersion: number
  readonly upcast: (data: Json) => E.Either<DomainError, Json>
}
