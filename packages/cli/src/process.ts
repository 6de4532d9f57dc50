/**
 * The `ketnap` command over the real process (standard streams, environment, clock), built as CommonJS
 * so that Node resolves the fp-ts and io-ts module paths (`fp-ts/Either`) the way their packages expect.
 */
import { once } from 'node:events'
import { setFlagsFromString } from 'node:v8'
import type { Io, OutputStream } from './io'
import { redactCredentials } from '@ketnap/kernel'
import { run } from './main'

/**
 * The heap grows to at most twice what it held after a full collection (D52), unless the user's own
 * Node options say otherwise. By default V8 lets a fast-allocating process's heap grow to three or four
 * times what it holds before it collects in full: a national import, which holds about 300 MB, peaked
 * near a gigabyte, most of it garbage. Twice costs about 2 % of an import's time.
 */
const HEAP_GROWING_PERCENT = 100
if (![...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((o) => o.includes('heap-growing-percent')))
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)

const output = (stream: NodeJS.WriteStream): OutputStream => ({
  write: async (chunk) => {
    if (!stream.write(chunk)) await once(stream, 'drain')
  },
  isTTY: stream.isTTY === true,
  node: stream,
})

// A reader that closed the pipe early (`ketnap export | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})

const io: Io = {
  stdout: output(process.stdout),
  stderr: output(process.stderr),
  stdin: () => process.stdin,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
}

run(process.argv.slice(2), io).then(
  (status) => {
    process.exitCode = status
  },
  (error: unknown) => {
    process.stderr.write(
      redactCredentials(
        `ketnap: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      ),
    )
    process.exitCode = 1
  },
)
