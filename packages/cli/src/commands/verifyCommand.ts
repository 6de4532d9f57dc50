/**
 * `ketnap verify [--head POSITION:HASH]`: recompute the hash chain and stream versions, print the head.
 */
import type { Head } from '@ketnap/kernel'
import { describeLedgerError } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import { ExitStatus } from '../exitStatus'
import { complain, say, type Session } from '../session'

/** Verifies the log; exit 3 naming the first broken position (or the kept head no longer in the log). */
export const verifyCommand = async (session: Session, kept: Head | undefined): Promise<ExitStatus> => {
  const { io, ledger, progress } = session
  const result = await ledger.verify({
    ...(kept === undefined ? {} : { head: kept }),
    onProgress: (done, total) => progress.update('verify', done, total),
  })()
  progress.stop()
  if (E.isLeft(result)) {
    await complain(io, `cannot verify: ${describeLedgerError(result.left)}`)
    return ExitStatus.failure
  }
  const v = result.right
  if (v.ok) {
    await say(
      io,
      `intact: ${v.head.position} event(s)${kept === undefined ? '' : `, extending the kept head ${kept.position}:${kept.hash}`}`,
    )
    await say(io, `head ${v.head.position}:${v.head.hash}`)
    return ExitStatus.ok
  }
  await say(io, `broken at position ${v.firstBrokenPosition}: ${v.code}: ${v.reason}`)
  // A break at or before the kept position means the log no longer extends that head unchanged.
  if (kept !== undefined && v.firstBrokenPosition <= kept.position) {
    await say(io, `the kept head ${kept.position}:${kept.hash} is no longer in the log`)
  }
  await say(io, `head ${v.head.position}:${v.head.hash}`)
  return ExitStatus.broken
}
