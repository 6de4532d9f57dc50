/**
 * `ketnap import` end to end on input that is not a JSON Lines file, and its summary: the built
 * binary, spawned in a temporary directory.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, ensureCliBuilt, sampleHistoryLines } from '../internal/testing/cliBinary'

const bin = CLI_BIN
const sampleLines = sampleHistoryLines()

let dir: string
beforeAll(() => {
  ensureCliBuilt()
  dir = mkdtempSync(join(tmpdir(), 'ketnap-import-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Runs the binary on a store of its own in the temporary directory. */
const ketnap = (args: ReadonlyArray<string>): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [bin, '--store', `sqlite:${join(dir, 'store.db')}`, ...args], {
    cwd: dir,
    input: '',
    env: { ...process.env, KETNAP_STORE: '' },
    encoding: 'utf8',
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('ketnap import', () => {
  it('refuses a directory with exit 1 and a message, not a crash', () => {
    const folder = join(dir, 'a-folder')
    mkdirSync(folder)
    const r = ketnap(['import', folder])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/unreadable-input/)
    expect(r.stderr).not.toMatch(/unexpected failure|\n\s+at /)
  })

  it('counts invalid lines, not errors, when one line breaks two rules', () => {
    const path = join(dir, 'one-bad-line.jsonl')
    const twice = JSON.stringify({
      type: 'MemberAdmitted',
      data: { personId: 'nobody', orgId: 'no-such-org', on: '2019-01-01' },
      recordedAt: '2019-01-02T00:00:00Z',
    })
    writeFileSync(path, [...sampleLines.slice(0, 20), twice].map((l) => `${l}\n`).join(''))
    const r = ketnap(['import', path])
    expect(r.status).toBe(1)
    const reported = r.stderr.split('\n').filter((l) => l.startsWith('line 21: '))
    expect(reported.length).toBeGreaterThan(1)
    expect(r.stderr).toMatch(/^nothing imported: 1 invalid line\(s\)$/m)
  })
})
