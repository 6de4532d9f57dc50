/**
 * `ketnap --master-key FILE` end to end on a real SQLite file: a store first written with a key is
 * encrypted (no personal value of the sample history in its log), and stays so (an import
 * without the key is `no-master-key`, with another `wrong-master-key`); a bad key file is
 * `invalid-master-key` naming the file; `KETNAP_MASTER_KEY_FILE` works as the option does.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, ensureCliBuilt, SAMPLE_HISTORY } from './internal/testing/cliBinary'

let dir: string

/** Runs the binary on a store of the test's directory. */
const ketnap = (
  store: string,
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [CLI_BIN, '--quiet', '--store', `sqlite:${store}`, ...args], {
    cwd: dir,
    input: '',
    env: { ...process.env, KETNAP_STORE: '', KETNAP_MASTER_KEY_FILE: '', ...env },
    encoding: 'utf8',
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The personal values of the sample history. */
const personalValues = (): string[] => {
  const values = new Set<string>()
  for (const line of readFileSync(SAMPLE_HISTORY, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    const { type, data } = JSON.parse(line) as {
      type: string
      data: { profile?: Record<string, unknown>; reason?: unknown }
    }
    for (const v of [data.profile?.['birthDate'], data.profile?.['ethnicity'], data.profile?.['religion']])
      if (typeof v === 'string') values.add(v)
    if (type === 'AdmissionAnnulled' && typeof data.reason === 'string') values.add(data.reason)
  }
  return [...values]
}

beforeAll(() => {
  ensureCliBuilt()
  dir = mkdtempSync(join(tmpdir(), 'ketnap-master-key-'))
  writeFileSync(join(dir, 'master.key'), Buffer.alloc(32, 7))
  writeFileSync(join(dir, 'other.key'), Buffer.alloc(32, 8))
  writeFileSync(join(dir, 'short.key'), Buffer.alloc(31, 7))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('ketnap --master-key', () => {
  it('refuses a key file of the wrong size, or one that cannot be read, naming it', () => {
    const short = ketnap('a.db', ['--master-key', 'short.key', 'import', SAMPLE_HISTORY])
    expect(short.status).toBe(1)
    expect(short.stderr).toContain('invalid-master-key')
    expect(short.stderr).toContain('short.key holds 31 bytes, not 32')
    const missing = ketnap('a.db', ['import', SAMPLE_HISTORY], { KETNAP_MASTER_KEY_FILE: 'nowhere.key' })
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('invalid-master-key: the master key file nowhere.key cannot be read')
    expect(existsSync(join(dir, 'a.db'))).toBe(false)
  })

  it('encrypts a store first written with a key, and keeps it encrypted', () => {
    const imported = ketnap('enc.db', ['import', SAMPLE_HISTORY, '--master-key', 'master.key'])
    expect(imported.stderr).toBe('')
    expect(imported.status).toBe(0)
    // The log holds every personal field sealed (the derived tables are docs/security.md's business).
    const exported = ketnap('enc.db', ['export'])
    expect(exported.status).toBe(0)
    expect(exported.stdout).toContain('"sealed":')
    for (const value of personalValues()) expect(exported.stdout).not.toContain(JSON.stringify(value))

    const without = ketnap('enc.db', ['import', SAMPLE_HISTORY])
    expect(without.status).toBe(1)
    expect(without.stderr).toContain('no-master-key')
    const other = ketnap('enc.db', ['import', SAMPLE_HISTORY], { KETNAP_MASTER_KEY_FILE: 'other.key' })
    expect(other.status).toBe(1)
    expect(other.stderr).toContain('wrong-master-key')
    const again = ketnap('enc.db', ['import', SAMPLE_HISTORY], { KETNAP_MASTER_KEY_FILE: 'master.key' })
    expect(again.status).toBe(0)
    expect(ketnap('enc.db', ['verify']).status).toBe(0)

    const clear = ketnap('clear.db', ['import', SAMPLE_HISTORY])
    expect(clear.status).toBe(0)
    const keyed = ketnap('clear.db', ['--master-key', 'master.key', 'import', SAMPLE_HISTORY])
    expect(keyed.status).toBe(1)
    expect(keyed.stderr).toContain('clear-store')
  })

  it('forgets a person: recorded, erased in history and the roll, in neither the file nor its WAL', () => {
    const values = ['2001-07-07', 'Mường Bi', 'Phật giáo Hòa Hảo']
    const registered = {
      type: 'ExistingMemberRegistered',
      data: {
        personId: 'm-gone',
        orgId: 'd1-du0-cb1',
        status: 'official',
        admittedOn: '2019-01-10',
        on: '2019-02-01',
        profile: {
          birthDate: values[0],
          sex: 'male',
          ethnicMinority: true,
          ethnicity: values[1],
          religion: values[2],
          occupation: 'farmer',
        },
      },
      recordedAt: '2023-09-01T00:00:00Z',
    }
    writeFileSync(join(dir, 'extra.jsonl'), `${JSON.stringify(registered)}\n`)
    const env = { KETNAP_MASTER_KEY_FILE: 'master.key' }
    expect(ketnap('gone.db', ['import', SAMPLE_HISTORY], env).status).toBe(0)
    expect(ketnap('gone.db', ['import', 'extra.jsonl'], env).status).toBe(0)
    const roll = (): Record<string, number> =>
      (
        JSON.parse(
          ketnap(
            'gone.db',
            ['report', 'roll', '--org', 'd1', '--as-of', '2023-12-31', '--format', 'json'],
            env,
          ).stdout,
        ) as { byReligion: Record<string, number> }
      ).byReligion
    expect(roll()[values[2] as string]).toBe(1)

    const refused = ketnap('gone.db', ['--actor', 'd0', 'forget', 'm-gone'], env)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain('forbidden')
    const forgotten = ketnap('gone.db', ['forget', 'm-gone', '--reason', 'request 9'], env)
    expect(forgotten.stderr).toBe('')
    expect(forgotten.status).toBe(0)
    expect(forgotten.stdout).toContain('forgot m-gone')

    const raw = Buffer.concat(
      ['', '-wal'].map((s) =>
        existsSync(join(dir, `gone.db${s}`)) ? readFileSync(join(dir, `gone.db${s}`)) : Buffer.alloc(0),
      ),
    )
    for (const v of values)
      for (const encoding of ['utf8', 'utf16le', 'latin1'] as const)
        expect([v, encoding, raw.includes(Buffer.from(v, encoding))]).toEqual([v, encoding, false])

    expect(ketnap('gone.db', ['verify']).status).toBe(0)
    const history = ketnap('gone.db', ['history', 'm-gone', '--format', 'json'], env)
    expect(history.status).toBe(0)
    const events = history.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; actor: string | null; data: Record<string, unknown> })
    expect(events.map((e) => e.type)).toEqual(['ExistingMemberRegistered', 'PersonForgotten'])
    expect(events[0]?.data['profile']).toEqual({ erased: true, sex: 'male', occupation: 'farmer' })
    expect(events[1]?.data).toMatchObject({ personId: 'm-gone', reason: 'request 9' })
    const after = roll()
    expect(after[values[2] as string]).toBeUndefined()
    expect(after['erased']).toBe(1)

    // The export restores the store, the forgotten person included, into a new file: the same bytes.
    const exported = ketnap('gone.db', ['export', '--out', 'gone.jsonl'])
    expect(exported.status).toBe(0)
    expect(readFileSync(join(dir, 'gone.jsonl'), 'utf8')).toContain('{"subjectKey":"m-gone","wrapped":null}')
    expect(ketnap('restored.db', ['import', 'gone.jsonl'], env).status).toBe(0)
    expect(ketnap('restored.db', ['export', '--out', 'restored.jsonl']).status).toBe(0)
    expect(readFileSync(join(dir, 'restored.jsonl'), 'utf8')).toBe(
      readFileSync(join(dir, 'gone.jsonl'), 'utf8'),
    )
    const inClear = ketnap('gone.db', ['export', '--clear'], env)
    expect(inClear.status).toBe(0)
    expect(inClear.stderr).toContain('cannot restore the store')
    expect(inClear.stdout).toContain('"erased":true')

    const clear = ketnap('clear.db', ['forget', 'c83'])
    expect(clear.status).toBe(1)
    expect(clear.stderr).toContain('no-master-key')
  })

  it('keys rotate: re-wraps every key with the new master key; a wrong current key changes nothing', () => {
    writeFileSync(join(dir, 'new.key'), Buffer.alloc(32, 9))
    expect(ketnap('rot.db', ['import', SAMPLE_HISTORY, '--master-key', 'master.key']).status).toBe(0)
    const before = ketnap('rot.db', ['export']).stdout
    const file = (): Buffer => readFileSync(join(dir, 'rot.db'))
    const untouched = file()

    const wrong = ketnap('rot.db', ['keys', 'rotate', '--new-master-key', 'new.key'], {
      KETNAP_MASTER_KEY_FILE: 'other.key',
    })
    expect(wrong.status).toBe(1)
    expect(wrong.stderr).toContain('nothing rotated: wrong-master-key')
    const noKey = ketnap('rot.db', ['keys', 'rotate', '--new-master-key', 'new.key'])
    expect(noKey.status).toBe(1)
    expect(noKey.stderr).toContain('no-master-key')
    const badNew = ketnap('rot.db', [
      '--master-key',
      'master.key',
      'keys',
      'rotate',
      '--new-master-key',
      'short.key',
    ])
    expect(badNew.status).toBe(1)
    expect(badNew.stderr).toContain('invalid-master-key')
    const bound = ketnap('rot.db', [
      '--actor',
      'd1',
      '--master-key',
      'master.key',
      'keys',
      'rotate',
      '--new-master-key',
      'new.key',
    ])
    expect(bound.status).toBe(1)
    expect(bound.stderr).toContain('forbidden')
    expect(file().equals(untouched)).toBe(true)

    const rotated = ketnap('rot.db', [
      '--master-key',
      'master.key',
      'keys',
      'rotate',
      '--new-master-key',
      'new.key',
    ])
    expect(rotated.stderr).toBe('')
    expect(rotated.status).toBe(0)
    expect(rotated.stdout).toMatch(/rotated the master key: [1-9][0-9]* persons' keys re-wrapped/)

    // The events and the chain as they were; only the wrapped keys changed.
    const after = ketnap('rot.db', ['export']).stdout
    const events = (text: string): string[] => text.split('\n').filter((l) => !l.startsWith('{"subjectKey":'))
    expect(events(after)).toEqual(events(before))
    expect(after).not.toBe(before)
    expect(ketnap('rot.db', ['verify']).status).toBe(0)
    const old = ketnap('rot.db', ['import', SAMPLE_HISTORY], { KETNAP_MASTER_KEY_FILE: 'master.key' })
    expect(old.status).toBe(1)
    expect(old.stderr).toContain('wrong-master-key')
    const next = ketnap('rot.db', ['import', SAMPLE_HISTORY], { KETNAP_MASTER_KEY_FILE: 'new.key' })
    expect(next.status).toBe(0)
    const clearExport = ketnap('rot.db', ['export', '--clear'], { KETNAP_MASTER_KEY_FILE: 'new.key' })
    expect(clearExport.status).toBe(0)
    expect(clearExport.stdout).toContain('"birthDate":')
  })
})
