/**
 * The bench's command line: `pnpm bench [--scale tiny|district|province|national] [--national]
 * [--seed N] [--stores memory,sqlite,postgres] [--phase-limit-min N] [--encryption] [--halves] [--all-reports]`.
 */
import type { Scale } from './logFile'

/** What a run measures. */
export interface BenchOptions {
  readonly scale: Scale
  readonly seed: number
  readonly stores: ReadonlyArray<'memory' | 'sqlite' | 'postgres'>
  /** A phase running longer than this is cut (minutes). */
  readonly phaseLimitMin: number
  /**
   * Only the audit figures: the raw chained insert's rows made a store (its tree filled on the first
   * writable open), then checkpoint and proofs from fresh processes; for a national store, which
   * `ketnap import` cannot make yet.
   */
  readonly auditOnly: boolean
  /**
   * Only the import: the limits it is judged against (the raw chained insert and COPY, the raw copy for
   * the read models' catch-up), then `ketnap import --timings` into each store, nothing after it.
   */
  readonly importOnly: boolean
  /**
   * Also the import (both phases) and the full rebuild of each durable store created with a master key,
   * beside the clear figures, against the same limits (docs/security.md).
   */
  readonly encryption: boolean
  /**
   * Also import the log in two halves (two `ketnap import`s into an empty store) and compare the head
   * with the whole import's (issue 13).
   */
  readonly halves: boolean
  /** Every report of the catalog for the root, a province and a commune, not only the first four. */
  readonly allReports: boolean
}

/** The usage text. */
export const USAGE = `usage: pnpm bench [options]

  --scale S            tiny | district | province (default) | national
  --national           the same as --scale national (needs 40 GB of free disk)
  --seed N             the simulator's seed (default 1)
  --stores LIST        which stores, comma-separated (default memory,sqlite,postgres)
  --phase-limit-min N  cut a phase that runs longer than N minutes (default 30; 10 at national)
  --audit-only         only checkpoint and proofs, on a SQLite store made from the raw chained insert
  --import-only        only the import (its two phases and its peak RSS) and the limits it is judged on
  --encryption         also import and rebuild each SQLite and PostgreSQL store encrypted (a master key)
  --halves             also import the log in two halves into an empty store: the same head as the whole?
  --all-reports        every report of the catalog for the root, a province and a commune
`

const SCALES: ReadonlyArray<Scale> = ['tiny', 'district', 'province', 'national']
const STORES = ['memory', 'sqlite', 'postgres'] as const

/** Parses the arguments; a string says what is wrong (or is the usage, for --help). */
export const parseOptions = (argv: ReadonlyArray<string>): BenchOptions | string => {
  let scale: Scale = 'province'
  let seed = 1
  let stores: BenchOptions['stores'] = STORES
  let phaseLimitMin: number | undefined
  let auditOnly = false
  let importOnly = false
  let encryption = false
  let halves = false
  let allReports = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = (): string | undefined => argv[++i]
    if (arg === '--') continue
    if (arg === '--help' || arg === '-h') return USAGE
    if (arg === '--national') scale = 'national'
    else if (arg === '--audit-only') auditOnly = true
    else if (arg === '--import-only') importOnly = true
    else if (arg === '--encryption') encryption = true
    else if (arg === '--halves') halves = true
    else if (arg === '--all-reports') allReports = true
    else if (arg === '--scale') {
      const s = value()
      if (!SCALES.includes(s as Scale)) return `--scale takes one of ${SCALES.join(', ')}\n\n${USAGE}`
      scale = s as Scale
    } else if (arg === '--seed') {
      seed = Number(value())
      if (!Number.isSafeInteger(seed)) return `--seed takes an integer\n\n${USAGE}`
    } else if (arg === '--stores') {
      const list = (value() ?? '').split(',')
      if (list.length === 0 || list.some((s) => !(STORES as ReadonlyArray<string>).includes(s)))
        return `--stores takes a comma-separated list of ${STORES.join(', ')}\n\n${USAGE}`
      stores = STORES.filter((s) => list.includes(s))
    } else if (arg === '--phase-limit-min') {
      phaseLimitMin = Number(value())
      if (!(phaseLimitMin > 0)) return `--phase-limit-min takes a positive number\n\n${USAGE}`
    } else return `unknown argument ${JSON.stringify(arg)}\n\n${USAGE}`
  }
  return {
    scale,
    seed,
    stores,
    phaseLimitMin: phaseLimitMin ?? (scale === 'national' ? 10 : 30),
    auditOnly,
    importOnly,
    encryption,
    halves,
    allReports,
  }
}
