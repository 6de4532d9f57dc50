/**
 * The master key file of `--master-key FILE` (or `KETNAP_MASTER_KEY_FILE`): exactly 32 bytes, e.g. made
 * with `openssl rand -out FILE 32` (docs/security.md). A file that cannot be read, or holds another
 * number of bytes, is `invalid-master-key`, said on one line naming the file.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { masterKey, type MasterKey } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'

/** The master key in the file at `path` (relative to `cwd`), or the line saying why not. */
export const readMasterKey = (path: string, cwd: string): E.Either<string, MasterKey> => {
  const file = resolve(cwd, path)
  let bytes: Uint8Array
  try {
    bytes = readFileSync(file)
  } catch (cause) {
    const why = cause instanceof Error && 'code' in cause ? String(cause.code) : String(cause)
    return E.left(`invalid-master-key: the master key file ${path} cannot be read (${why})`)
  }
  return E.mapLeft((e: { readonly code: string; readonly message: string }) => `${e.code}: ${e.message}`)(
    masterKey(bytes, `the master key file ${path}`),
  )
}
