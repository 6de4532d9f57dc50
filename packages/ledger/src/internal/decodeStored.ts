/**
 * @internal
 * A stored envelope back to a domain event, by the kernel's one reading (`storedEnvelopeReader`: upcast,
 * then decode), its refusal as the ledger's `stored-event-invalid`.
 */
import * as E from 'fp-ts/Either'
import {
  domainError,
  storedEnvelopeReader,
  type DecodedEnvelope,
  type DomainError,
  type Domain,
  type Envelope,
  type Json,
  type KeyCode,
} from '@ketnap/kernel'
import type { LedgerErrorCode } from '../errors'

export type { DecodedEnvelope }

/**
 * The decoder of a domain's stored envelopes. With `clearData` (an encrypted store), the envelope it
 * gives holds the event's data in clear (personal fields opened, or marked erased) instead of the
 * stored ciphertext: what the reports and a person's history read. @internal
 */
export const storedDecoder = <Ev, W>(
  domain: Domain<Ev, W>,
  clearData?: (event: Ev) => Json,
  locked = false,
): ((envelope: Envelope) => E.Either<DomainError, DecodedEnvelope<Ev>>) => {
  const read = storedEnvelopeReader(domain)
  return (envelope) =>
    E.bimap(
      (errors: ReadonlyArray<DomainError>) => {
        const first = errors[0]
        // Opened without the master key (`locked`), sealed fields do not open: the key is what is
        // missing, not the event that is damaged.
        if (locked && first?.code === 'sealed-unreadable')
          return domainError(
            'no-master-key' satisfies KeyCode,
            `position ${envelope.position}: ${envelope.type} holds personal fields sealed under the persons' ` +
              "keys: reading them needs the store's master key (--master-key FILE or KETNAP_MASTER_KEY_FILE)",
          )
        return domainError(
          'stored-event-invalid' satisfies LedgerErrorCode,
          `position ${envelope.position}: ${first === undefined ? 'does not decode' : `${first.code}: ${first.message}`}`,
        )
      },
      (decoded: DecodedEnvelope<Ev>) =>
        clearData === undefined
          ? decoded
          : { ...decoded, envelope: { ...decoded.envelope, data: clearData(decoded.event) } },
    )(read(envelope))
}
