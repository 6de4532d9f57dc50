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

/** Writes the log to `out` (a file) or to standard output. */
export const exportCommand = async (
  session: Session,
  out: string | undefined,
  clear = false,
): Promise<ExitStatus> => {
  const { io, ledger } = session
  if (clear)
    await complain(
      io,
      'this export holds personal data in clear: guard it as such. It cannot restore the store (its hashes cover the sealed fields), and a later forget does not reach it',
    )
  let file: FileHandle | null = null
  try {
    if (out !== undefined) file = await open(resolve(io.cwd, out), 'w')
    const target = file
    const write =
      target === null
        ? (text: string) => io.stdout.write(text)
        : (text: string) => target.write(text).then(() => undefined)
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
    return ExitStatus.ok
  } catch (cause) {
    await complain(io, `export failed: ${messageOf(cause)}`)
    return ExitStatus.failure
  } finally {
    await file?.close()
  }
}
