/**
 * `ketnap simulate` end to end: the built binary writes the same bytes as the library, stops at once
 * and quietly when its reader closes the pipe, and refuses bad options with exit 1.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simulate } from '@ketnap/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_BIN, ensureCliBuilt } from '../internal/testing/cliBinary'

const bin = CLI_BIN

let dir: string
beforeAll(() => {
  ensureCliBuilt()
  dir = mkdtempSync(join(tmpdir(), 'ketnap-simulate-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ketnap = (args: ReadonlyArray<string>) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 })

describe('ketnap simulate', () => {
  it('writes to --out the lines the library yields', () => {
    const r = ketnap(['simulate', '--scale', 'tiny', '--years', '2', '--out', 'tiny.jsonl'])
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', ''])
    const expected = [...simulate({ scale: 'tiny', years: 2 })].map((l) => `${l}\n`).join('')
    expect(readFileSync(join(dir, 'tiny.jsonl'), 'utf8')).toBe(expected)
  })

  it('writes to standard output with --out - or no --out', () => {
    const dash = ketnap(['simulate', '--scale', 'tiny', '--years', '1', '--out', '-'])
    const none = ketnap(['simulate', '--scale', 'tiny', '--years', '1'])
    expect(dash.status).toBe(0)
    expect(dash.stdout).toBe(none.stdout)
    expect(dash.stdout.split('\n')[0]).toContain('"OrganizationRegistered"')
  })

  it('ends promptly and quietly when the reader closes the pipe (| head -1)', () => {
    const started = Date.now()
    const r = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${bin}" simulate --scale national --out - | head -1`],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      },
    )
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toMatchObject({ type: 'OrganizationRegistered', data: { orgId: 'tw' } })
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it('refuses an unknown scale or a year that is not a number, with exit 1', () => {
    const scale = ketnap(['simulate', '--scale', 'galactic'])
    expect([scale.status, scale.stdout]).toEqual([1, ''])
    expect(scale.stderr).toMatch(/--scale takes tiny, district, province, national/)
    const years = ketnap(['simulate', '--scale', 'tiny', '--years', 'ten'])
    expect(years.status).toBe(1)
    expect(years.stderr).toMatch(/--years takes an integer/)
  })
})
