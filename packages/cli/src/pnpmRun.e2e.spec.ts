/**
 * `npx -y pnpm@10 ketnap ...` as README.md tells a user to run it, from a directory of the checkout
 * other than its root: stdout carries only ketnap's own output (no pnpm banner, so `--format json`
 * pipes into jq), and relative paths, the store's included, land in the directory it was run from.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const sample = join(process.env['KETNAP_SHARED_DIR'] ?? 'shared', 'domain', 'sample-history.jsonl')
// Inside the checkout (pnpm finds the workspace from there), in a folder git ignores (`*.db` files).
const cwd = mkdtempSync(join(repo, 'packages', 'cli', '.pnpm-run-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

const pnpmKetnap = (args: ReadonlyArray<string>) =>
  spawnSync('npx', ['-y', 'pnpm@10', 'ketnap', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, KETNAP_STORE: '' },
  })

describe('npx -y pnpm@10 ketnap from another directory of the checkout', () => {
  it('prints only ketnap’s output, and the relative store lands in the directory it ran in', () => {
    const imported = pnpmKetnap(['--store', 'sqlite:rel.db', 'import', sample])
    expect(imported.status).toBe(0)
    expect(imported.stdout).toMatch(/^imported \d+ event\(s\)/)
    expect(readdirSync(cwd)).toContain('rel.db')

    const report = pnpmKetnap([
      '--store',
      'sqlite:rel.db',
      'report',
      'roll',
      '--org',
      'prov',
      '--format',
      'json',
    ])
    expect(report.status).toBe(0)
    // The whole of stdout is one JSON document: nothing else was printed on it.
    const json = JSON.parse(report.stdout) as { orgId: string; members: number }
    expect(json.orgId).toBe('prov')
    expect(json.members).toBeGreaterThan(0)
    expect(existsSync(join(repo, 'rel.db'))).toBe(false)
  })
})
