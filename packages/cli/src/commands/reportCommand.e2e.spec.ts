/**
 * `ketnap report` end to end on option values it must refuse with a clear message (exit 1): the
 * built binary, spawned in a temporary directory.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, ensureCliBuilt } from '../internal/testing/cliBinary'

const bin = CLI_BIN

let dir: string
beforeAll(() => {
  ensureCliBuilt()
  dir = mkdtempSync(join(tmpdir(), 'ketnap-report-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Runs the binary on a store of its own in the temporary directory. */
const ketnap = (args: ReadonlyArray<string>): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [bin, '--store', 'memory:', ...args], {
    cwd: dir,
    input: '',
    env: { ...process.env, KETNAP_STORE: '' },
    encoding: 'utf8',
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('ketnap report', () => {
  it.each([
    ['--as-of', '2021-02-30', /^--as-of: invalid value "2021-02-30": expected a calendar date YYYY-MM-DD/],
    ['--since', '2021-13-01', /^--since: invalid value "2021-13-01": expected a calendar date YYYY-MM-DD/],
    ['--known-at', 'nonsense', /^--known-at: invalid value "nonsense": expected an ISO 8601 instant/],
    [
      '--period',
      '2020-2019',
      /^--period: invalid value "2020-2019": expected YYYY, YYYY-YYYY or YYYY-MM-DD\/YYYY-MM-DD/,
    ],
  ])('refuses %s %s with exit 1, saying what the option takes', (option, value, message) => {
    // A period is given (it is required for attainment), except where the period itself is refused.
    const period = option === '--period' ? [] : ['--period', '2020']
    const r = ketnap(['report', 'attainment', '--org', 'prov', ...period, option, value])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })
})
