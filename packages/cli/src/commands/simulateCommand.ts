/**
 * `ketnap simulate --scale tiny|district|province|national [--years N] [--from YEAR] [--seed S]
 * [--out FILE]`: a deterministic, valid synthetic history as JSON Lines, to a file or standard output
 * (`-` or no `--out`). Nothing is written to standard error but a progress bar on a terminal.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { resolve } from 'node:path'
import { SCALE_NAMES, SCALES, simulate, simulateOptionsError, SIMULATE_DEFAULTS } from '@ketnap/simulator'
import type { ScaleName, SimulateOptions } from '@ketnap/simulator'
import { ExitStatus } from '../exitStatus'
import type { Io } from '../io'
import type { Progress } from '../progress'
import { complain } from '../session'

/** The options as commander hands them over. */
export interface RawSimulateOptions {
  readonly scale?: unknown
  readonly years?: unknown
  readonly from?: unknown
  readonly seed?: unknown
  readonly out?: unknown
}

/** Lines are written in chunks of about this many characters. */
const CHUNK = 1 << 16

const messageOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

const isScaleName = (value: unknown): value is ScaleName =>
  typeof value === 'string' && (SCALE_NAMES as ReadonlyArray<string>).includes(value)

/** An integer option: absent, or a decimal integer. */
const integerOption = (name: string, value: unknown): number | undefined | string => {
  if (value === undefined) return undefined
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value)
  return `${name} takes an integer, not ${String(value)}`
}

/** Decodes the options, or says what is wrong with them. */
const decodeOptions = (raw: RawSimulateOptions): SimulateOptions | string => {
  if (!isScaleName(raw.scale)) {
    return `--scale takes ${SCALE_NAMES.join(', ')}, not ${raw.scale === undefined ? 'nothing' : String(raw.scale)}`
  }
  const years = integerOption('--years', raw.years)
  const from = integerOption('--from', raw.from)
  const seed = integerOption('--seed', raw.seed)
  for (const value of [years, from, seed]) if (typeof value === 'string') return value
  const options: SimulateOptions = {
    scale: raw.scale,
    ...(typeof years === 'number' ? { years } : {}),
    ...(typeof from === 'number' ? { from } : {}),
    ...(typeof seed === 'number' ? { seed } : {}),
  }
  return simulateOptionsError(options) ?? options
}

/** Lets pending I/O callbacks run (a reader that closed the pipe is noticed between chunks). */
const breathe = (): Promise<void> => new Promise((done) => setImmediate(done))

/** Writes the simulated history; 1 with a message for bad options or an unwritable file. */
export const simulateCommand = async (
  io: Io,
  progress: Progress,
  raw: RawSimulateOptions,
): Promise<ExitStatus> => {
  const options = decodeOptions(raw)
  if (typeof options === 'string') {
    await complain(io, options)
    return ExitStatus.failure
  }
  const out = typeof raw.out === 'string' && raw.out !== '-' ? raw.out : undefined
  let file: FileHandle | null = null
  try {
    if (out !== undefined) file = await open(resolve(io.cwd, out), 'w')
    const target = file
    const write =
      target === null
        ? (text: string) => io.stdout.write(text)
        : (text: string) => target.write(text).then(() => undefined)
    const expected = Math.round(
      (SCALES[options.scale].events * (options.years ?? SIMULATE_DEFAULTS.years)) / SIMULATE_DEFAULTS.years,
    )
    let buffer = ''
    let lines = 0
    for (const line of simulate(options)) {
      buffer += `${line}\n`
      lines++
      if (buffer.length >= CHUNK) {
        await write(buffer)
        buffer = ''
        progress.update('simulate', lines, Math.max(expected, lines))
        await breathe()
      }
    }
    if (buffer.length > 0) await write(buffer)
    return ExitStatus.ok
  } catch (cause) {
    await complain(io, `simulate failed: ${messageOf(cause)}`)
    return ExitStatus.failure
  } finally {
    progress.stop()
    await file?.close()
  }
}
