/**
 * An auditor's read-only copy: a SQLite store in WAL mode, in a directory (and a file) the user cannot
 * write. verify, report, history and export work on it and change nothing (no shared-memory or WAL
 * file appears, the bytes stay the same); import refuses it with a plain message. Run as root, the
 * commands run without the capabilities that let root write anywhere (setpriv), so the permission bits
 * bind as they bind an ordinary user.
 */
import { createHash } from 'node:crypto'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, ensureCliBuilt, SAMPLE_HISTORY } from './internal/testing/cliBinary'

const bin = CLI_BIN
const sample = SAMPLE_HISTORY
const newVillage = JSON.stringify({
  type: 'VillageRegistered',
  data: { villageId: 'd0-xa0-new', name: 'Thôn mới', unitId: 'd0-xa0', on: '2024-01-01' },
  recordedAt: '2024-06-01T00:00:00Z',
})
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0

/** A store made and closed by its owner, then made read-only with the files the owner's reads left. */
const readOnlyStore = (keepSharedMemory: boolean) => {
  const dir = mkdtempSync(join(tmpdir(), 'ketnap-readonly-'))
  const path = join(dir, 'audit.db')
  const owner = (args: ReadonlyArray<string>) =>
    spawnSync(process.execPath, [bin, '--store', `sqlite:${path}`, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
  expect(owner(['import', sample]).status).toBe(0)
  const exported = owner(['export']).stdout
  // A read by the owner leaves SQLite's shared-memory file and an empty write-ahead log beside the
  // store; a copy may carry them or not.
  expect(readdirSync(dir).sort()).toEqual(['audit.db', 'audit.db-shm', 'audit.db-wal'])
  if (!keepSharedMemory) for (const f of ['audit.db-shm', 'audit.db-wal']) rmSync(join(dir, f))
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o444)
  chmodSync(dir, 0o555)
  return { dir, path, exported }
}

/** The name and SHA-256 of every file of a directory. */
const contents = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .map(
      (f) =>
        `${f} ${createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex')}`,
    )

/** Runs the built CLI as an ordinary user would, unable to write the store's directory or files. */
const asReader = (path: string, args: ReadonlyArray<string>, input = '') => {
  const [cmd, pre] = isRoot
    ? ['setpriv', ['--bounding-set=-dac_override,-dac_read_search', '--', process.execPath, bin]]
    : [process.execPath, [bin]]
  const r = spawnSync(cmd, [...pre, '--store', `sqlite:${path}`, ...args], {
    cwd: tmpdir(),
    input,
    encoding: 'utf8',
    env: { ...process.env, KETNAP_STORE: '' },
    maxBuffer: 64 * 1024 * 1024,
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) {
    chmodSync(dir, 0o755)
    rmSync(dir, { recursive: true, force: true })
  }
})

describe.each([
  ['the store file alone', false],
  ['the store with the shared-memory file and empty log a read left', true],
])('a WAL-mode store in a directory the user cannot write: %s', (_, keepSharedMemory) => {
  let store: ReturnType<typeof readOnlyStore>
  beforeAll(() => {
    ensureCliBuilt()
    store = readOnlyStore(keepSharedMemory)
    dirs.push(store.dir)
  })

  it('verify, report, history and export work and change nothing; import is refused plainly', () => {
    const before = contents(store.dir)
    const verified = asReader(store.path, ['verify'])
    expect(verified.stderr).toBe('')
    expect(verified.status).toBe(0)
    expect(verified.stdout).toMatch(/^intact: 1733 event\(s\)/)

    const report = asReader(store.path, [
      'report',
      'roll',
      '--org',
      'prov',
      '--as-of',
      '2023-12-31',
      '--format',
      'json',
    ])
    expect(report.status).toBe(0)
    expect((JSON.parse(report.stdout) as { members: number }).members).toBeGreaterThan(0)

    const history = asReader(store.path, ['history', 'c100'])
    expect(history.status).toBe(0)
    expect(history.stdout).toContain('CandidateNominated')

    const exported = asReader(store.path, ['export'])
    expect(exported.status).toBe(0)
    expect(exported.stdout).toBe(store.exported)

    // One new fact: the store must be written, and cannot be.
    const imported = asReader(store.path, ['import', '-'], newVillage)
    expect(imported.status).toBe(1)
    expect(imported.stderr).toMatch(/cannot be written by this user|readonly database/)

    expect(contents(store.dir)).toEqual(before)
  })
})
