// The published shape of every package: its built ESM and CJS entries load in plain Node (no
// `source` condition, no TypeScript), export what their source exports, and ship declarations.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const libraries = ['kernel', 'core', 'store-sqlite', 'store-postgres', 'report', 'ledger'] as const

const exportedNames = (cmd: string): string[] => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', cmd], {
    cwd: join(packagesDir, 'cli'),
    encoding: 'utf8',
  })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  return (JSON.parse(r.stdout) as string[]).sort()
}

describe.each(libraries)('@ketnap/%s as published', (name) => {
  const pkg = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8')) as {
    exports: Record<
      string,
      { import?: { types: string; default: string }; require?: { types: string; default: string } }
    >
  }

  it('loads through import and require with the same exports', () => {
    const esm = exportedNames(
      `const m = await import('@ketnap/${name}'); console.log(JSON.stringify(Object.keys(m)))`,
    )
    const cjs = exportedNames(
      `import { createRequire } from 'node:module'; const m = createRequire(import.meta.url)('@ketnap/${name}'); console.log(JSON.stringify(Object.keys(m)))`,
    )
    expect(esm.length).toBeGreaterThan(0)
    expect(cjs).toEqual(esm.filter((k) => k !== 'default'))
  })

  it('ships every file its exports map names', () => {
    for (const [key, entry] of Object.entries(pkg.exports)) {
      if (typeof entry !== 'object') continue
      for (const cond of [entry.import, entry.require]) {
        if (cond === undefined) continue
        expect(existsSync(join(packagesDir, name, cond.default)), `${key} ${cond.default}`).toBe(true)
        expect(existsSync(join(packagesDir, name, cond.types)), `${key} ${cond.types}`).toBe(true)
      }
    }
  })
})
