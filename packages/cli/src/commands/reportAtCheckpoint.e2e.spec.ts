/**
 * `ketnap report --at-checkpoint FILE [--public-key KEY]`: a figure tied to a published log. The report
 * is computed over the checkpoint's first `size` events only (equal to the report of a store holding
 * just those), names the checkpoint in its JSON and its header, and is refused (exit 3) when the
 * checkpoint is not signed by the key or the log no longer extends it.
 */
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, ensureCliBuilt, sampleHistoryLines } from '../internal/testing/cliBinary'

const dir = mkdtempSync(join(tmpdir(), 'ketnap-at-checkpoint-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ketnap = (db: string, args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, [CLI_BIN, '--store', `sqlite:${join(dir, db)}`, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, KETNAP_STORE: '' },
    maxBuffer: 64 * 1024 * 1024,
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const lines = sampleHistoryLines()
const published = 1200
const roll = ['report', 'roll', '--org', 'prov', '--as-of', '2030-12-31']

beforeAll(() => {
  ensureCliBuilt()
  const key = (
    k: { export: (o: { type: 'pkcs8' | 'spki'; format: 'pem' }) => string | Buffer },
    type: 'pkcs8' | 'spki',
  ) => k.export({ type, format: 'pem' }).toString()
  const committee = generateKeyPairSync('ed25519')
  writeFileSync(join(dir, 'committee.key'), key(committee.privateKey, 'pkcs8'))
  writeFileSync(join(dir, 'committee.pub'), key(committee.publicKey, 'spki'))
  writeFileSync(join(dir, 'other.pub'), key(generateKeyPairSync('ed25519').publicKey, 'spki'))
  writeFileSync(join(dir, 'first.jsonl'), lines.slice(0, published).join('\n'))
  writeFileSync(join(dir, 'rest.jsonl'), lines.slice(published).join('\n'))
  // The committee publishes a checkpoint of its first 1,200 events; the log then grows.
  for (const db of ['log.db', 'prefix.db']) expect(ketnap(db, ['import', 'first.jsonl']).status).toBe(0)
  const signed = ketnap('log.db', ['checkpoint', '--key', 'committee.key', '--origin', 'prov.example/log'])
  expect(signed.status).toBe(0)
  writeFileSync(join(dir, 'published.checkpoint'), signed.stdout)
  expect(ketnap('log.db', ['import', 'rest.jsonl']).status).toBe(0)
})

describe('ketnap report --at-checkpoint', () => {
  it('computes over the published log only, and names it in the JSON and the text header', () => {
    const at = ketnap('log.db', [
      ...roll,
      '--format',
      'json',
      '--at-checkpoint',
      'published.checkpoint',
      '--public-key',
      'committee.pub',
    ])
    expect(at.stderr).toBe('')
    expect(at.status).toBe(0)
    const report = JSON.parse(at.stdout) as {
      members: number
      checkpoint: { origin: string; size: number; rootHash: string }
    }
    expect(report.checkpoint).toMatchObject({ origin: 'prov.example/log', size: published })
    expect(report.checkpoint.rootHash).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    // The same figures as a store holding only the published events.
    const prefix = JSON.parse(ketnap('prefix.db', [...roll, '--format', 'json']).stdout) as {
      members: number
    }
    const now = JSON.parse(ketnap('log.db', [...roll, '--format', 'json']).stdout) as { members: number }
    expect({ ...report, checkpoint: undefined }).toEqual({ ...prefix, checkpoint: undefined })
    expect(now.members).not.toBe(report.members)

    const text = ketnap('log.db', [...roll, '--lang', 'en', '--at-checkpoint', 'published.checkpoint'])
    expect(text.status).toBe(0)
    expect(text.stdout).toContain(`Computed on the published log`)
    expect(text.stdout).toContain(`prov.example/log, 1,200 events, ${report.checkpoint.rootHash}`)
  })

  it('refuses a checkpoint not signed by the key, or a log that no longer extends it (exit 3)', () => {
    const unsigned = ketnap('log.db', [
      ...roll,
      '--at-checkpoint',
      'published.checkpoint',
      '--public-key',
      'other.pub',
    ])
    expect(unsigned.status).toBe(3)
    expect(unsigned.stderr).toContain('bad-signature')
    expect(unsigned.stdout).toBe('')

    // An event of the published part edited behind the store's back.
    const db = new Database(join(dir, 'log.db'))
    db.prepare(`UPDATE events SET data = replace(data, 'Tỉnh Mẫu', 'Tỉnh Khác') WHERE position = 1`).run()
    db.close()
    const rewritten = ketnap('log.db', [
      ...roll,
      '--at-checkpoint',
      'published.checkpoint',
      '--public-key',
      'committee.pub',
    ])
    expect(rewritten.status).toBe(3)
    expect(rewritten.stderr).toContain('checkpoint published.checkpoint (prov.example/log, size 1200)')
    expect(rewritten.stdout).toBe('')
  })
})
