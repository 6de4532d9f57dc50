/**
 * `ketnap follow` end to end with the built binary on a SQLite file: it follows while another `ketnap`
 * process imports, says each position it caught up to on standard error, and stops with exit 0 on
 * SIGINT.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, ensureCliBuilt, sampleHistoryLines } from '../internal/testing/cliBinary'

let dir: string
beforeAll(() => {
  ensureCliBuilt()
  dir = mkdtempSync(join(tmpdir(), 'ketnap-follow-cli-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('ketnap follow', () => {
  it(
    'catches up after another process imports, and stops on SIGINT with exit 0',
    { timeout: 60_000 },
    async () => {
      const store = `sqlite:${join(dir, 'k.db')}`
      const lines = sampleHistoryLines()
      const env = { ...process.env, KETNAP_STORE: '' }
      const importLines = (part: ReadonlyArray<string>): number | null =>
        spawnSync(process.execPath, [CLI_BIN, '--store', store, 'import', '-'], {
          input: part.join('\n') + '\n',
          env,
          encoding: 'utf8',
        }).status
      expect(importLines(lines.slice(0, 100))).toBe(0)
      const follower = spawn(process.execPath, [CLI_BIN, '--store', store, 'follow', '--poll-ms', '20'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stderr = ''
      let stdout = ''
      follower.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      const seen = (text: string): Promise<void> =>
        new Promise((done) => {
          const look = (): void => {
            if (stderr.includes(text)) done()
          }
          follower.stderr.on('data', (chunk: Buffer) => {
            stderr += chunk.toString()
            look()
          })
          look()
        })
      await seen('read models at position 100')
      expect(importLines(lines.slice(100))).toBe(0)
      await seen(`read models at position ${lines.length}`)
      const exited = new Promise<number | null>((done) => follower.on('exit', (code) => done(code)))
      follower.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(stderr).toContain('following (polling)')
      expect(stderr).toContain(`stopped at position ${lines.length}`)
      expect(stdout).toBe('')
    },
  )
})
