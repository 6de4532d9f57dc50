#!/usr/bin/env node
// The one test command (README's second command, and what .ci/run runs): build every package,
// type-check, check formatting and lint, check for import cycles and each package's published shape,
// run every test, and end with one line "N passed, N failed".
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { prepareSuites } from './suites.mjs'

const run = (cmd, args, env = process.env) =>
  spawnSync(cmd, args, { stdio: 'inherit', shell: false, env }).status ?? 1
const pnpm = ['-y', 'pnpm@10']
const step = (name, cmd, args) => {
  const status = run(cmd, args)
  if (status !== 0) {
    console.error(`\n${name} failed (exit ${status})`)
    console.log('0 passed, 1 failed')
    process.exit(status)
  }
}

step('build', 'npx', [...pnpm, 'run', 'build'])
step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])
step('format check', 'npx', ['prettier', '--check', '.', '--log-level', 'warn'])
step('lint', 'npx', ['eslint', '.', '--max-warnings', '0'])
step('import cycles', 'npx', [
  'madge',
  '--circular',
  '--extensions',
  'ts',
  '--ts-config',
  'tsconfig.json',
  'packages',
  'examples',
])
for (const dir of readdirSync('packages')) {
  const pkg = JSON.parse(readFileSync(`packages/${dir}/package.json`, 'utf8'))
  step(`package shape of ${dir}`, 'npx', ['publint', '--strict', '--pack', 'npm', `packages/${dir}`])
  // The types as TypeScript resolves them under every module setting (node10, node16 ESM and CJS,
  // bundler); private packages are never published, so only publint checks them.
  if (pkg.private !== true) step(`types of ${dir}`, 'npx', ['attw', '--pack', `packages/${dir}`, '--quiet'])
}

// PostgreSQL and Chromium: found, started or installed where this machine allows; otherwise their
// suites are skipped with one line each saying what is missing (a failure under KETNAP_REQUIRE_ALL_SUITES=1).
const suites = prepareSuites()
for (const line of suites.lines) console.error(`[suites] ${line}`)

const out = '.vitest-results.json'
rmSync(out, { force: true })
let status
try {
  status = run(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    { ...process.env, ...suites.env },
  )
} finally {
  suites.cleanup()
}
let passed = 0
let failed = 0
let skipped = 0
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8'))
  passed = r.numPassedTests
  failed = r.numFailedTests
  skipped = r.numPendingTests + r.numTodoTests
  if (r.success === false && failed === 0) failed = 1
} else if (status !== 0) failed = 1
if (suites.missingRequired && failed === 0) failed = 1
for (const line of suites.lines) console.log(line)
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
process.exit(status !== 0 || failed > 0 || passed === 0 ? 1 : 0)
