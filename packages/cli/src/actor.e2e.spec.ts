/**
 * `ketnap --actor ORG` end to end: the built binary on a real SQLite file holding the contract's sample
 * history. A bound run records and reads its organization's subtree only; a refused import writes
 * nothing, byte for byte, and names every refused line with `forbidden`.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, ensureCliBuilt, SAMPLE_HISTORY } from './internal/testing/cliBinary'

let dir: string
let store: string

/** Runs the binary on the test's store. */
const ketnap = (args: ReadonlyArray<string>): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [CLI_BIN, '--quiet', '--store', `sqlite:${store}`, ...args], {
    cwd: dir,
    input: '',
    env: { ...process.env, KETNAP_STORE: '' },
    encoding: 'utf8',
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The SHA-256 of the store's files (the database, and its WAL when there is one). */
const fingerprint = (): string => {
  const hash = createHash('sha256')
  for (const suffix of ['', '-wal']) {
    const path = `${store}${suffix}`
    hash.update(suffix)
    if (existsSync(path)) hash.update(readFileSync(path))
  }
  return hash.digest('hex')
}

/** Writes JSON Lines to a file in the test's directory. */
const file = (name: string, lines: ReadonlyArray<unknown>): string => {
  const path = join(dir, name)
  writeFileSync(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''))
  return path
}

const village = (villageId: string, unitId: string): unknown => ({
  type: 'VillageRegistered',
  data: { villageId, name: `Thôn ${villageId}`, unitId, on: '2024-01-02' },
})

beforeAll(() => {
  ensureCliBuilt()
  dir = mkdtempSync(join(tmpdir(), 'ketnap-actor-'))
  store = join(dir, 'store.db')
  const imported = ketnap(['import', SAMPLE_HISTORY])
  if (imported.status !== 0) throw new Error(imported.stderr)
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('ketnap --actor ORG', () => {
  it('refuses an import with one line outside the subtree: exit 1, the line named forbidden, nothing written', () => {
    const before = fingerprint()
    const path = file('one-foreign.jsonl', [
      village('d0-xa0-new1', 'd0-xa0'),
      village('d1-xa0-new1', 'd1-xa0'),
      village('d0-xa1-new1', 'd0-xa1'),
    ])
    const r = ketnap(['--actor', 'd0', 'import', path])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(
      /^line 2: forbidden: d0 \(acting for d0\) may not record VillageRegistered: .*d1-xa0/m,
    )
    expect(r.stderr).not.toMatch(/^line [13]:/m)
    expect(r.stderr).toMatch(/^nothing imported: 1 invalid line\(s\)$/m)
    expect(fingerprint()).toBe(before)
  })

  it('refuses a line stating another actor than the bound one, with --actor after the command', () => {
    const before = fingerprint()
    const path = file('other-actor.jsonl', [{ ...(village('d0-xa0-new2', 'd0-xa0') as object), actor: 'd1' }])
    const r = ketnap(['import', path, '--actor', 'd0'])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^line 1: forbidden: .*"d1".*"d0"/m)
    expect(fingerprint()).toBe(before)
  })

  it("imports the subtree's lines, recorded under the bound actor", () => {
    const path = file('own.jsonl', [village('d0-xa0-new3', 'd0-xa0'), village('d0-xa1-new3', 'd0-xa1')])
    const r = ketnap(['--actor', 'd0', 'import', path])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const exported = ketnap(['export']).stdout.trim().split('\n').slice(-2)
    expect(exported.map((l) => (JSON.parse(l) as { actor: unknown }).actor)).toEqual(['d0', 'd0'])
  })

  it('reads reports of its subtree only, on the report date', () => {
    const own = ketnap(['--actor', 'd0', 'report', 'coverage', '--org', 'd0-du0', '--as-of', '2023-12-31'])
    expect(own.status).toBe(0)
    const sibling = ketnap(['report', 'coverage', '--org', 'd1', '--as-of', '2023-12-31', '--actor', 'd0'])
    expect(sibling.status).toBe(1)
    expect(sibling.stderr).toMatch(/^forbidden: d0 \(acting for d0\) may not read the coverage report: .*d1/m)
    // d2-du0 moved from d2 to d1 on 2021-06-01: d1 reads it from that day on, d2 up to the day before.
    expect(
      ketnap(['--actor', 'd1', 'report', 'roll', '--org', 'd2-du0', '--as-of', '2021-06-01']).status,
    ).toBe(0)
    expect(
      ketnap(['--actor', 'd1', 'report', 'roll', '--org', 'd2-du0', '--as-of', '2021-05-31']).status,
    ).toBe(1)
    expect(
      ketnap(['--actor', 'd2', 'report', 'roll', '--org', 'd2-du0', '--as-of', '2021-05-31']).status,
    ).toBe(0)
  })

  it('reads the histories of persons who were in the subtree at some time', () => {
    // c101 was admitted in 2019 in a cell of d2-du0, which moved from d2 to d1 on 2021-06-01.
    expect(ketnap(['--actor', 'd2', 'history', 'c101']).status).toBe(0)
    expect(ketnap(['--actor', 'd1', 'history', 'c101']).status).toBe(0)
    const foreign = ketnap(['--actor', 'd0', 'history', 'c101'])
    expect(foreign.status).toBe(1)
    expect(foreign.stderr).toMatch(
      /^forbidden: d0 \(acting for d0\) may not read a history: person c101 was never/m,
    )
    expect(foreign.stdout).toBe('')
  })

  it('leaves the export, and proofs of events, to the owner', () => {
    const exported = ketnap(['--actor', 'prov', 'export'])
    expect(exported.status).toBe(1)
    expect(exported.stderr).toMatch(/forbidden: /)
    expect(exported.stdout).toBe('')
    const proof = ketnap(['--actor', 'prov', 'prove', '--position', '1'])
    expect(proof.status).toBe(1)
    expect(proof.stderr).toMatch(/^forbidden: /m)
    expect(ketnap(['--actor', 'd0', 'verify']).status).toBe(0)
  })

  it('refuses an empty --actor as an invalid value (exit 1)', () => {
    const r = ketnap(['--actor', '', 'verify'])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/--actor takes an organization id/)
  })
})
