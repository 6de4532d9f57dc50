/**
 * Upcasting on read: an envelope stored under an older schema version has its `data` rewritten, one
 * version at a time, by the upcasters keyed by (type, schemaVersion), up to the current version.
 */
import * as E from 'fp-ts/Either'
import type { Envelope } from './envelope'
import type { UpcastCode } from './errorCodes'
import { domainError, type DomainError } from './errors'
import type { Upcaster } from './upcaster'

/** Rewrites an envelope's data to the current schema version of its type. */
export type Upcast = (envelope: Envelope) => E.Either<DomainError, Envelope>

const keyOf = (type: string, schemaVersion: number): string => `${schemaVersion}:${type}`

/**
 * Builds the upcast of a set of upcasters. The result keeps the stored `hash` (it seals the stored form,
 * not the upcast one). Errors: `missing-upcaster` when a step of the chain is missing, `schema-too-new`
 * when the stored version is newer than the code knows, `duplicate-upcaster` when two upcasters claim
 * one step.
 */
export const upcasterChain = (
  upcasters: ReadonlyArray<Upcaster>,
  schemaVersionOf: (type: string) => number,
): Upcast => {
  const byKey = new Map<string, Upcaster>()
  const duplicates = new Set<string>()
  for (const u of upcasters) {
    const key = keyOf(u.type, u.fromSchemaVersion)
    if (byKey.has(key)) duplicates.add(key)
    byKey.set(key, u)
  }
  return (envelope) => {
    const current = schemaVersionOf(envelope.type)
    const at = `position ${envelope.position}`
    if (envelope.schemaVersion > current) {
      return E.left(
        domainError(
          'schema-too-new' satisfies UpcastCode,
          `${at}: ${envelope.type} is stored at schema version ${envelope.schemaVersion}, newer than ${current}`,
        ),
      )
    }
    let { data } = envelope
    for (let version = envelope.schemaVersion; version < current; version++) {
      const key = keyOf(envelope.type, version)
      if (duplicates.has(key)) {
        return E.left(
          domainError(
            'duplicate-upcaster' satisfies UpcastCode,
            `two upcasters for ${envelope.type} from version ${version}`,
          ),
        )
      }
      const upcaster = byKey.get(key)
      if (upcaster === undefined) {
        return E.left(
          domainError(
            'missing-upcaster' satisfies UpcastCode,
            `${at}: no upcaster for ${envelope.type} from schema version ${version}`,
          ),
        )
      }
      const next = upcaster.upcast(data)
      if (E.isLeft(next)) return next
      data = next.right
    }
    return E.right(data === envelope.data ? envelope : { ...envelope, data, schemaVersion: current })
  }
}
