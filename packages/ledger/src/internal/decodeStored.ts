/**
 * @internal
 * A stored envelope back to a domain event: upcast its data to the current schema version, then decode.
 */
import * as E from 'fp-ts/Either'
import { domainError, type DomainError, type Domain, type Envelope, type Json } from '@ketnap/kernel'

/** The domain event an envelope holds, or why it cannot be read. @internal */
export const decodeStored = <Ev, W>(domain: Domain<Ev, W>, envelope: Envelope): E.Either<DomainError, Ev> => {
  let data: Json = envelope.data
  let version = envelope.schemaVersion
  const target = domain.schemaVersionOf(envelope.type)
  while (version < target) {
    const upcaster = domain.upcasters.find((u) => u.type === envelope.type && u.fromSchemaVersion === version)
    if (upcaster === undefined) {
      return E.left(
        domainError(
          'no-upcaster',
          `position ${envelope.position}: no upcaster for ${envelope.type} from schema version ${version}`,
        ),
      )
    }
    const upcast = upcaster.upcast(data)
    if (E.isLeft(upcast)) return upcast
    data = upcast.right
    version += 1
  }
  return E.mapLeft((errors: ReadonlyArray<DomainError>) => {
    const first = errors[0]
    return domainError(
      'stored-event-invalid',
      `position ${envelope.position}: ${first === undefined ? 'does not decode' : `${first.code}: ${first.message}`}`,
    )
  })(domain.decode(envelope.type, data))
}
