/**
 * `ketnap follow`: keeps the store's read models caught up while other processes write it, until
 * interrupted (SIGINT or SIGTERM). Woken by PostgreSQL's LISTEN/NOTIFY, or by polling a SQLite file;
 * each catch-up's position goes to standard error.
 */
import { describeLedgerError } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import { ExitStatus } from '../exitStatus'
import { complain, type Session } from '../session'

/** Follows until a signal; 0 when stopped by it, 1 when the store cannot be followed. */
export const followCommand = async (session: Session, pollMs: number | undefined): Promise<ExitStatus> => {
  const { io } = session
  const follower = await session.ledger.follow({
    ...(pollMs === undefined ? {} : { pollMs }),
    onCaughtUp: (caughtUp) =>
      void complain(
        io,
        E.isRight(caughtUp)
          ? `read models at position ${caughtUp.right}`
          : `catching up failed (retried on the next write): ${describeLedgerError(caughtUp.left)}`,
      ),
  })()
  if (E.isLeft(follower)) {
    await complain(io, `cannot follow this store: ${describeLedgerError(follower.left)}`)
    return ExitStatus.failure
  }
  await complain(
    io,
    `following (${follower.right.mode === 'notify' ? 'LISTEN/NOTIFY' : 'polling'}); Ctrl-C stops`,
  )
  await new Promise<void>((stop) => {
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await follower.right.stop()
  await complain(io, `stopped at position ${follower.right.position()}`)
  return ExitStatus.ok
}
