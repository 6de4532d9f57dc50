/**
 * @internal
 * Looks at a file's first bytes before SQLite opens it, so that a foreign or corrupt file is refused
 * without a single byte written to it (opening it read-write would already create `-wal`/`-shm` files
 * and could change its journal mode).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { storageError, type StorageError } from '@ketnap/kernel'

/**
 * The `PRAGMA application_id` of every ketnap store (the ASCII bytes "KNAP"), written once when the file
 * is created, so that a ketnap file is recognisable from its header alone.
 * @internal
 */
export const KETNAP_APPLICATION_ID = 0x4b4e4150

/** The 16 bytes every SQLite 3 database file starts with. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')

/** The SQLite header is 100 bytes; the application id is a big-endian 32-bit integer at offset 68. */
const HEADER_SIZE = 100
const APPLICATION_ID_OFFSET = 68

/**
 * What the file at a path is: absent or empty (a new store may be created there), or a ketnap store.
 * @internal
 */
export type FileKind = 'new' | 'ketnap'

const readHeader = (path: string): Buffer => {
  const fd = openSync(path, 'r')
  try {
    const header = Buffer.alloc(HEADER_SIZE)
    const read = readSync(fd, header, 0, HEADER_SIZE, 0)
    return header.subarray(0, read)
  } finally {
    closeSync(fd)
  }
}

/**
 * Classifies the file at `path` from its header: refuses a directory, a file that is not SQLite, and a
 * SQLite database of another application (any other `application_id`), naming the file.
 * @internal
 */
export const inspectFile = (path: string): E.Either<StorageError, FileKind> => {
  try {
    let size: number
    try {
      const stat = statSync(path)
      if (!stat.isFile())
        return E.left(storageError(`${path} is not a regular file; a ketnap store is one SQLite file`))
      size = stat.size
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return E.right('new')
      throw cause
    }
    if (size === 0) return E.right('new')
    const header = readHeader(path)
    if (header.length < HEADER_SIZE || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
      return E.left(
        storageError(
          `${path} is not a SQLite database (corrupt, or another kind of file); refusing to open it`,
        ),
      )
    }
    const applicationId = header.readInt32BE(APPLICATION_ID_OFFSET)
    if (applicationId !== KETNAP_APPLICATION_ID) {
      return E.left(
        storageError(
          `${path} is a SQLite database of another application (application_id ${applicationId}, ` +
            `ketnap uses ${KETNAP_APPLICATION_ID}); refusing to open it as a ketnap store`,
        ),
      )
    }
    return E.right('ketnap')
  } catch (cause) {
    return E.left(storageError(`cannot read ${path}: ${(cause as Error).message}`, cause))
  }
}
