/**
 * The read model end to end with the built binary on a SQLite file: an import keeps it caught up, a
 * report (which opens the store read-only) read from it equals the replay (`--replay`), and `ketnap
 * projections rebuild` rebuilds it.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, ensureCliBuilt, SAMPLE_HISTORY } from '../internal/testing/cliBinary'

let dir: string
beforeAll(() => {
  ensureCliBuilt()
  dir = mkdtempSync(join(tmpdir(), 'ketnap-projections-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const ketnap = (args: ReadonlyArray<string>): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [CLI_BIN, '--store', `sqlite:${join(dir, 'k.db')}`, ...args], {
    cwd: dir,
    input: '',
    env: { ...process.env, KETNAP_STORE: '' },
    encoding: 'utf8',
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const ATTAINMENT = ['report', 'attainment', '--org', 'prov', '--period', '2021', '--as-of', '2023-12-31']

describe('ketnap projections', () => {
  it('keeps the read model caught up, rebuilds it, and reports from it as the replay does', () => {
    expect(ketnap(['import', SAMPLE_HISTORY]).status).toBe(0)
    // The import brought the read model to the head: reports read it (a read-only open never writes).
    const db = new Database(join(dir, 'k.db'), { readonly: true })
    const [checkpoint, head] = [
      db.prepare("SELECT position FROM checkpoints WHERE name = 'read-model/reports'").pluck().get(),
      db.prepare('SELECT max(position) FROM events').pluck().get(),
    ]
    db.close()
    expect(checkpoint).toBe(head)
    const asked = [
      [...ATTAINMENT, '--format', 'json'],
      [...ATTAINMENT, '--known-at', '2021-06-30T00:00:00+07:00', '--format', 'json'],
      [...ATTAINMENT, '--occupation', 'farmer', '--format', 'csv'],
    ]
    const fromTables = asked.map((args) => ketnap(args))
    for (const [i, args] of asked.entries()) {
      expect(fromTables[i]?.status).toBe(0)
      expect(ketnap([...args, '--replay']).stdout).toBe(fromTables[i]?.stdout)
    }
    const rebuilt = ketnap(['projections', 'rebuild'])
    expect(rebuilt.status).toBe(0)
    expect(rebuilt.stdout).toMatch(/^read models rebuilt: \d+ event\(s\)$/m)
    expect(ketnap(asked[0] ?? []).stdout).toBe(fromTables[0]?.stdout)
  })
})
