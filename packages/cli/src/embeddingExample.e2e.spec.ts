/**
 * docs/embedding.md from a user's own npm project, outside the workspace: the packages are packed into
 * tarballs (`pnpm pack`, which turns `workspace:*` into versions), installed with npm into a scratch
 * project in the system's temporary directory, and the doc's ES module and CommonJS programs run there
 * as written, twice each: the first run records the facts and prints the report and the head, the
 * second meets the documented rule errors. It lives here because this package depends on every package
 * the example imports.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const doc = readFileSync(join(repo, 'docs', 'embedding.md'), 'utf8')
const PACKAGES = ['kernel', 'core', 'ledger', 'store-sqlite'] as const

/** The fenced block of the doc whose info string names the file (```js app.mjs). */
const block = (file: string): string => {
  const code = new RegExp('```js ' + file.replace('.', '\\.') + '\\n([\\s\\S]*?)```').exec(doc)?.[1]
  if (code === undefined) throw new Error(`docs/embedding.md has no \`\`\`js ${file} block`)
  return code
}

const sh = (cmd: string, args: ReadonlyArray<string>, cwd: string) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${r.stderr}${r.stdout}`)
  return r
}

let project = ''
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ketnap-embedding-'))
  const tarballs = join(project, 'tarballs')
  mkdirSync(tarballs)
  for (const name of PACKAGES)
    sh('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', tarballs], join(repo, 'packages', name))
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-app', private: true }))
  // better-sqlite3 comes from this workspace, already compiled (installing it from the registry would
  // compile it again, two minutes of a test); --ignore-scripts keeps npm from rebuilding that copy.
  const betterSqlite = dirname(
    realpathSync(
      createRequire(join(repo, 'packages', 'store-sqlite', 'package.json')).resolve(
        'better-sqlite3/package.json',
      ),
    ),
  )
  sh(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
      ...PACKAGES.map((name) => join(tarballs, `ketnap-${name}-0.1.0.tgz`)),
      betterSqlite,
      'fp-ts',
    ],
    project,
  )
}, 240_000)
afterAll(() => rmSync(project, { recursive: true, force: true }))

describe.each(['app.mjs', 'app.cjs'])('docs/embedding.md, %s in a scratch npm project', (file) => {
  it('records the facts, prints the report and an intact head; run again, meets the documented rule errors', () => {
    const dir = join(project, file.replace('.', '-'))
    mkdirSync(dir)
    // Beside the project's node_modules, so that its imports resolve to the installed tarballs.
    const script = join(project, file)
    writeFileSync(script, block(file))
    const run = () => spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' })
    const first = run()
    expect(first.stderr).toBe('')
    expect(first.status).toBe(0)
    expect(first.stdout).toMatch(/^2000 0 0\ntrue \{\s+position: 2,\s+hash: '[0-9a-f]{64}'\s+\}\n$/)
    const second = run()
    expect(second.status).toBe(0)
    expect(second.stderr).toBe('DomainError: org-duplicate\nDomainError: quota-duplicate\n')
    expect(second.stdout).toBe(first.stdout)
    // The packages came from the tarballs, not from the workspace.
    const resolved = spawnSync(process.execPath, ['-p', "require.resolve('@ketnap/ledger')"], {
      cwd: project,
      encoding: 'utf8',
    }).stdout
    expect(resolved.startsWith(join(realpathSync(project), 'node_modules'))).toBe(true)
  })
})
