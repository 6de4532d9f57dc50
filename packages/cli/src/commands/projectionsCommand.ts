/**
 * `ketnap projections status|rebuild`: where the read models kept in the store stand against the head;
 * drops them and folds the whole log into them again, with progress (a rebuild also happens by itself
 * when a read model's version changes).
 */
import { describeLedgerError, type ReadModelsStatus } from '@ketnap/ledger'
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

/** One line of a read model's standing against the head. */
export const statusLine = (head: number, model: ReadModelsStatus['models'][number]): string => {
  const { name, version, kept } = model
  if (kept === null) return `${name}: version ${version}, not built yet (built by the next write or report)`
  if (kept.version !== version)
    return (
      `${name}: version ${kept.version} kept, ${version} declared: ` +
      'rebuilt from the log by the next write (or ketnap projections rebuild)'
    )
  const behind = head - kept.position
  return behind <= 0
    ? `${name}: version ${version}, at position ${kept.position}: caught up`
    : `${name}: version ${version}, at position ${kept.position}: ${behind} event(s) behind ` +
        '(caught up by the next write or report, or ketnap follow)'
}

/** Says each read model's version and checkpoint against the head; reads only. */
export const statusCommand = async (session: Session): Promise<ExitStatus> => {
  const { io, ledger } = session
  const status = await ledger.readModelsStatus()()
  if (E.isLeft(status)) {
    await complain(io, `cannot read the read models' status: ${describeLedgerError(status.left)}`)
    return ExitStatus.failure
  }
  if (status.right === null) {
    await say(io, 'this store keeps no read models (memory:)')
    return ExitStatus.ok
  }
  await say(io, `head: position ${status.right.head}`)
  for (const model of status.right.models) await say(io, statusLine(status.right.head, model))
  return ExitStatus.ok
}
