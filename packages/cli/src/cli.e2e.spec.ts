/**
 * The `ketnap` binary end to end: each command and each exit status of CLI.md, spawning the built
 * `dist/bin.js` in a temporary directory with a real SQLite file.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, SAMPLE_HISTORY, ensureCliBuilt, sampleHistoryLines } from './internal/testing/cliBinary'

const bin = CLI_BIN
const sample = SAMPLE_HISTORY
const sampleLines = sampleHistoryLines()

beforeAll(() => {
  ensureCliBuilt()
})

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ketnap-cli-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

interface Outcome {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

let counter = 0
/** A fresh store URL in the temporary directory. */
const freshStore = (): string => `sqlite:${join(dir, `store-${++counter}.db`)}`

/** Runs the binary. */
const ketnap = (
  args: ReadonlyArray<string>,
  options: { input?: string; env?: Record<string, string> } = {},
): Outcome => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    input: options.input ?? '',
    env: { ...process.env, KETNAP_STORE: '', ...options.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Writes a JSON Lines file in the temporary directory and returns its path. */
const file = (name: string, lines: ReadonlyArray<string>): string => {
  const path = join(dir, name)
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''))
  return path
}

/** The first lines of the sample: the province's organizations, units and villages. */
const geography = sampleLines.slice(0, 120)

const unknownOrgLine = JSON.stringify({
  type: 'UnitRegistered',
  data: { unitId: 'u-nowhere', name: 'Xã Không', kind: 'commune', orgId: 'no-such-org', on: '2018-01-01' },
  recordedAt: '2018-01-02T00:00:00Z',
})

const headOf = (out: string): string => {
  const m = /^head (\d+:[0-9a-f]*)$/m.exec(out)
  if (m?.[1] === undefined) throw new Error(`no head in ${out}`)
  return m[1]
}

describe('ketnap import', () => {
  it('imports the sample history (exit 0), and a second import of it appends nothing', () => {
    const store = freshStore()
    const first = ketnap(['--store', store, 'import', sample])
    expect(first.stderr).toBe('')
    expect(first.status).toBe(0)
    expect(first.stdout).toContain(`imported ${sampleLines.length} event(s)`)
    const exported = ketnap(['--store', store, 'export']).stdout

    const again = ketnap(['--store', store, 'import', sample])
    expect(again.status).toBe(0)
    expect(again.stdout).toContain('imported 0 event(s)')
    expect(ketnap(['--store', store, 'export']).stdout).toBe(exported)
  })

  it('refuses a file with one invalid line among valid ones, naming it, and leaves the store unchanged', () => {
    const store = freshStore()
    expect(ketnap(['--store', store, 'import', file('geo.jsonl', geography.slice(0, 60))]).status).toBe(0)
    const before = ketnap(['--store', store, 'export']).stdout

    const mixed = file('mixed.jsonl', [
      ...geography.slice(60, 70),
      unknownOrgLine,
      ...geography.slice(70, 80),
    ])
    const r = ketnap(['--store', store, 'import', mixed])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^line 11: [a-z0-9]+(-[a-z0-9]+)*: .*no-such-org/m)
    expect(r.stderr.match(/^line \d+:/gm)).toHaveLength(1)
    expect(ketnap(['--store', store, 'export']).stdout).toBe(before)
  })

  it('reports a malformed JSON line as invalid-json with its physical line number, blank lines counted', () => {
    const store = freshStore()
    const bad = file('bad.jsonl', [
      geography[0] ?? '',
      '',
      '{"type": "OrganizationRegistered", "data": {',
      geography[1] ?? '',
    ])
    const r = ketnap(['--store', store, 'import', bad])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^line 3: invalid-json: /m)
    expect(ketnap(['--store', store, 'export']).stdout).toBe('')
  })

  it('reports every invalid line, not only the first', () => {
    const store = freshStore()
    const r = ketnap([
      '--store',
      store,
      'import',
      file('two.jsonl', ['not json', ...geography.slice(0, 5), unknownOrgLine]),
    ])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^line 1: invalid-json: /m)
    expect(r.stderr).toMatch(/^line 7: [a-z-]+: /m)
  })

  it('refuses a line that is not UTF-8, an over-long line and an id conflict: exit 1, each line named, nothing written', () => {
    const store = freshStore()
    expect(ketnap(['--store', store, 'import', file('base.jsonl', geography.slice(0, 5))]).status).toBe(0)
    const head = headOf(ketnap(['--store', store, 'verify']).stdout)
    const stored = JSON.parse(geography[0] ?? '') as { data: { name: string } }
    const conflicting = JSON.stringify({ ...stored, data: { ...stored.data, name: 'Tỉnh Khác' } })
    const bad = join(dir, 'bad-bytes.jsonl')
    writeFileSync(
      bad,
      Buffer.concat([
        Buffer.from(`${geography[5]}\n`),
        Buffer.from('{"type":"VillageRegistered","data":{"name":"'),
        Buffer.from([0xff]),
        Buffer.from('"}}\n'),
        Buffer.from(`{"type":"X","data":"${'x'.repeat(2 * 1024 * 1024)}"}\n`),
        Buffer.from(`${conflicting}\n`),
        Buffer.from(`${geography[6]}\n`),
        Buffer.from(`${JSON.stringify({ type: 'X', data: 'y'.repeat(200) })}\n`),
      ]),
    )
    const r = ketnap(['--store', store, 'import', bad])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('line 2: invalid-utf8')
    expect(r.stderr).toContain('line 3: line-too-long')
    expect(r.stderr).toContain('line 4: id-conflict')
    expect(r.stdout).toBe('')
    expect(headOf(ketnap(['--store', store, 'verify']).stdout)).toBe(head)
    // A lower limit given on the command line.
    const limited = ketnap(['--store', store, 'import', '--max-line-bytes', '100', bad])
    expect(limited.stderr).toContain('line 6: line-too-long')
    for (const wrong of ['lots', '1e3', '0x10', ' 12']) {
      const r = ketnap(['--store', store, 'import', '--max-line-bytes', wrong, bad])
      expect(r.status).toBe(1)
      expect(r.stderr).toContain('--max-line-bytes takes a positive whole number of bytes')
    }
  })

  it('reads standard input for -', () => {
    const store = freshStore()
    const r = ketnap(['--store', store, 'import', '-'], { input: geography.slice(0, 10).join('\n') })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('imported 10 event(s)')
  })

  it('takes the store from KETNAP_STORE', () => {
    const store = freshStore()
    expect(
      ketnap(['import', file('env.jsonl', geography.slice(0, 3))], { env: { KETNAP_STORE: store } }).status,
    ).toBe(0)
    expect(existsSync(store.slice('sqlite:'.length))).toBe(true)
  })

  // Skipped only when the test command found no PostgreSQL server (KETNAP_SKIP_SUITES, with a line saying why).
  const noPostgres = (process.env['KETNAP_SKIP_SUITES'] ?? '').split(',').includes('postgres')
  it.skipIf(noPostgres)(
    'imports into and verifies a PostgreSQL store (the schema from ?schema=), and refuses to read a missing one',
    () => {
      const schema = `ketnap_cli_${process.pid}`
      const server = process.env['KETNAP_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test'
      const store = `${server}?schema=${schema}`
      // psql comes with the server the test runs against (this package has no types for pg).
      const drop = () => execFileSync('psql', [server, '-qc', `DROP SCHEMA IF EXISTS ${schema} CASCADE`])
      drop()
      try {
        const missing = ketnap(['--store', store, 'verify'])
        expect(missing.status).toBe(1)
        expect(missing.stderr).toContain('no ketnap store in this schema')
        const imported = ketnap(['--store', store, 'import', file('pg.jsonl', geography.slice(0, 5))])
        expect(imported.stderr).toBe('')
        expect(imported.stdout).toContain('imported 5 event(s)')
        // Opening the store loads node-postgres without Node's fetch (undici), which its probe for a
        // Cloudflare Worker would load on Node 20, and leaves no `navigator` of its own behind.
        const probe = join(dir, 'probe.cjs')
        const seen = join(dir, 'probe.json')
        writeFileSync(
          probe,
          `const before = typeof globalThis.navigator
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify({
  before, after: typeof globalThis.navigator,
  fetch: process.moduleLoadList.some((m) => m.includes('undici')),
})))
`,
        )
        const verified = ketnap(['--store', store, 'verify'], { env: { NODE_OPTIONS: `--require ${probe}` } })
        expect(verified.status).toBe(0)
        expect(verified.stdout).toMatch(/head 5:/)
        const { before, after, fetch } = JSON.parse(readFileSync(seen, 'utf8')) as Record<string, unknown>
        expect({ after, fetch }).toEqual({ after: before, fetch: false })
      } finally {
        drop()
      }
    },
  )

  it('accepts memory: as a store', () => {
    const r = ketnap(['--store', 'memory:', 'import', file('mem.jsonl', geography.slice(0, 3))])
    expect(r.status).toBe(0)
  })
})

describe('ketnap export', () => {
  it('export → import into an empty store → export gives the same bytes', () => {
    const a = freshStore()
    expect(ketnap(['--store', a, 'import', sample]).status).toBe(0)
    const first = ketnap(['--store', a, 'export', '--out', 'first.jsonl'])
    expect(first.status).toBe(0)
    const b = freshStore()
    expect(ketnap(['--store', b, 'import', join(dir, 'first.jsonl')]).status).toBe(0)
    const second = ketnap(['--store', b, 'export'])
    expect(second.status).toBe(0)
    expect(second.stdout).toBe(readFileSync(join(dir, 'first.jsonl'), 'utf8'))
    const firstLine = JSON.parse(second.stdout.split('\n')[0] ?? '') as object
    expect(Object.keys(firstLine)).toEqual([
      'position',
      'stream',
      'version',
      'id',
      'type',
      'schemaVersion',
      'data',
      'recordedAt',
      'actor',
      'prevHash',
      'hash',
    ])
  })

  it('--out: a refused export leaves the file there as it was; a finished one writes it (through a symlink, to a device); - is standard output', () => {
    const a = freshStore()
    expect(ketnap(['--store', a, 'import', file('out-g.jsonl', geography.slice(0, 5))]).status).toBe(0)
    const kept = join(dir, 'kept.jsonl')
    writeFileSync(kept, 'an earlier export\n')
    // A bound actor's export of the whole log is refused.
    const refused = ketnap(['--store', a, '--actor', 'd0', 'export', '--out', kept])
    expect(refused.status).toBe(1)
    expect(readFileSync(kept, 'utf8')).toBe('an earlier export\n')
    expect(ketnap(['--store', a, 'export', '--out', kept]).status).toBe(0)
    // Written through a symlink and to a device, as a shell's redirection would.
    const link = join(dir, 'kept-link.jsonl')
    symlinkSync(kept, link)
    expect(ketnap(['--store', a, 'export', '--out', link]).status).toBe(0)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(ketnap(['--store', a, 'export', '--out', '/dev/null']).status).toBe(0)
    const whole = ketnap(['--store', a, 'export', '--out', '-'])
    expect(whole.status).toBe(0)
    expect(readFileSync(kept, 'utf8')).toBe(whole.stdout)
    expect(whole.stdout.split('\n').length).toBe(6)
  })

  it('refuses to restore an altered export (envelope-mismatch)', () => {
    const a = freshStore()
    expect(ketnap(['--store', a, 'import', file('g.jsonl', geography.slice(0, 5))]).status).toBe(0)
    const lines = ketnap(['--store', a, 'export']).stdout.trim().split('\n')
    const altered = lines.map((l, i) => (i === 2 ? l.replace(/"version":1/, '"version":2') : l))
    const r = ketnap(['--store', freshStore(), 'import', file('altered.jsonl', altered)])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^line 3: envelope-mismatch: /m)
  })
})

describe('ketnap verify', () => {
  it('prints the head of an intact log (exit 0), and exit 3 naming the first position a raw UPDATE touched', () => {
    const store = freshStore()
    expect(ketnap(['--store', store, 'import', sample]).status).toBe(0)
    const ok = ketnap(['--store', store, 'verify'])
    expect(ok.status).toBe(0)
    expect(headOf(ok.stdout)).toMatch(new RegExp(`^${sampleLines.length}:[0-9a-f]{64}$`))

    const db = new Database(store.slice('sqlite:'.length))
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      JSON.stringify({
        orgId: 'd0',
        name: 'Huyện khác',
        level: 'district',
        parentId: 'prov',
        on: '2018-01-01',
      }),
      2,
    )
    db.close()
    const broken = ketnap(['--store', store, 'verify'])
    expect(broken.status).toBe(3)
    expect(broken.stdout).toMatch(/broken at position 2\b/)
  })

  it('--head: a kept head still extended by the log passes; a rewritten one fails (exit 3)', () => {
    const store = freshStore()
    expect(ketnap(['--store', store, 'import', file('h1.jsonl', geography.slice(0, 50))]).status).toBe(0)
    const kept = headOf(ketnap(['--store', store, 'verify']).stdout)
    expect(ketnap(['--store', store, 'import', file('h2.jsonl', geography.slice(50, 100))]).status).toBe(0)

    const extended = ketnap(['--store', store, 'verify', '--head', kept])
    expect(extended.status).toBe(0)
    expect(headOf(extended.stdout)).toMatch(/^100:/)

    const forged = `50:${'0'.repeat(64)}`
    const mismatch = ketnap(['--store', store, 'verify', '--head', forged])
    expect(mismatch.status).toBe(3)
    expect(mismatch.stdout).toMatch(/broken at position 50\b/)
    expect(mismatch.stdout).toContain('no longer in the log')

    const beyond = ketnap(['--store', store, 'verify', '--head', `500:${'a'.repeat(64)}`])
    expect(beyond.status).toBe(3)
  })

  it('rejects a malformed --head (exit 1)', () => {
    const store = freshStore()
    expect(ketnap(['--store', store, 'import', file('h3.jsonl', geography.slice(0, 2))]).status).toBe(0)
    const r = ketnap(['--store', store, 'verify', '--head', 'twelve'])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('--head')
  })
})

describe('ketnap report and history', () => {
  let store: string
  beforeAll(() => {
    store = freshStore()
    expect(ketnap(['--store', store, 'import', sample]).status).toBe(0)
  })

  it('prints a report as JSON with the fields of CLI.md', () => {
    const r = ketnap([
      '--store',
      store,
      'report',
      'roll',
      '--org',
      'prov',
      '--as-of',
      '2020-12-31',
      '--format',
      'json',
    ])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const roll = JSON.parse(r.stdout) as Record<string, unknown>
    expect(roll).toMatchObject({ orgId: 'prov', asOf: '2020-12-31' })
    for (const field of [
      'members',
      'official',
      'probationary',
      'female',
      'ethnicMinority',
      'under30',
      'byOccupation',
    ]) {
      expect(roll).toHaveProperty(field)
    }
  })

  it('prints attainment as text in Vietnamese and English', () => {
    const vi = ketnap([
      '--store',
      store,
      'report',
      'attainment',
      '--org',
      'prov',
      '--period',
      '2020',
      '--as-of',
      '2020-12-31',
    ])
    expect(vi.status).toBe(0)
    expect(vi.stdout.length).toBeGreaterThan(0)
    const en = ketnap([
      '--store',
      store,
      'report',
      'attainment',
      '--org',
      'prov',
      '--period',
      '2020',
      '--as-of',
      '2020-12-31',
      '--lang',
      'en',
    ])
    expect(en.status).toBe(0)
    expect(en.stdout).not.toBe(vi.stdout)
  })

  it('writes CSV and XLSX to --out', () => {
    const csv = ketnap([
      '--store',
      store,
      'report',
      'coverage',
      '--org',
      'prov',
      '--as-of',
      '2020-12-31',
      '--format',
      'csv',
      '--out',
      'c.csv',
    ])
    expect(csv.status).toBe(0)
    expect(readFileSync(join(dir, 'c.csv'), 'utf8').length).toBeGreaterThan(0)
    const xlsx = ketnap([
      '--store',
      store,
      'report',
      'coverage',
      '--org',
      'prov',
      '--as-of',
      '2020-12-31',
      '--format',
      'xlsx',
      '--out',
      'c.xlsx',
    ])
    expect(xlsx.status).toBe(0)
    expect(readFileSync(join(dir, 'c.xlsx')).subarray(0, 2).toString('latin1')).toBe('PK')
  })

  it('exit 1 with a clear message for an unknown org, a bad period, a bad date', () => {
    const org = ketnap(['--store', store, 'report', 'roll', '--org', 'no-such-org', '--as-of', '2020-12-31'])
    expect(org.status).toBe(1)
    expect(org.stderr).toContain('no-such-org')
    const period = ketnap(['--store', store, 'report', 'attainment', '--org', 'prov', '--period', '2020-13'])
    expect(period.status).toBe(1)
    expect(period.stderr).toContain('--period')
    const date = ketnap(['--store', store, 'report', 'roll', '--org', 'prov', '--as-of', '2021-02-30'])
    expect(date.status).toBe(1)
    expect(date.stderr).toContain('--as-of')
  })

  it('exit 2 for a missing required option (--org, and --period where the report needs one)', () => {
    const org = ketnap(['--store', store, 'report', 'roll', '--as-of', '2020-12-31'])
    expect(org.status).toBe(2)
    expect(org.stderr).toContain('--org')
    for (const name of ['attainment', 'funnel', 'training']) {
      const period = ketnap(['--store', store, 'report', name, '--org', 'prov'])
      expect(period.status).toBe(2)
      expect(period.stderr).toContain(`the ${name} report needs --period`)
    }
    expect(ketnap(['--store', store, 'report', 'roll', '--org', 'prov', '--bogus']).status).toBe(2)
    expect(ketnap(['--store', store, 'import']).status).toBe(2)
  })

  it('history: every event of one person with both dates and the actor; exit 1 for an unknown person', () => {
    const r = ketnap(['--store', store, 'history', 'm1'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('ExistingMemberRegistered')
    expect(r.stdout).toContain('2018-01-01')
    expect(r.stdout).toContain('2018-01-02T00:00:00.000Z')
    const json = ketnap(['--store', store, 'history', 'm1', '--format', 'json'])
    const first = JSON.parse(json.stdout.split('\n')[0] ?? '') as { stream: string }
    expect(first.stream).toBe('person-m1')

    const unknown = ketnap(['--store', store, 'history', 'nobody'])
    expect(unknown.status).toBe(1)
    expect(unknown.stderr).toContain('unknown-person')
  })
})

describe('ketnap projections status', () => {
  it("says each read model's version and checkpoint against the head, reading only", () => {
    const store = freshStore()
    const file = join(dir, 'status-geography.jsonl')
    writeFileSync(file, `${geography.join('\n')}\n`)
    expect(ketnap(['--store', store, 'import', file]).status).toBe(0)
    const path = store.slice('sqlite:'.length)
    const before = readFileSync(path)
    const r = ketnap(['--store', store, 'projections', 'status'])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^head: position 120\nreports: version \d+, at position 120: caught up\n$/)
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(ketnap(['--store', 'memory:', 'projections', 'status']).stdout).toContain('keeps no read models')
  })
})

describe('a failed import leaves no new store behind', () => {
  it('a missing input file: exit 1, no store file created', () => {
    const path = join(dir, 'never-missing.db')
    const r = ketnap(['--store', `sqlite:${path}`, 'import', join(dir, 'no-such-file.jsonl')])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('cannot read')
    expect(readdirSync(dir).filter((f) => f.startsWith('never-missing'))).toEqual([])
  })

  it('every line invalid: exit 1, no store file (nor its -wal or -shm) created', () => {
    const path = join(dir, 'never-invalid.db')
    const r = ketnap(['--store', `sqlite:${path}`, 'import', file('all-bad.jsonl', [unknownOrgLine, '{'])])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('nothing imported')
    expect(readdirSync(dir).filter((f) => f.startsWith('never-invalid'))).toEqual([])
  })

  it('an existing store is kept, unchanged, when an import into it fails', () => {
    const store = freshStore()
    expect(ketnap(['--store', store, 'import', file('kept.jsonl', geography.slice(0, 5))]).status).toBe(0)
    const before = readFileSync(store.slice('sqlite:'.length))
    expect(ketnap(['--store', store, 'import', file('kept-bad.jsonl', [unknownOrgLine])]).status).toBe(1)
    expect(existsSync(store.slice('sqlite:'.length))).toBe(true)
    expect(ketnap(['--store', store, 'verify']).stdout).toMatch(/head 5:/)
    expect(readFileSync(store.slice('sqlite:'.length)).length).toBe(before.length)
  })
})

describe('ketnap usage', () => {
  it('exit 2 for an unknown command, and a missing store file is not created by a read', () => {
    expect(ketnap(['frobnicate']).status).toBe(2)
    const r = ketnap(['--store', `sqlite:${join(dir, 'absent.db')}`, 'export'])
    expect(r.status).toBe(1)
    expect(existsSync(join(dir, 'absent.db'))).toBe(false)
  })
})

describe('a store URL with a password', () => {
  it.each([
    ['a mistyped scheme', 'postgre://user:secret@127.0.0.1/db', 'unknown store URL (it starts "postgre:")'],
    ['a mistyped URL', 'postgres:user:secret@127.0.0.1/db', 'unknown store URL (it starts "postgres:")'],
    ['a password with a quote', 'postgre://user:se"cret@127.0.0.1/db', 'unknown store URL'],
    ['a password with a space', 'postgre://user:se cret@127.0.0.1/db', 'unknown store URL'],
    ['an unreachable server', 'postgres://user:secret@127.0.0.1:1/db', 'postgres://user:***@127.0.0.1:1/db'],
    ['an invalid port', 'postgres://user:secret@127.0.0.1:99999/db', 'opening the store failed'],
    ['one slash', 'postgres:/user:secret@127.0.0.1/db', 'unknown store URL (it starts "postgres:")'],
    ['no colon', 'postgres//user:secret@127.0.0.1/db', 'unknown store URL (it starts "postgres")'],
    ['three slashes', 'postgres:///user:secret@127.0.0.1:5432/db', 'user:***@127.0.0.1:5432/db'],
    ['a SQLite path', 'sqlite://user:secret@db/x.db', 'user:***@db/x.db'],
  ])('%s: exit 1, the store named, the password never printed', (_, url, named) => {
    for (const r of [
      ketnap(['--store', url, 'verify']),
      ketnap(['verify'], { env: { KETNAP_STORE: url } }),
    ]) {
      expect(r.status).toBe(1)
      expect(r.stderr).toContain(named)
      expect(r.stderr + r.stdout).not.toMatch(/se.?cret/)
    }
  })
})

describe('ketnap demo', () => {
  it('loads the seed scenarios into a fresh store and prints their reports in Vietnamese (exit 0)', () => {
    const r = ketnap(['demo'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Điện Biên')
    expect(r.stdout).toContain('1.873')
    expect(r.stdout).toContain('93,65 %')
  })
})
