/**
 * @internal
 * Runs the TypeScript scripts of this folder in a child Node process (through tsx, resolving workspace
 * packages to their sources as vitest does), collecting what they print line by line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

/** A running child script. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams
  /** Every stdout line so far. */
  readonly lines: string[]
  /** Everything printed on stderr so far. */
  readonly stderr: () => string
  /** Resolves when a stdout line equal to `line` has been printed (rejects if the child exits first). */
  readonly waitFor: (line: string) => Promise<void>
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
}

const packageDir = fileURLToPath(new URL('../../../', import.meta.url))

/** Starts `node --import tsx --conditions=source <script> ...args` for a script of this folder. */
export const runScript = (script: string, args: ReadonlyArray<string>): Child => {
  const file = fileURLToPath(new URL(`./${script}`, import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', file, ...args], {
    cwd: packageDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  const waiters: Array<{ line: string; resolve: () => void }> = []
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line)
    for (const w of waiters.filter((w) => w.line === line)) w.resolve()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return {
    process: child,
    lines,
    stderr: () => stderr,
    waitFor: (line) =>
      lines.includes(line)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ line, resolve })
            void exited.then(({ code, signal }) =>
              reject(new Error(`${script} exited (${code ?? signal}) before printing ${line}: ${stderr}`)),
            )
          }),
    exited,
  }
}
