/**
 * `ketnap export [--out FILE] [--clear]`: the whole log as JSON Lines, full envelopes, in log order. An
 * encrypted store's export carries its persons' wrapped keys, so that an import with the same master key
 * restores it; `--clear` writes the personal fields in clear instead, a copy that cannot restore it.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describeLedgerError } from '@ketnap/ledger'
import { ExitStatus } from '../exitStatus'
import { complain, type Session } from '../session'

/** Lines are written in chunks of about this many characters. */
const CHUNK = 1 << 16

const messageOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/**
 * Writes the log to `out` (a file; `-` is standard output) or to standard output. The file is opened
 * (and truncated) only once the export's first line is at hand: an export refused at its start (the
 * master key missing for `--clear`, a bound actor) leaves a file already there as it was. A device, a
 * pipe or a symlink given as `out` is written through, as a shell's redirection would.
 */
export const exportCommand = async (
  session: Session,
  out: string | undefined,
  clear = false,
): Promise<ExitStatus> => {
  const { io, ledger } = session
  const target = out === undefined || out === '-' ? null : resolve(io.cwd, out)
  // The file once opened (assigned by `write`).
  const opened: { file: FileHandle | null } = { file: null }
  try {
    const write = async (text: string): Promise<void> => {
      if (target === null) return io.stdout.write(text)
      opened.file ??= await open(target, 'w')
      await opened.file.write(text)
    }
    let buffer = ''
    let first = true
    for await (const item of ledger.exportLines(session.actor, { clear })) {
      if (item._tag === 'Left') {
        await complain(io, `export failed: ${describeLedgerError(item.left)}`)
        return ExitStatus.failure
      }
      buffer += `${item.right}\n`
      // The first line is written at once: the file is opened once the export is under way.
      if (first || buffer.length >= CHUNK) {
        first = false
        await write(buffer)
        buffer = ''
      }
    }
    // An empty log's export is an empty file.
    await write(buffer)
    if (clear)
      await complain(
        io,
        'this export holds personal data in clear: guard it as such. It cannot restore the store (its hashes cover the sealed fields), and a later forget does not reach it',
      )
    return ExitStatus.ok
  } catch (cause) {
    await complain(io, `export failed: ${messageOf(cause)}`)
    return ExitStatus.failure
  } finally {
    await opened.file?.close()
  }
}
