/**
 * `ketnap report` end to end on option values it must refuse with a clear message (exit 1): the
 * built binary, spawned in a temporary directory.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
    ['--occupation', 'poet', /^--occupation: invalid value "poet": expected one of student, /],
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

/** Two provinces, yb merged into lc on 2025-07-01 (its district moved under lc that day), a member in each. */
const MERGER = [
  [
    'OrganizationRegistered',
    { orgId: 'lc', name: 'Lào Cai', level: 'province', parentId: null, on: '2020-01-01' },
  ],
  [
    'OrganizationRegistered',
    { orgId: 'yb', name: 'Yên Bái', level: 'province', parentId: null, on: '2020-01-01' },
  ],
  [
    'OrganizationRegistered',
    { orgId: 'lc-d', name: 'Huyện A', level: 'district', parentId: 'lc', on: '2020-01-01' },
  ],
  [
    'OrganizationRegistered',
    { orgId: 'yb-d', name: 'Huyện B', level: 'district', parentId: 'yb', on: '2020-01-01' },
  ],
  [
    'OrganizationRegistered',
    { orgId: 'lc-c', name: 'Chi bộ A', level: 'cell', parentId: 'lc-d', on: '2020-01-01' },
  ],
  [
    'OrganizationRegistered',
    { orgId: 'yb-c', name: 'Chi bộ B', level: 'cell', parentId: 'yb-d', on: '2020-01-01' },
  ],
  [
    'ExistingMemberRegistered',
    { personId: 'm1', orgId: 'lc-c', status: 'official', admittedOn: '2010-01-01', on: '2020-02-01' },
  ],
  [
    'ExistingMemberRegistered',
    { personId: 'm2', orgId: 'yb-c', status: 'official', admittedOn: '2011-01-01', on: '2020-02-01' },
  ],
  ['OrganizationMoved', { orgId: 'yb-d', parentId: 'lc', on: '2025-07-01' }],
  ['OrganizationDissolved', { orgId: 'yb', on: '2025-07-01', mergedInto: 'lc' }],
] as const

describe('ketnap report --include-merged', () => {
  it('counts the organizations merged into ORG before the merger, from the read model and the replay alike', () => {
    const file = join(dir, 'merger.jsonl')
    writeFileSync(
      file,
      MERGER.map(([type, data], i) =>
        JSON.stringify({ type, data, recordedAt: `2025-07-02T00:00:${String(i).padStart(2, '0')}Z` }),
      ).join('\n') + '\n',
    )
    const store = ['--store', `sqlite:${join(dir, 'merger.db')}`]
    const run = (args: ReadonlyArray<string>) =>
      spawnSync(process.execPath, [bin, ...store, ...args], { cwd: dir, encoding: 'utf8' })
    expect(run(['import', file]).status).toBe(0)
    const roll = (...extra: string[]) => {
      const r = run(['report', 'roll', '--org', 'lc', '--as-of', '2025-06-30', '--format', 'json', ...extra])
      expect(r.status).toBe(0)
      return JSON.parse(r.stdout) as { members: number; merged?: unknown }
    }
    expect(roll()).toMatchObject({ members: 1 })
    expect(roll().merged).toBeUndefined()
    const merged = { members: 2, merged: [{ orgId: 'yb', orgName: 'Yên Bái', until: '2025-07-01' }] }
    expect(roll('--include-merged')).toMatchObject(merged)
    expect(roll('--include-merged', '--replay')).toMatchObject(merged)
    const text = run([
      'report',
      'roll',
      '--org',
      'lc',
      '--as-of',
      '2025-06-30',
      '--include-merged',
      '--lang',
      'en',
    ])
    expect(text.stdout).toContain('Including organizations merged into it: Yên Bái (yb) before 2025-07-01')
  })
})
