/**
 * `ketnap import FILE|-`: all or nothing; every invalid line reported as `line N: CODE: message`.
 */
import { createReadStream } from 'node:fs'
import { access } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describeLedgerError, invalidLineCount } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import { ExitStatus } from '../exitStatus'
import { linesOfChunks } from '@ketnap/kernel'
import { complain, say, type Session } from '../session'

/** Imports a JSON Lines file (or standard input for `-`) into the store. */
export const importCommand = async (session: Session, file: string): Promise<ExitStatus> => {
  const { io, ledger, progress } = session
  let lines: AsyncIterable<string>
  if (file === '-') {
    lines = io.stdin()
  } else {
    const path = resolve(io.cwd, file)
    try {
      await access(path)
    } catch {
      await complain(io, `cannot read ${path}`)
      return ExitStatus.failure
    }
    lines = linesOfChunks(createReadStream(path))
  }
  const result = await ledger.importEvents(lines, {
    onReplayProgress: (done, total) => progress.update('replay', done, total),
    onProgress: (done, total) => progress.update('import', done, total),
  })()
  progress.stop()
  if (E.isRight(result)) {
    const { appended, skipped, head } = result.right
    await say(
      io,
      `imported ${appended} event(s)${skipped > 0 ? `, skipped ${skipped} already stored` : ''}; head ${head.position}:${head.hash}`,
    )
    return ExitStatus.ok
  }
  const error = result.left
  if (error._tag === 'ImportFailure') {
    for (const e of error.errors) await complain(io, `line ${e.line}: ${e.code}: ${e.message}`)
    await complain(io, `nothing imported: ${invalidLineCount(error)} invalid line(s)`)
  } else {
    await complain(io, `nothing imported: ${describeLedgerError(error)}`)
  }
  return ExitStatus.failure
}
