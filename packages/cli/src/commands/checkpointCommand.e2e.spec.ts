/**
 * `ketnap checkpoint`, `ketnap verify --checkpoint` and `ketnap prove` end to end: the built binary on a
 * SQLite store, with Ed25519 keys in PEM, and the proofs checked by the kernel's verifiers.
 */
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  decodeEventInclusionProof,
  decodeLogConsistencyProof,
  openCheckpoint,
  verifyEventInclusion,
  verifyLogConsistency,
} from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, ensureCliBuilt, sampleHistoryLines } from '../internal/testing/cliBinary'

const bin = CLI_BIN
const sampleLines = sampleHistoryLines()

let dir: string
const file = (name: string): string => join(dir, name)

beforeAll(() => {
  ensureCliBuilt()
  dir = mkdtempSync(join(tmpdir(), 'ketnap-checkpoint-'))
  for (const name of ['committee', 'stranger']) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    writeFileSync(file(`${name}.key`), privateKey.export({ format: 'pem', type: 'pkcs8' }))
    writeFileSync(file(`${name}.pub`), publicKey.export({ format: 'pem', type: 'spki' }))
  }
  writeFileSync(file('first.jsonl'), sampleLines.slice(0, 40).join('\n'))
  writeFileSync(file('all.jsonl'), sampleLines.join('\n'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const ketnap = (store: string, args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, [bin, '-q', '--store', `sqlite:${file(store)}`, ...args], {
    cwd: dir,
    input: '',
    env: { ...process.env, KETNAP_STORE: '' },
    encoding: 'utf8',
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const opened = (name: string) => {
  const checkpoint = openCheckpoint(readFileSync(file(name), 'utf8'), [
    readFileSync(file('committee.pub'), 'utf8'),
  ])
  if (E.isLeft(checkpoint)) throw new Error(checkpoint.left.message)
  return checkpoint.right
}

describe('ketnap checkpoint, verify --checkpoint and prove', () => {
  it('signs checkpoints that the log extends as it grows, and proves against them', () => {
    expect(ketnap('log.db', ['import', 'first.jsonl']).status).toBe(0)
    const first = ketnap('log.db', [
      'checkpoint',
      '--key',
      'committee.key',
      '--origin',
      'ketnap.example/kon-tum',
      '--out',
      'cp-1.txt',
    ])
    expect(first.status).toBe(0)
    expect(first.stderr).toMatch(/^verifier key: ketnap\.example\/kon-tum\+[0-9a-f]{8}\+/m)
    expect(opened('cp-1.txt')).toMatchObject({ origin: 'ketnap.example/kon-tum', size: 40 })

    expect(ketnap('log.db', ['import', 'all.jsonl']).status).toBe(0)
    const second = ketnap('log.db', [
      'checkpoint',
      '--key',
      'committee.key',
      '--origin',
      'ketnap.example/kon-tum',
    ])
    expect(second.status).toBe(0)
    writeFileSync(file('cp-2.txt'), second.stdout)
    expect(opened('cp-2.txt').size).toBe(sampleLines.length)

    const verified = ketnap('log.db', [
      'verify',
      '--checkpoint',
      'cp-1.txt',
      '--checkpoint',
      'cp-2.txt',
      '--public-key',
      'stranger.pub',
      '--public-key',
      'committee.pub',
    ])
    expect(verified.status).toBe(0)
    expect(verified.stdout).toContain('checkpoint cp-1.txt (ketnap.example/kon-tum, size 40): extended')

    const inclusion = ketnap('log.db', ['prove', '--position', '12', '--checkpoint', 'cp-1.txt'])
    expect(inclusion.status).toBe(0)
    const proof = decodeEventInclusionProof(JSON.parse(inclusion.stdout))
    expect(
      E.chainW((p: Parameters<typeof verifyEventInclusion>[0]) =>
        verifyEventInclusion(p, opened('cp-1.txt')),
      )(proof),
    ).toEqual(E.right(undefined))
    const consistency = ketnap('log.db', ['prove', '--consistency', 'cp-1.txt', 'cp-2.txt'])
    expect(consistency.status).toBe(0)
    const extension = decodeLogConsistencyProof(JSON.parse(consistency.stdout))
    expect(
      E.chainW((p: Parameters<typeof verifyLogConsistency>[0]) =>
        verifyLogConsistency(p, opened('cp-1.txt'), opened('cp-2.txt')),
      )(extension),
    ).toEqual(E.right(undefined))
  })

  it('fails with exit 3 on a checkpoint no given key signed', () => {
    const r = ketnap('log.db', ['verify', '--checkpoint', 'cp-2.txt', '--public-key', 'stranger.pub'])
    expect(r.status).toBe(3)
    expect(r.stdout).toContain('checkpoint cp-2.txt: bad-signature')
  })

  it('fails with exit 3 on a rewritten and rehashed history, naming the checkpoint and where it differs', () => {
    // An export stripped of its chain and imported again: every hash recomputed, a valid chain.
    const rewritten = sampleLines.map((line, i) =>
      i === 99 ? line.replace('"name": "Thôn d2-xa1-t1"', '"name": "Thôn Đắk Blà"') : line,
    )
    expect(rewritten[99]).not.toBe(sampleLines[99])
    writeFileSync(file('rewritten.jsonl'), rewritten.join('\n'))
    expect(ketnap('rewritten.db', ['import', 'rewritten.jsonl']).status).toBe(0)
    const r = ketnap('rewritten.db', [
      'verify',
      '--checkpoint',
      'cp-1.txt',
      '--checkpoint',
      'cp-2.txt',
      '--public-key',
      'committee.pub',
    ])
    expect(r.status).toBe(3)
    expect(r.stdout).toContain('intact:')
    expect(r.stdout).toContain('checkpoint cp-1.txt (ketnap.example/kon-tum, size 40): extended')
    expect(r.stdout).toContain(
      `checkpoint cp-2.txt (ketnap.example/kon-tum, size ${sampleLines.length}): checkpoint-mismatch: the log differs from the checkpoint at a position from 41 to ${sampleLines.length}`,
    )
    expect(ketnap('rewritten.db', ['prove', '--consistency', 'cp-1.txt', 'cp-2.txt']).status).toBe(3)
  })

  it('fails with exit 3 on a cut tail, and refuses bad usage with exit 2', () => {
    expect(ketnap('cut.db', ['import', 'first.jsonl']).status).toBe(0)
    const r = ketnap('cut.db', ['verify', '--checkpoint', 'cp-2.txt', '--public-key', 'committee.pub'])
    expect(r.status).toBe(3)
    expect(r.stdout).toContain('checkpoint-truncated')
    expect(r.stdout).toContain('the log ends at position 40')
    expect(ketnap('log.db', ['verify', '--checkpoint', 'cp-2.txt']).status).toBe(2)
    expect(ketnap('log.db', ['prove']).status).toBe(2)
    expect(ketnap('log.db', ['checkpoint']).status).toBe(2)
    expect(ketnap('log.db', ['prove', '--position', '0']).status).toBe(1)
    expect(ketnap('log.db', ['checkpoint', '--key', 'committee.pub']).status).toBe(1)
  })
})
