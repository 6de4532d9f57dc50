/**
 * `ketnap projections rebuild`: drops the read models kept in the store and folds the whole log into them
 * again, with progress (a rebuild also happens by itself when a read model's version changes).
 */
import { describeLedgerError } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import { ExitStatus } from '../exitStatus'
import { complain, say, type Session } from '../session'

/** Rebuilds every read model of the store; says how many events they now reflect. */
export const rebuildCommand = async (session: Session): Promise<ExitStatus> => {
  const { io, ledger, progress } = session
  const rebuilt = await ledger.rebuildReadModels((done, total) =>
    progress.update('read models', done, total),
  )()
  progress.stop()
  if (E.isLeft(rebuilt)) {
    await complain(io, `cannot rebuild the read models: ${describeLedgerError(rebuilt.left)}`)
    return ExitStatus.failure
  }
  if (rebuilt.right === null) {
    await say(io, 'this store keeps no read models (memory:): nothing to rebuild')
    return ExitStatus.ok
  }
  await say(io, `read models rebuilt: ${rebuilt.right.position} event(s)`)
  return ExitStatus.ok
}
