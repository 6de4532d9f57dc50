#!/usr/bin/env node
// The one test command (README's second command, and what .ci/run runs): build every package,
// type-check, check formatting and lint, check for import cycles and each package's published shape,
// run every test, and end with one line "N passed, N failed".
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false }).status ?? 1
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
  step(`package shape of ${dir}`, 'npx', ['publint', '--strict', '--pack', 'npm', `packages/${dir}`])
}

const out = '.vitest-results.json'
rmSync(out, { force: true })
const status = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${out}`,
])
let passed = 0
let failed = 0
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8'))
  passed = r.numPassedTests
  failed = r.numFailedTests
  if (r.success === false && failed === 0) failed = 1
} else if (status !== 0) failed = 1
console.log(`${passed} passed, ${failed} failed`)
process.exit(status !== 0 || failed > 0 || passed === 0 ? 1 : 0)
