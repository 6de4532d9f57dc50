/**
 * The example of docs/embedding.md runs as written, on a fresh SQLite file, and does what its comments
 * say: it is the first code an embedder copies. It lives here because this package depends on every
 * package the example imports.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const repo = resolve(packageDir, '..', '..')

describe('docs/embedding.md', () => {
  it('its example runs on a fresh store: facts recorded, the report computed, the chain intact', () => {
    const doc = readFileSync(join(repo, 'docs', 'embedding.md'), 'utf8')
    const code = /```ts\n([\s\S]*?)```/.exec(doc)?.[1]
    expect(code).toBeDefined()
    // Beside this package, so that its @ketnap imports resolve; run in an empty directory.
    const script = join(packageDir, `.embedding-example-${process.pid}.ts`)
    const cwd = mkdtempSync(join(tmpdir(), 'ketnap-embedding-'))
    try {
      writeFileSync(script, code ?? '')
      const tsx = join(repo, 'node_modules', '.bin', 'tsx')
      const run = (): { status: number | null; stdout: string; stderr: string } =>
        spawnSync(tsx, ['--conditions=source', script], { cwd, encoding: 'utf8' })
      const first = run()
      expect(first.stderr).toBe('')
      expect(first.status).toBe(0)
      expect(first.stdout).toMatch(/^2000 0 0\ntrue \{/)
      const second = run()
      expect(second.status).toBe(0)
      expect(second.stderr).toMatch(/^DomainError: [a-z-]+\n/)
    } finally {
      rmSync(script, { force: true })
      rmSync(cwd, { recursive: true, force: true })
    }
  })
})
