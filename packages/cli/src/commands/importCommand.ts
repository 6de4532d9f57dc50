/**
 * `ketnap import FILE|-`: all or nothing; every invalid line reported as `line N: CODE: message`.
 */
import { createReadStream } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describeLedgerError, invalidLineCount } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import { ExitStatus } from '../exitStatus'
import { complain, say, type Session } from '../session'

/** Counts the bytes of a stream as they pass, for a progress bar over a file of known size. */
async function* counted(
  chunks: AsyncIterable<Uint8Array>,
  onBytes: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  let bytes = 0
  for await (const chunk of chunks) {
    bytes += chunk.length
    onBytes(bytes)
    yield chunk
  }
}

/** Imports a JSON Lines file (or standard input for `-`) into the store. */
export const importCommand = async (
  session: Session,
  file: string,
  maxLineBytes?: number,
): Promise<ExitStatus> => {
  const { io, ledger, progress } = session
  // Bytes, not text: the importer splits lines before decoding them, so that a line that is not UTF-8
  // is refused (invalid-utf8) rather than silently repaired, and an over-long line is never held whole.
  let bytes: AsyncIterable<Uint8Array | string>
  if (file === '-') {
    bytes = io.stdin()
  } else {
    const path = resolve(io.cwd, file)
    let size: number
    try {
      await access(path)
      size = (await stat(path)).size
    } catch {
      await complain(io, `cannot read ${path}`)
      return ExitStatus.failure
    }
    bytes = counted(createReadStream(path), (done) => progress.update('import', done, size))
  }
  const result = await ledger.importEvents({ bytes }, session.actor, {
    onReplayProgress: (done, total) => progress.update('replay', done, total),
    onReadModelProgress: (done, total) => progress.update('read models', done, total),
    ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
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
