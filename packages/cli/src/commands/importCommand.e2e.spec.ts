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
const ketnap = (
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv = {},
  store = 'store.db',
): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [bin, '--store', `sqlite:${join(dir, store)}`, ...args], {
    cwd: dir,
    input: '',
    env: { ...process.env, KETNAP_STORE: '', KETNAP_WRITE_CACHE_ENTRIES: '', ...env },
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

  it('says with --timings how long each phase took: the write, then the read models', () => {
    const path = join(dir, 'timed.jsonl')
    writeFileSync(path, sampleLines.map((l) => `${l}\n`).join(''))
    // A cache of a few entries: the keyed state is written and read back, with the same outcome.
    const r = ketnap(['import', '--timings', path], { KETNAP_WRITE_CACHE_ENTRIES: '7' }, 'timed.db')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^imported ${sampleLines.length} event\\(s\\); head `))
    const lines = r.stderr.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(
      new RegExp(
        `^phase write: ${sampleLines.length} event\\(s\\) written in [0-9.]+ s, peak RSS [0-9]+ MiB$`,
      ),
    )
    expect(lines[1]).toMatch(
      new RegExp(`^phase read-models: at position ${sampleLines.length} in [0-9.]+ s, peak RSS [0-9]+ MiB$`),
    )
  })

  it('refuses a KETNAP_WRITE_CACHE_ENTRIES that is not a positive whole number', () => {
    const r = ketnap(['import', '-'], { KETNAP_WRITE_CACHE_ENTRIES: 'lots' }, 'refused.db')
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(
      /^KETNAP_WRITE_CACHE_ENTRIES takes a positive whole number of entries, got lots$/m,
    )
  })
})
