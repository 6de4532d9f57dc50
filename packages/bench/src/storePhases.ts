/**
 * What one store does with the log: a bulk import and a verification through the `ketnap` command (a
 * child process each), reports from fresh processes and from a long-lived one, the rebuild that exists
 * today, and commands through the ledger's `execute`, one caller at a time and sixteen at once.
 */
import {
  partyDevelopment,
  REPORT_NAMES,
  REPORTS_NEEDING_PERIOD,
  type Command,
  type ReportName,
} from '@ketnap/core'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EventStore } from '@ketnap/kernel'
import { createLedger, describeLedgerError, owner, type Ledger, type ReportOptions } from '@ketnap/ledger'
import { measureAudit } from './auditPhases'
import { failureOf, runKetnap, type Cli } from './child'
import { forecastPhase, type ForecastBasis } from './forecast'
import { importFigures, importPhases, importProgress } from './importPhases'
import { ONE_GIB, TARGETS, type Figure, type Limit, type Subject } from './figures'
import type { LogFile, LogProfile } from './logFile'
import { linesOf } from './logFile'
import { now, progress, since } from './progress'

/** A store under test: its URL for the `ketnap` command, and how to open it in this process. */
export interface StoreUnderTest {
  readonly subject: Exclude<Subject, 'machine'>
  readonly url: string
  /** Whether the store outlives a process (a memory store does not: each process starts empty). */
  readonly durable: boolean
  readonly open: () => Promise<EventStore>
}

/** The limits a store's figures are judged against, measured beforehand on the same log. */
export interface StoreLimits {
  readonly chainedInsert: Limit
  readonly copy: Limit
  readonly processStartMs: number | null
}

/** Everything a phase needs. */
export interface PhaseContext {
  readonly cli: Cli
  readonly log: LogFile
  readonly profile: LogProfile
  readonly limits: StoreLimits
  /** The longest a phase may take before it is cut. */
  readonly phaseLimitMs: number
  /** Only the import: nothing is measured after it (`--import-only`). */
  readonly importOnly: boolean
  /** Whether this build of `ketnap` has `projections rebuild`. */
  readonly hasProjectionsRebuild: boolean
  /** The business date of the registrations the command phases make. */
  readonly commandDate: string
  /** A smaller run on this machine, to forecast whether a phase fits before starting it. */
  readonly basis: ForecastBasis | null
  /**
   * With `--halves`: imports the log again in two halves into an empty store of the same kind and says
   * whether it reached the whole import's head (called right after that import).
   */
  readonly halves: ((whole: StoreUnderTest) => Promise<Figure>) | null
  /** Every report of the catalog for the root, a province and a commune (`--all-reports`). */
  readonly allReports: boolean
  /**
   * A store holding the first events of the log, made by the raw chained insert, on which verify, the
   * rebuild and reports from a fresh process are measured when the import is cut.
   */
  readonly rawStore: {
    readonly url: string
    readonly events: number
    readonly open: () => Promise<EventStore>
  } | null
}

/** How many commands each command phase runs at most, and for how long at most. */
const COMMANDS = 400
const COMMAND_PHASE_MS = 30_000
const CALLERS = 16
/** Repetitions of each report in the long-lived process (the median is kept). */
const REPORT_REPEATS = 5

/** The reports every store answers, from a fresh process and from a long-lived one. */
export interface ReportCase {
  readonly key: string
  readonly label: string
  readonly name: ReportName
  readonly options: ReportOptions
}

/**
 * Every report of the catalog for the root, one province and one commune (`--all-reports`): the
 * period where the report needs one, blank villages `--since` 1 January of that year.
 */
export const everyReportCase = (p: LogProfile): ReadonlyArray<ReportCase> =>
  REPORT_NAMES.flatMap((name) =>
    (
      [
        ['root', p.rootOrg],
        ['province', p.provinceOrg],
        ['commune', p.communeOrg],
      ] as const
    ).map(([scope, orgId]): ReportCase => {
      const period = REPORTS_NEEDING_PERIOD.includes(name) ? p.period : undefined
      const since = name === 'blank-villages' ? `${p.period}-01-01` : undefined
      return {
        key: `${name}-${scope}`,
        label:
          `${name} --org ${orgId}` +
          (period === undefined ? '' : ` --period ${period}`) +
          (since === undefined ? '' : ` --since ${since}`),
        name,
        options: {
          orgId,
          asOf: p.lastDate,
          ...(period === undefined ? {} : { period }),
          ...(since === undefined ? {} : { since }),
        },
      }
    }),
  )

/**
 * The reports every store answers: with `all`, every report of the catalog for three organizations;
 * otherwise the issue's first four: attainment for the whole country, one province and one commune;
 * blank villages; and the roll of the root and of the commune.
 */
export const reportCases = (p: LogProfile, all = false): ReadonlyArray<ReportCase> => {
  if (all) return everyReportCase(p)
  const since = `${p.period}-01-01`
  return [
    {
      key: 'root',
      label: `attainment --org ${p.rootOrg}`,
      name: 'attainment',
      options: { orgId: p.rootOrg, period: p.period, asOf: p.lastDate },
    },
    {
      key: 'province',
      label: `attainment --org ${p.provinceOrg}`,
      name: 'attainment',
      options: { orgId: p.provinceOrg, period: p.period, asOf: p.lastDate },
    },
    {
      key: 'commune',
      label: `attainment --org ${p.communeOrg}`,
      name: 'attainment',
      options: { orgId: p.communeOrg, period: p.period, asOf: p.lastDate },
    },
    {
      key: 'blank-villages',
      label: `blank-villages --org ${p.provinceOrg} --since ${since}`,
      name: 'blank-villages',
      options: { orgId: p.provinceOrg, asOf: p.lastDate, since },
    },
    // The roll counts every active member of the store (its cost grows with members, not with the
    // scope): the root and a commune.
    {
      key: 'roll-root',
      label: `roll --org ${p.rootOrg}`,
      name: 'roll',
      options: { orgId: p.rootOrg, asOf: p.lastDate },
    },
    {
      key: 'roll-commune',
      label: `roll --org ${p.communeOrg}`,
      name: 'roll',
      options: { orgId: p.communeOrg, asOf: p.lastDate },
    },
  ]
}

/** The command-line arguments of a report case. */
export const reportArgs = (c: ReportCase): string[] => {
  const o = c.options
  return [
    'report',
    c.name,
    '--org',
    o.orgId,
    ...(o.period === undefined ? [] : ['--period', o.period]),
    ...(o.asOf === undefined ? [] : ['--as-of', o.asOf]),
    ...(o.since === undefined ? [] : ['--since', o.since]),
    '--format',
    'json',
  ]
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

let registered = 0

/** A new village in a commune that is still active: a cheap valid command or import line. */
const newVillage = (ctx: PhaseContext) => {
  const villageId = `bench-${process.pid}-${++registered}`
  return { villageId, name: `Thôn ${villageId}`, unitId: ctx.profile.activeUnit, on: ctx.commandDate }
}

/** A cheap valid command: a new village in a commune that is still active. */
const registerVillage = (ctx: PhaseContext): Command => ({ kind: 'RegisterVillage', ...newVillage(ctx) })

const executeOrThrow = async (ledger: Ledger, command: Command): Promise<void> => {
  const result = await ledger.execute(command, owner())()
  if (result._tag === 'Left') throw new Error(`execute: ${describeLedgerError(result.left)}`)
}

const reportOrThrow = async (ledger: Ledger, c: ReportCase): Promise<void> => {
  const result = await ledger.report(c.name, owner(), c.options)()
  if (result._tag === 'Left') throw new Error(`report ${c.label}: ${describeLedgerError(result.left)}`)
}

/** Measures one store with the log; every figure comes back, those of cut phases with the reason. */
export const measureStore = async (
  ctx: PhaseContext,
  store: StoreUnderTest,
): Promise<ReadonlyArray<Figure>> => {
  const { cli, log, profile, limits } = ctx
  const subject = store.subject
  const figures: Figure[] = []
  const cut = (key: string, label: string, unit: Figure['unit'], note: string, extra: Partial<Figure> = {}) =>
    figures.push({ subject, key, label, value: null, unit, note, ...extra })
  const events = profile.events
  const processStart: Limit = { label: 'process start', value: limits.processStartMs, unit: 'ms' }

  const forecast = (key: string, n: number): string | null => {
    const f = ctx.basis === null ? null : forecastPhase(ctx.basis, subject, key, n, ctx.phaseLimitMs)
    if (f !== null) progress(`${subject}: ${key}: ${f.cut ?? `forecast ${f.arithmetic}: it fits`}`)
    return f?.cut ?? null
  }

  // Bulk import through `ketnap import --timings`, a child process of its own, which says how long each
  // of its phases took: the write (every line checked, then committed) and the read models' catch-up.
  const importCut = forecast('import', events)
  if (importCut === null) progress(`${subject}: ketnap import of ${events} events`)
  const imported =
    importCut === null
      ? await runKetnap(cli, ['--store', store.url, 'import', '--timings', log.path], {
          timeoutMs: ctx.phaseLimitMs,
        })
      : null
  const importFailed = imported === null ? importCut : failureOf(imported)
  const phases = imported === null || importFailed !== null ? null : importPhases(imported.stderr)
  const phaseFigure = (
    key: string,
    label: string,
    ms: number | null,
    extra: Partial<Figure>,
    missing: string,
  ): Figure => ({
    subject,
    key,
    label,
    value: ms === null || ms <= 0 ? null : (events * 1000) / ms,
    unit: 'events/s',
    ...extra,
    ...(ms === null ? { note: missing } : {}),
  })
  if (importFailed !== null) {
    if (imported !== null) progress(`${subject}: import ${importFailed}`)
    for (const f of importFigures(limits)) cut(f.key, f.label, 'events/s', importFailed, f.extra)
  } else if (imported !== null) {
    const missing = 'this ketnap does not print --timings'
    const times = {
      writeMs: phases?.writeMs ?? null,
      readModelsMs: store.durable ? (phases?.readModelsMs ?? null) : null,
      totalMs: imported.ms,
    }
    for (const f of importFigures(limits))
      figures.push(
        phaseFigure(
          f.key,
          f.label,
          f.ms(times),
          f.extra,
          f.key === 'import-read-models' && !store.durable ? 'a memory store keeps no read models' : missing,
        ),
      )
  }
  figures.push({
    subject,
    key: 'import-rss',
    label: 'bulk import: peak RSS',
    value: imported?.maxRssMiB ?? null,
    unit: 'MiB',
    limit: ONE_GIB,
    target: TARGETS.peakRss,
    ...(imported === null
      ? { note: importCut ?? '' }
      : imported.maxRssMiB === null
        ? { note: 'the process did not finish' }
        : phases?.writeRssMiB === undefined || phases.writeRssMiB === null
          ? {}
          : { note: `${phases.writeRssMiB.toFixed(0)} MiB at the end of the write phase` }),
  })
  if (imported !== null && importFailed === null)
    progress(`${subject}: import ${importProgress(imported, null, phases)}`)
  if (ctx.halves !== null && importFailed === null && imported !== null && store.durable)
    figures.push(await ctx.halves(store))
  // A one-line import into the caught-up store from a fresh process: the write side opens its kept
  // state instead of replaying the log (issue 13). It appends one village to the store.
  if (importFailed === null && imported !== null && store.durable) {
    const file = join(cli.scratch, `one-line-${process.pid}.jsonl`)
    writeFileSync(file, `${JSON.stringify({ type: 'VillageRegistered', data: newVillage(ctx) })}\n`)
    progress(`${subject}: fresh process: ketnap import of one line`)
    const run = await runKetnap(cli, ['--store', store.url, 'import', file], { timeoutMs: ctx.phaseLimitMs })
    rmSync(file, { force: true })
    const failed = failureOf(run)
    figures.push({
      subject,
      key: 'fresh-import-one-line',
      label: 'fresh process: ketnap import of one line into the caught-up store',
      value: failed === null ? run.ms : null,
      unit: 'ms',
      limit: processStart,
      target: TARGETS.freshImport,
      note: failed ?? (run.maxRssMiB === null ? '' : `peak RSS ${run.maxRssMiB.toFixed(0)} MiB`),
    })
  }
  if (ctx.importOnly) return figures
  // The store the fresh processes read: the imported one, else the raw chained insert's rows.
  const target =
    importFailed === null && store.durable
      ? { url: store.url, events, of: '', open: store.open }
      : store.durable && ctx.rawStore !== null
        ? {
            ...ctx.rawStore,
            of: ` [on the raw chained insert's ${ctx.rawStore.events} rows: the import did not run]`,
          }
        : null
  let rebuildMs: number | null = null

  // Verification, reports and the rebuild from fresh processes need a store that outlives its process.
  const cases = reportCases(profile, ctx.allReports)
  if (!store.durable) {
    cut(
      'fresh-process',
      'verify, rebuild, reports from a fresh process',
      'ms',
      'n/a: a memory store does not outlive its process',
    )
  } else if (target === null) {
    for (const key of ['verify', 'rebuild']) cut(key, key, 'events/s', 'the import did not complete')
  } else {
    progress(`${subject}: ketnap verify${target.of}`)
    const verified = await runKetnap(cli, ['--store', target.url, 'verify'], { timeoutMs: ctx.phaseLimitMs })
    const verifyFailed = failureOf(verified)
    if (verifyFailed === null)
      figures.push({
        subject,
        key: 'verify',
        label: `ketnap verify${target.of}`,
        value: (target.events * 1000) / verified.ms,
        unit: 'events/s',
      })
    else cut('verify', `ketnap verify${target.of}`, 'events/s', verifyFailed)

    // Checkpoint and proofs from fresh processes: they read the stored tree, O(log n) rows.
    figures.push(
      ...(await measureAudit(
        { cli, processStartMs: limits.processStartMs, phaseLimitMs: ctx.phaseLimitMs },
        { subject, ...target },
      )),
    )

    // The rebuild: `ketnap projections rebuild` where it exists; today the reports' state is folded in
    // memory by the first report of every process, so that report is the rebuild there is.
    const rebuildLabel =
      (ctx.hasProjectionsRebuild
        ? 'full rebuild (ketnap projections rebuild)'
        : 'full rebuild (first report of a fresh process: folds the whole log in memory)') + target.of
    const foldCut = forecast('rebuild', target.events)
    if (foldCut === null) progress(`${subject}: ${rebuildLabel}`)
    const rebuilt =
      foldCut === null
        ? await runKetnap(
            cli,
            ctx.hasProjectionsRebuild
              ? ['--store', target.url, 'projections', 'rebuild']
              : ['--store', target.url, ...reportArgs(cases[0]!)],
            { timeoutMs: ctx.phaseLimitMs },
          )
        : null
    const rebuildFailed = rebuilt === null ? foldCut : failureOf(rebuilt)
    rebuildMs = rebuildFailed === null && rebuilt !== null ? rebuilt.ms : null
    figures.push({
      subject,
      key: 'rebuild',
      label: rebuildLabel,
      value: rebuildMs === null ? null : (target.events * 1000) / rebuildMs,
      unit: 'events/s',
      limit: limits.copy,
      target: TARGETS.rebuildRate,
      ...(rebuildFailed === null ? {} : { note: rebuildFailed }),
    })
    figures.push({
      subject,
      key: 'rebuild-rss',
      label: 'full rebuild: peak RSS',
      value: rebuilt?.maxRssMiB ?? null,
      unit: 'MiB',
      limit: ONE_GIB,
      target: TARGETS.peakRss,
      ...(foldCut === null ? {} : { note: foldCut }),
    })

    // A report from a fresh process reads the read model's tables the import brought to the head; it
    // folds the log only for what the tables do not answer, so it is not forecast from the rebuild.
    for (const c of cases) {
      progress(`${subject}: fresh process: ketnap report ${c.label}`)
      const run = await runKetnap(cli, ['--store', target.url, ...reportArgs(c)], {
        timeoutMs: ctx.phaseLimitMs,
      })
      const failed = failureOf(run)
      figures.push({
        subject,
        key: `fresh-report-${c.key}`,
        label: `fresh process: ${c.label}${target.of}`,
        value: failed === null ? run.ms : null,
        unit: 'ms',
        limit: processStart,
        target: TARGETS.freshReport,
        // The issue's second bound on a fresh report: its process's peak RSS (< 300 MiB).
        note: failed ?? (run.maxRssMiB === null ? '' : `peak RSS ${run.maxRssMiB.toFixed(0)} MiB`),
      })
    }
  }

  // A long-lived process: this one, with a ledger over the store holding the log.
  // A long-lived process first folds the whole log (and a memory store imports it first): skipped when
  // the child processes that did the same work failed, or took longer than a phase may.
  const estimateMs =
    imported === null || importFailed !== null ? null : store.durable ? rebuildMs : imported.ms * 2
  if (estimateMs === null || estimateMs > ctx.phaseLimitMs) {
    const why =
      importFailed !== null
        ? 'cut: no store holds the whole log (the import did not run to the end)'
        : estimateMs === null
          ? 'cut: the rebuild from a fresh process did not complete'
          : `cut: estimated ${(estimateMs / 60_000).toFixed(0)} min from the same work in a child process, over the ${(ctx.phaseLimitMs / 60_000).toFixed(0)}-min limit`
    progress(`${subject}: long-lived process: ${why}`)
    cut('long-lived', 'long-lived process: reports and commands', 'ms', why)
    return figures
  }
  const opened = await store.open()
  try {
    const ledger = createLedger({ store: opened, domain: partyDevelopment() })
    if (!store.durable) {
      progress(`${subject}: importing the log into this process's store`)
      const start = now()
      const result = await ledger.importEvents(linesOf(log.path), owner())()
      if (result._tag === 'Left') throw new Error(`in-process import: ${describeLedgerError(result.left)}`)
      figures.push({
        subject,
        key: 'import-in-process',
        label: 'bulk import (ledger.importEvents, in process)',
        value: (events * 1000) / since(start),
        unit: 'events/s',
        limit: limits.chainedInsert,
      })
    }

    progress(`${subject}: long-lived process: first report (catch-up)`)
    let start = now()
    await reportOrThrow(ledger, cases[0]!)
    figures.push({
      subject,
      key: 'long-lived-catch-up',
      label: 'long-lived: first report (folds the log)',
      value: since(start),
      unit: 'ms',
    })
    for (const c of cases) {
      const times: number[] = []
      for (let i = 0; i < REPORT_REPEATS; i++) {
        start = now()
        await reportOrThrow(ledger, c)
        times.push(since(start))
      }
      figures.push({
        subject,
        key: `long-lived-report-${c.key}`,
        label: `long-lived: ${c.label} (median of ${REPORT_REPEATS})`,
        value: median(times),
        unit: 'ms',
      })
    }

    progress(`${subject}: commands: first command (catches the validator up with the log)`)
    start = now()
    await executeOrThrow(ledger, registerVillage(ctx))
    figures.push({
      subject,
      key: 'first-command',
      label: 'long-lived: first command (folds the log)',
      value: since(start),
      unit: 'ms',
    })

    const runCallers = async (callers: number): Promise<number> => {
      let done = 0
      const begin = now()
      const caller = async (): Promise<void> => {
        while (done < COMMANDS && since(begin) < COMMAND_PHASE_MS) {
          done += 1
          await executeOrThrow(ledger, registerVillage(ctx))
        }
      }
      await Promise.all(Array.from({ length: callers }, caller))
      return (done * 1000) / since(begin)
    }
    progress(`${subject}: commands: one caller awaiting each`)
    const one = await runCallers(1)
    figures.push({
      subject,
      key: 'commands-1',
      label: 'commands: one caller',
      value: one,
      unit: 'commands/s',
    })
    progress(`${subject}: commands: ${CALLERS} concurrent callers`)
    const many = await runCallers(CALLERS)
    figures.push({
      subject,
      key: `commands-${CALLERS}`,
      label: `commands: ${CALLERS} concurrent callers`,
      value: many,
      unit: 'commands/s',
      limit: { label: 'one caller', value: one, unit: 'commands/s' },
      ...(subject === 'memory' ? {} : { target: TARGETS.concurrentCommands }),
    })
  } finally {
    await opened.close()()
  }
  return figures
}
