/**
 * `ketnap export [--out FILE] [--clear]`: the whole log as JSON Lines, full envelopes, in log order. An
 * encrypted store's export carries its persons' wrapped keys, so that an import with the same master key
 * restores it; `--clear` writes the personal fields in clear instead, a copy that cannot restore it.
 */
import { randomUUID } from 'node:crypto'
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { describeLedgerError } from '@ketnap/ledger'
import { ExitStatus } from '../exitStatus'
import { complain, type Session } from '../session'

/** Lines are written in chunks of about this many characters. */
const CHUNK = 1 << 16

const messageOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/**
 * Writes the log to `out` (a file; `-` is standard output) or to standard output. A file is written
 * beside its place under another name and renamed onto it once the whole log is written: an export
 * refused or failed half-way leaves a file already there as it was.
 */
export const exportCommand = async (
  session: Session,
  out: string | undefined,
  clear = false,
): Promise<ExitStatus> => {
  const { io, ledger } = session
  const target = out === undefined || out === '-' ? null : resolve(io.cwd, out)
  const partial =
    target === null
      ? null
      : join(dirname(target), `.${basename(target)}.${process.pid}-${randomUUID()}.partial`)
  let file: FileHandle | null = null
  let done = false
  try {
    // The file keeps the permissions of the one it replaces (an export guarded by them stays so).
    if (partial !== null && target !== null)
      file = await open(
        partial,
        'wx',
        await stat(target).then(
          (st) => st.mode & 0o777,
          () => 0o666,
        ),
      )
    const handle = file
    const write =
      handle === null
        ? (text: string) => io.stdout.write(text)
        : (text: string) => handle.write(text).then(() => undefined)
    let buffer = ''
    for await (const item of ledger.exportLines(session.actor, { clear })) {
      if (item._tag === 'Left') {
        await complain(io, `export failed: ${describeLedgerError(item.left)}`)
        return ExitStatus.failure
      }
      buffer += `${item.right}\n`
      if (buffer.length >= CHUNK) {
        await write(buffer)
        buffer = ''
      }
    }
    if (buffer.length > 0) await write(buffer)
    if (handle !== null && partial !== null && target !== null) {
      await handle.close()
      file = null
      await rename(partial, target)
    }
    done = true
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
    await file?.close()
    if (!done && partial !== null) await rm(partial, { force: true })
  }
}
