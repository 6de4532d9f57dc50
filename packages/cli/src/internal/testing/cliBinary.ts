/**
 * @internal
 * What the CLI's end-to-end tests share: the built `ketnap` binary (rebuilt first when a source file is
 * newer, so that a local run never tests a stale build; CI builds every package before testing) and the
 * sample history of the contract.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** The built executable the tests spawn with `node`. @internal */
export const CLI_BIN = join(packageDir, 'dist', 'bin.js')

/** The contract's sample history (shared/domain/sample-history.jsonl). @internal */
export const SAMPLE_HISTORY = join(
  process.env['KETNAP_SHARED_DIR'] ?? 'shared',
  'domain',
  'sample-history.jsonl',
)

/** The sample history's non-empty lines. @internal */
export const sampleHistoryLines = (): string[] =>
  readFileSync(SAMPLE_HISTORY, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)

/** The newest modification time of the files under a directory. */
const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, entry) => {
    const path = join(dir, entry.name)
    return Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }, 0)

/** Builds the CLI when its build is missing or older than a source file. @internal */
export const ensureCliBuilt = (): void => {
  if (!existsSync(CLI_BIN) || statSync(CLI_BIN).mtimeMs < newest(join(packageDir, 'src'))) {
    execFileSync('npx', ['tsup'], { cwd: packageDir, stdio: 'ignore' })
  }
}
