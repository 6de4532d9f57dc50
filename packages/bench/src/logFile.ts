/**
 * The log a run measures: a JSON Lines history of the chosen size, made once by `ketnap simulate` and
 * cached under `.cache/`, keyed by what made it (the simulator package's version and a hash of its built
 * code, with the scale and seed), so that a changed simulator never hands a stale log to a run; and what
 * the bench needs to know of it (its size, the organizations to report on, a unit to register villages in).
 */
import { createHash } from 'node:crypto'
import {
  createReadStream,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { failureOf, runKetnap, type Cli } from './child'
import { progress } from './progress'

/** The sizes the simulator makes. */
export type Scale = 'tiny' | 'district' | 'province' | 'national'

/** What made a cached log, written beside it (`<log>.json`) and checked before the log is reused. */
export interface LogOrigin {
  /** The cache key: the simulator's version and build, the scale and the seed. */
  readonly key: string
  /** `@ketnap/simulator`'s version, or `demo`. */
  readonly simulatorVersion: string
  /** SHA-256 of the simulator's built code that `ketnap simulate` loads (its first 16 hex digits). */
  readonly simulatorBuild: string
  readonly events: number
  readonly bytes: number
  /** SHA-256 of the whole file. */
  readonly sha256: string
}

/** A cached log and where it came from. */
export interface LogFile {
  readonly path: string
  /** `simulator` (`ketnap simulate`), or `demo` (the export of `ketnap demo`) when there is none. */
  readonly source: 'simulator' | 'demo'
  readonly scale: Scale
  readonly seed: number
  readonly bytes: number
  readonly origin: LogOrigin
}

/** Lines of a JSON Lines file, blank lines skipped. */
export async function* linesOf(path: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity })
  for await (const line of reader) if (line.trim() !== '') yield line
}

/** Whether this build of the `ketnap` command has `simulate`. */
const hasSimulate = async (cli: Cli): Promise<boolean> => {
  const run = await runKetnap(cli, ['simulate', '--help'])
  return run.status === 0 && run.stdout.includes('--scale')
}

/**
 * The simulator the `ketnap` command loads (resolved from the CLI's package, as Node resolves it there):
 * its version and a hash of its built code. The CLI's `simulate` only writes the lines it is given.
 */
const simulatorIdentity = (cli: Cli): { readonly version: string; readonly build: string } => {
  const fromCli = createRequire(join(dirname(cli.bin), '..', 'package.json'))
  const entry = fromCli.resolve('@ketnap/simulator')
  const pkg = JSON.parse(readFileSync(fromCli.resolve('@ketnap/simulator/package.json'), 'utf8')) as {
    version?: unknown
  }
  const hash = createHash('sha256')
  for (const file of readdirSync(dirname(entry))
    .filter((f) => /\.(c?js)$/.test(f))
    .sort())
    hash.update(file).update(readFileSync(join(dirname(entry), file)))
  return { version: String(pkg.version), build: hash.digest('hex').slice(0, 16) }
}

/** Counts the lines of a file and hashes it, in one streamed pass. */
const describeFile = async (path: string): Promise<{ events: number; bytes: number; sha256: string }> => {
  const hash = createHash('sha256')
  let events = 0
  let bytes = 0
  let last = 0x0a
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk)
    bytes += chunk.length
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) events += 1
    last = chunk[chunk.length - 1] ?? last
  }
  if (last !== 0x0a) events += 1
  return { events, bytes, sha256: hash.digest('hex') }
}

const originPath = (log: string): string => `${log}.json`

/** The recorded origin of a cached log, when it is there and its key and size still match. */
const cachedOrigin = (path: string, key: string): LogOrigin | null => {
  if (!existsSync(path) || !existsSync(originPath(path))) return null
  try {
    const origin = JSON.parse(readFileSync(originPath(path), 'utf8')) as LogOrigin
    return origin.key === key && origin.bytes === statSync(path).size ? origin : null
  } catch {
    return null
  }
}

/**
 * The log of a scale and seed: from the cache when the recorded origin matches the simulator built now,
 * else made by `ketnap simulate --out` (into a temporary file, renamed once complete, so that an
 * interrupted run leaves no half log), its origin recorded beside it; the logs of other builds for the
 * same scale and seed are removed (a national log is 4 GB). Without the simulator, the demo's log
 * stands in, and the run says so.
 */
export const ensureLog = async (cli: Cli, cacheDir: string, scale: Scale, seed: number): Promise<LogFile> => {
  const simulated = await hasSimulate(cli)
  const source = simulated ? 'simulator' : 'demo'
  const who = simulated ? simulatorIdentity(cli) : { version: 'demo', build: 'demo' }
  const key = simulated ? `${scale}-seed${seed}-${who.version}-${who.build}` : 'demo'
  const path = join(cacheDir, `${key}.jsonl`)
  if (!simulated) progress(`ketnap has no simulate command: the demo's log stands in for '${scale}'`)
  let origin = cachedOrigin(path, key)
  if (origin !== null) {
    progress(`cached log reused: ${path} (${origin.events} events, sha256 ${origin.sha256.slice(0, 16)}…)`)
  } else {
    const stale = simulated
      ? readdirSync(cacheDir).filter(
          (f) => f.startsWith(`${scale}-seed${seed}-`) || f.startsWith(`${scale}-seed${seed}.jsonl`),
        )
      : []
    for (const f of stale) {
      progress(`removing a log of another simulator build: ${f}`)
      rmSync(join(cacheDir, f), { force: true })
    }
    const partial = `${path}.partial`
    rmSync(partial, { force: true })
    progress(`making the log (simulator ${who.version}, build ${who.build}): ${path}`)
    if (simulated) {
      const args = ['simulate', '--scale', scale, '--seed', String(seed), '--out', partial]
      const failed = failureOf(await runKetnap(cli, args))
      if (failed !== null) throw new Error(`ketnap simulate ${failed}`)
    } else {
      const db = join(cacheDir, 'demo.db')
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true })
      const demo = await runKetnap(cli, ['demo', '--keep', db])
      const failedDemo = failureOf(demo)
      if (failedDemo !== null) throw new Error(`ketnap demo ${failedDemo}`)
      const exported = await runKetnap(cli, ['--store', `sqlite:${db}`, 'export', '--out', partial])
      const failedExport = failureOf(exported)
      if (failedExport !== null) throw new Error(`ketnap export ${failedExport}`)
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true })
    }
    const described = await describeFile(partial)
    origin = { key, simulatorVersion: who.version, simulatorBuild: who.build, ...described }
    renameSync(partial, path)
    writeFileSync(originPath(path), `${JSON.stringify(origin, null, 2)}\n`)
    progress(
      `log made: ${origin.events} events, ${origin.bytes} bytes, sha256 ${origin.sha256.slice(0, 16)}…`,
    )
  }
  return { path, source, scale, seed, bytes: origin.bytes, origin }
}

/** What the bench needs to know of a log, found by reading it once (not timed). */
export interface LogProfile {
  readonly events: number
  /** The organization at the top (central, else the first without a parent). */
  readonly rootOrg: string
  /** One province-level organization. */
  readonly provinceOrg: string
  /** One grassroots organization sitting in a commune. */
  readonly communeOrg: string
  /** The year with the most admissions (MemberAdmitted), for attainment reports. */
  readonly period: string
  /** The latest business date in the log. */
  readonly lastDate: string
  /** The latest record instant in the log. */
  readonly lastRecordedAt: string
  /** A commune never retired, in which the command phases register villages. */
  readonly activeUnit: string
  /** Whether the lines carry full envelopes (an export), with hashes to check a chain against. */
  readonly hasEnvelopes: boolean
}

interface LineShape {
  readonly type?: unknown
  readonly data?: Record<string, unknown>
  readonly recordedAt?: unknown
  readonly hash?: unknown
}

/** Reads the log once and finds what the phases need. */
export const profileLog = async (path: string): Promise<LogProfile> => {
  let events = 0
  let root: string | undefined
  let central: string | undefined
  let province: string | undefined
  let lastDate = ''
  let lastRecordedAt = ''
  let hasEnvelopes = true
  const communeUnits = new Set<string>()
  const retiredUnits = new Set<string>()
  const grassrootsIn = new Map<string, string>()
  const admissionsByYear = new Map<string, number>()
  for await (const line of linesOf(path)) {
    events += 1
    const e = JSON.parse(line) as LineShape
    const d = e.data ?? {}
    if (typeof e.hash !== 'string') hasEnvelopes = false
    if (typeof e.recordedAt === 'string' && e.recordedAt > lastRecordedAt) lastRecordedAt = e.recordedAt
    const on = typeof d['on'] === 'string' ? d['on'] : undefined
    if (on !== undefined && on > lastDate) lastDate = on
    switch (e.type) {
      case 'OrganizationRegistered': {
        const orgId = String(d['orgId'])
        if (d['parentId'] === null) root ??= orgId
        if (d['level'] === 'central') central ??= orgId
        if (d['level'] === 'province') province ??= orgId
        if (d['level'] === 'grassroots' && typeof d['unitId'] === 'string')
          grassrootsIn.set(d['unitId'], grassrootsIn.get(d['unitId']) ?? orgId)
        break
      }
      case 'UnitRegistered':
        if (d['kind'] === 'commune') communeUnits.add(String(d['unitId']))
        break
      case 'UnitRetired':
        retiredUnits.add(String(d['unitId']))
        break
      case 'MemberAdmitted':
        if (on !== undefined)
          admissionsByYear.set(on.slice(0, 4), (admissionsByYear.get(on.slice(0, 4)) ?? 0) + 1)
        break
    }
  }
  const rootOrg = central ?? root
  if (rootOrg === undefined || events === 0) throw new Error(`${path} holds no organization at the top`)
  const activeCommunes = [...communeUnits].filter((u) => !retiredUnits.has(u))
  const activeUnit = activeCommunes[0]
  if (activeUnit === undefined) throw new Error(`${path} holds no commune that is still active`)
  const communeOrg = activeCommunes.map((u) => grassrootsIn.get(u)).find((o) => o !== undefined) ?? rootOrg
  const period =
    [...admissionsByYear.entries()].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0]))[0]?.[0] ??
    lastDate.slice(0, 4)
  return {
    events,
    rootOrg,
    provinceOrg: province ?? rootOrg,
    communeOrg,
    period,
    lastDate,
    lastRecordedAt,
    activeUnit,
    hasEnvelopes,
  }
}
