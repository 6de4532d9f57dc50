/**
 * `ketnap forget PERSON [--reason TEXT]`: erases a person's personal data from an encrypted store
 * (crypto-shredding, docs/security.md). The erasure is an event of the chain, with the run's actor and
 * the reason; the person's key is destroyed, so their events read back with the personal fields erased.
 */
import { describeLedgerError } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import { ExitStatus } from '../exitStatus'
import { complain, say, type Session } from '../session'

/** Forgets one person; says where the erasure stands in the log. */
export const forgetCommand = async (
  session: Session,
  person: string,
  reason: string | undefined,
): Promise<ExitStatus> => {
  const { io, ledger, actor } = session
  const forgotten = await ledger.forget(person, actor, reason === undefined ? {} : { reason })()
  if (E.isLeft(forgotten)) {
    await complain(io, `nothing forgotten: ${describeLedgerError(forgotten.left)}`)
    return ExitStatus.failure
  }
  const event = forgotten.right[0]
  await say(
    io,
    `forgot ${person}: their key is destroyed and their personal fields read as erased` +
      (event === undefined ? '' : `; recorded at position ${event.position}:${event.hash}`),
  )
  return ExitStatus.ok
}
