/**
 * @internal
 * Test helpers: temporary directories that are removed afterwards, and file fingerprints.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh temporary directory and a function that removes it. */
export const tempDir = (): {
  readonly dir: string
  readonly file: (name: string) => string
  readonly remove: () => void
} => {
  const dir = mkdtempSync(join(tmpdir(), 'ketnap-sqlite-'))
  return {
    dir,
    file: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** SHA-256 of a file's bytes, to show that it was not written to. */
export const fileHash = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex')

/** Whether SQLite left its WAL or shared-memory files beside `path`. */
export const hasSidecars = (path: string): boolean => existsSync(`${path}-wal`) || existsSync(`${path}-shm`)
