/**
 * @internal
 * A stored envelope back to a domain event: upcast with the kernel's chain, then decode.
 */
import * as E from 'fp-ts/Either'
import {
  domainError,
  upcasterChain,
  type DomainError,
  type Domain,
  type Envelope,
  type Json,
} from '@ketnap/kernel'
import type { LedgerErrorCode } from '../errors'

/** A stored envelope, upcast to the current schema, with the domain event its data decodes to. @internal */
export interface DecodedEnvelope<Ev> {
  readonly envelope: Envelope
  readonly event: Ev
}

/**
 * The decoder of a domain's stored envelopes. With `clearData` (an encrypted store), the envelope it
 * gives holds the event's data in clear (personal fields opened, or marked erased) instead of the
 * stored ciphertext: what the reports and a person's history read. @internal
 */
export const storedDecoder = <Ev, W>(
  domain: Domain<Ev, W>,
  clearData?: (event: Ev) => Json,
): ((envelope: Envelope) => E.Either<DomainError, DecodedEnvelope<Ev>>) => {
  const upcast = upcasterChain(domain.upcasters, domain.schemaVersionOf)
  return (envelope) => {
    const current = upcast(envelope)
    if (E.isLeft(current)) return current
    return E.bimap(
      (errors: ReadonlyArray<DomainError>) => {
        const first = errors[0]
        return domainError(
          'stored-event-invalid' satisfies LedgerErrorCode,
          `position ${envelope.position}: ${first === undefined ? 'does not decode' : `${first.code}: ${first.message}`}`,
        )
      },
      (event: Ev) => ({
        envelope: clearData === undefined ? current.right : { ...current.right, data: clearData(event) },
        event,
      }),
    )(domain.decode(current.right.type, current.right.data))
  }
}
