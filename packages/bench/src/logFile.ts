/**
 * The log a run measures: a JSON Lines history of the chosen size, made once and cached under
 * `.cache/` (keyed by scale and seed), and what the bench needs to know of it (its size, the
 * organizations to report on, a unit to register villages in).
 */
import { spawnSync } from 'node:child_process'
import { createReadStream, existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { failureOf, runKetnap, type Cli } from './child'
import { progress } from './progress'

/** The sizes the simulator makes. */
export type Scale = 'tiny' | 'district' | 'province' | 'national'

/** A cached log and where it came from. */
export interface LogFile {
  readonly path: string
  /** `simulator` (`ketnap simulate`), or `demo` (the export of `ketnap demo`) when there is none. */
  readonly source: 'simulator' | 'demo'
  readonly scale: Scale
  readonly seed: number
  readonly bytes: number
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
 * Until the command line has `simulate`, the built simulator package is run directly in a child
 * process (the same lines, by its contract): its `dist` beside the CLI's.
 */
const SIMULATE_WITH_PACKAGE = `
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
const [entry, out, scale, seed] = process.argv.slice(1)
const { simulate } = await import(entry)
const file = createWriteStream(out)
let chunk = ''
for (const line of simulate({ scale, seed: Number(seed) })) {
  chunk += line + '\\n'
  if (chunk.length > 1 << 20) {
    if (!file.write(chunk)) await once(file, 'drain')
    chunk = ''
  }
}
file.end(chunk)
await once(file, 'finish')
`

/** The built simulator package beside the CLI's build, when there is one. */
const simulatorPackage = (cli: Cli): string | null => {
  const entry = join(dirname(cli.bin), '..', '..', 'simulator', 'dist', 'index.js')
  return existsSync(entry) ? entry : null
}

/**
 * The log of a scale and seed: from the cache, or made by `ketnap simulate` (written to a temporary
 * file and renamed, so that an interrupted run leaves no half log in the cache). Without the simulator,
 * the demo's log stands in, and the run says so.
 */
export const ensureLog = async (cli: Cli, cacheDir: string, scale: Scale, seed: number): Promise<LogFile> => {
  const command = await hasSimulate(cli)
  const pkg = command ? null : simulatorPackage(cli)
  const simulated = command || pkg !== null
  const path = join(cacheDir, simulated ? `${scale}-seed${seed}.jsonl` : 'demo.jsonl')
  const source = simulated ? 'simulator' : 'demo'
  if (!simulated) progress(`no simulator is built: the demo's log stands in for '${scale}'`)
  if (!existsSync(path)) {
    const partial = `${path}.partial`
    rmSync(partial, { force: true })
    progress(`making the log: ${path}`)
    if (command) {
      const args = ['simulate', '--scale', scale, '--seed', String(seed), '--out', partial]
      const failed = failureOf(await runKetnap(cli, args))
      if (failed !== null) throw new Error(`ketnap simulate ${failed}`)
    } else if (pkg !== null) {
      progress(`ketnap has no simulate command yet: running the built simulator package (${pkg})`)
      const run = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', SIMULATE_WITH_PACKAGE, pkg, partial, scale, String(seed)],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      )
      if (run.status !== 0) throw new Error(`the simulator package failed (exit ${run.status ?? 'killed'})`)
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
    renameSync(partial, path)
  }
  return { path, source, scale, seed, bytes: statSync(path).size }
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
