/**
 * `ketnap keys rotate --new-master-key FILE`: rotates an encrypted store's master key (docs/security.md).
 * The current key is the run's `--master-key` (or `KETNAP_MASTER_KEY_FILE`); every person's key is
 * re-wrapped with the new one in one transaction, and nothing changes when the current key is wrong.
 */
import { describeLedgerError } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import { ExitStatus } from '../exitStatus'
import { readMasterKey } from '../masterKeyFile'
import { complain, say, type Session } from '../session'

/** Rotates the master key to the one in `newKeyFile`; says how many persons' keys were re-wrapped. */
export const rotateCommand = async (session: Session, newKeyFile: string): Promise<ExitStatus> => {
  const { io, ledger, actor } = session
  const newKey = readMasterKey(newKeyFile, io.cwd)
  if (E.isLeft(newKey)) {
    await complain(
      io,
      `nothing rotated: ${newKey.left.replace(/the master key file/, 'the new master key file')}`,
    )
    return ExitStatus.failure
  }
  const rotated = await ledger.rotateMasterKey(newKey.right, actor)()
  if (E.isLeft(rotated)) {
    await complain(io, `nothing rotated: ${describeLedgerError(rotated.left)}`)
    return ExitStatus.failure
  }
  await say(
    io,
    `rotated the master key: ${rotated.right} persons' keys re-wrapped; keep ${newKeyFile} as the store's master key from now on`,
  )
  return ExitStatus.ok
}
