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

/** Options of `ketnap import`. */
export interface ImportCommandOptions {
  /** The longest line accepted, in bytes. */
  readonly maxLineBytes?: number
  /** One line per phase on stderr: what it did, its wall time and the process's peak RSS so far. */
  readonly timings?: boolean
}

/** The process's peak resident memory so far, in MiB. */
const peakRssMiB = (): number => process.resourceUsage().maxRSS / 1024

/** One phase's line of `--timings`: what it did, its wall time, the process's peak RSS so far. */
const phaseLine = (phase: string, what: string, ms: number): string =>
  `phase ${phase}: ${what} in ${(ms / 1000).toFixed(3)} s, peak RSS ${peakRssMiB().toFixed(0)} MiB`

/**
 * Imports a JSON Lines file (or standard input for `-`) into the store: the write (every line checked,
 * then all appended or none), then, once it has committed, the read models brought to the head, a phase
 * of its own whose failure leaves the import standing (the next write or report catches them up).
 */
export const importCommand = async (
  session: Session,
  file: string,
  options: ImportCommandOptions = {},
): Promise<ExitStatus> => {
  const { maxLineBytes, timings = false } = options
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
  const writeStarted = performance.now()
  const result = await ledger.importEvents({ bytes }, session.actor, {
    onReplayProgress: (done, total) => progress.update('replay', done, total),
    catchUpReadModels: false,
    ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
  })()
  progress.stop()
  if (E.isRight(result)) {
    if (timings)
      await complain(
        io,
        phaseLine('write', `${result.right.appended} event(s) written`, performance.now() - writeStarted),
      )
    const readModelsStarted = performance.now()
    const caughtUp = await ledger.catchUpReadModels((done, total) =>
      progress.update('read models', done, total),
    )()
    progress.stop()
    // The import stands whatever becomes of this phase: a failure leaves the read models behind the log.
    if (timings) {
      const ms = performance.now() - readModelsStarted
      await complain(
        io,
        E.isLeft(caughtUp)
          ? `phase read-models: failed after ${(ms / 1000).toFixed(3)} s: ${describeLedgerError(caughtUp.left)}`
          : phaseLine(
              'read-models',
              caughtUp.right === null ? 'none kept' : `at position ${caughtUp.right.position}`,
              ms,
            ),
      )
    }
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
