/**
 * The benchmark: makes (or finds in the cache) a log of the chosen size, measures the machine's limits
 * on it, then each store's figures, and prints them side by side with the targets of the issue
 * "National scale, measured"; writes the run as JSON under `results/`.
 */
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { format, resolveConfig } from 'prettier'
import { createInMemoryEventStore, type EventStore } from '@ketnap/kernel'
import { openPostgresEventStore } from '@ketnap/store-postgres'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import { measureAudit } from './auditPhases'
import { runKetnap, writePreload, type Cli } from './child'
import { deadlineIn } from './deadline'
import { measureEncrypted, writeMasterKey } from './encryptedPhases'
import { bareFold } from './fold'
import { figuresTable, judge, type Figure, type Judged, type Limit } from './figures'
import { heapLimitMiB, loadBasis } from './forecast'
import { ensureLog, profileLog } from './logFile'
import { parseOptions, USAGE, type BenchOptions } from './options'
import {
  benchSchema,
  dropSchema,
  POSTGRES_URL,
  postgresUnreachable,
  rawPgChainedCopy,
  rawPgCopy,
  rawPgCopyThrough,
  storeUrlOf,
} from './postgres'
import { now, progress, since } from './progress'
import {
  adoptAsStore,
  removeDb,
  rawChainedInsert,
  rawCopy,
  rawInsert,
  rawSelectParse,
  rateOf,
  storedRows,
  type Timed,
} from './sqliteLimits'
import { measureHalves } from './halvesPhase'
import { measureStore, type PhaseContext, type StoreUnderTest } from './storePhases'

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const repoDir = resolve(benchDir, '..', '..')
const NATIONAL_DISK_GIB = 40
const GIB = 1024 ** 3

const NOISE =
  'This machine is shared and noisy (2 cores, other work running): compare the ratios of one run, ' +
  'not absolute times across runs.'

/** Today in Vietnam (UTC+7), as a business date. */
const vietnamToday = (): string => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)

const openOrThrow = async (
  opened: () => Promise<{ _tag: 'Left'; left: { message: string } } | { _tag: 'Right'; right: EventStore }>,
): Promise<EventStore> => {
  const result = await opened()
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

/** A limit measured in this process; one stopped at the phase limit says after how many events. */
const machineFigure = (key: string, label: string, t: Timed, total: number, limitMin: number): Figure => ({
  subject: 'machine',
  key,
  label,
  value: rateOf(t),
  unit: 'events/s',
  ...(t.cut === true
    ? {
        note: `cut for time at the ${limitMin}-min phase limit after ${t.events} of ${total} events: the rate is that of those`,
      }
    : {}),
})

const limitOf = (f: Figure, label: string): Limit => ({ label, value: f.value, unit: f.unit })

/** Runs the bench with the arguments after the program name; resolves to the exit status. */
export const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const parsed = parseOptions(argv)
  if (typeof parsed === 'string') {
    process.stderr.write(parsed)
    return parsed === USAGE ? 0 : 2
  }
  const options: BenchOptions = parsed
  const cacheDir = join(benchDir, '.cache')
  const runDir = join(cacheDir, `run-${process.pid}`)
  mkdirSync(runDir, { recursive: true })
  // The preload and the children's RSS files live outside the repository, where no linter finds them.
  const scratch = mkdtempSync(join(tmpdir(), 'ketnap-bench-'))
  const cli: Cli = {
    bin: join(repoDir, 'packages', 'cli', 'dist', 'bin.js'),
    preload: writePreload(scratch),
    scratch,
  }

  if (options.scale === 'national') {
    const fs = statfsSync(cacheDir)
    const free = (fs.bavail * fs.bsize) / GIB
    if (free < NATIONAL_DISK_GIB) {
      process.stderr.write(
        `a national run needs ${NATIONAL_DISK_GIB} GB of free disk for the log and its stores; ${cacheDir} has ${free.toFixed(1)} GB free: not started\n`,
      )
      return 1
    }
  }

  const startedAt = new Date()
  const notes: string[] = [NOISE]
  process.stdout.write(`${NOISE}\n`)
  try {
    const log = await ensureLog(cli, cacheDir, options.scale, options.seed)
    if (log.source === 'demo')
      notes.push(`The log is the demo's (the simulator is not built), not a '${options.scale}' history.`)
    progress(`reading the log once to find organizations and dates: ${log.path}`)
    const profile = await profileLog(log.path)
    progress(
      `${profile.events} events (${(log.bytes / 1024 ** 2).toFixed(1)} MiB), reports on ${profile.rootOrg}, ${profile.provinceOrg}, ${profile.communeOrg}, period ${profile.period}`,
    )
    const phaseLimitMs = options.phaseLimitMin * 60_000
    const limitMin = options.phaseLimitMin
    const basisFile = join(benchDir, 'results', 'latest-province.json')
    // Only a national run forecasts its phases, from the province run (of a twentieth of its size).
    const basis = options.scale === 'national' ? loadBasis(basisFile, profile.events) : null
    if (basis !== null) {
      const line = `Phases that fold the log are forecast per event from ${basis.events} events (results/latest-province.json) before they start, against Node's default heap limit here (${heapLimitMiB().toFixed(0)} MiB) and the ${limitMin}-min phase limit.`
      progress(line)
      notes.push(line)
    }
    const help = await runKetnap(cli, ['projections', '--help'])
    const hasProjectionsRebuild = help.status === 0 && help.stdout.includes('rebuild')

    // The machine's limits on the same log.
    const figures: Figure[] = []
    progress('limit: process start (ketnap --help, median of 5)')
    const starts: number[] = []
    for (let i = 0; i < 5; i++) starts.push((await runKetnap(cli, ['--help'])).ms)
    starts.sort((a, b) => a - b)
    const processStartMs = starts[2] ?? null
    figures.push({
      subject: 'machine',
      key: 'process-start',
      label: 'process start (ketnap --help)',
      value: processStartMs,
      unit: 'ms',
    })

    const rowsDb = join(runDir, 'rows.db')
    progress('limit: raw chained insert into SQLite (parse, canonical envelope, SHA-256 chain, insert)')
    const check = { mismatches: 0 }
    const chainedRun = await rawChainedInsert(log.path, rowsDb, check, deadlineIn(phaseLimitMs))
    const rowEvents = chainedRun.events
    const chained = machineFigure(
      'sqlite-chained-insert',
      'SQLite raw chained insert',
      chainedRun,
      profile.events,
      limitMin,
    )
    figures.push(chained)
    if (check.mismatches > 0)
      notes.push(`The raw chain differed from the log's own hashes on ${check.mismatches} line(s).`)
    if (options.auditOnly) {
      figures.push(...(await auditOnRows(cli, rowsDb, rowEvents, processStartMs, phaseLimitMs)))
      await report(options, startedAt, log, profile, notes, figures)
      return 0
    }
    // The reference limits, which no target reads, are left out of an import-only run.
    if (!options.importOnly) {
      progress('limit: raw insert of the rows into SQLite')
      figures.push(
        machineFigure(
          'sqlite-insert',
          'SQLite raw insert of the rows',
          await rawInsert(rowsDb, join(runDir, 'insert.db'), deadlineIn(phaseLimitMs)),
          rowEvents,
          limitMin,
        ),
      )
      progress('limit: raw SELECT + JSON.parse')
      figures.push(
        machineFigure(
          'sqlite-select-parse',
          'SQLite raw SELECT + JSON.parse',
          rawSelectParse(rowsDb, deadlineIn(phaseLimitMs)),
          rowEvents,
          limitMin,
        ),
      )
    }
    progress('limit: raw copy (SELECT + parse + INSERT one row per event)')
    const copied = machineFigure(
      'sqlite-copy',
      'SQLite raw copy (SELECT + parse + INSERT)',
      rawCopy(rowsDb, join(runDir, 'copy.db'), deadlineIn(phaseLimitMs)),
      rowEvents,
      limitMin,
    )
    figures.push(copied)
    if (!options.importOnly) {
      progress('limit: bare fold in memory')
      figures.push(
        machineFigure(
          'bare-fold',
          'bare fold (count per type and stream)',
          await bareFold(log.path, deadlineIn(phaseLimitMs)),
          profile.events,
          limitMin,
        ),
      )
    }

    const pgDown = options.stores.includes('postgres') ? await postgresUnreachable() : 'not asked for'
    let pgChained: Figure | null = null
    let pgCopyThrough: Figure | null = null
    if (pgDown === null) {
      const copySchema = benchSchema('copy')
      const chainSchema = benchSchema('chain')
      const throughSchema = benchSchema('through')
      try {
        // The raw copy reads these rows: kept in an import-only run.
        progress('limit: PostgreSQL raw COPY of the rows')
        figures.push(
          machineFigure(
            'postgres-copy',
            'PostgreSQL raw COPY of the rows',
            await rawPgCopy(copySchema, storedRows(rowsDb), deadlineIn(phaseLimitMs)),
            rowEvents,
            limitMin,
          ),
        )
        progress('limit: PostgreSQL raw chained COPY (parse, canonical envelope, SHA-256 chain, COPY)')
        pgChained = machineFigure(
          'postgres-chained-copy',
          'PostgreSQL raw chained COPY',
          await rawPgChainedCopy(chainSchema, log.path, { mismatches: 0 }, deadlineIn(phaseLimitMs)),
          profile.events,
          limitMin,
        )
        figures.push(pgChained)
        progress('limit: PostgreSQL raw copy (COPY TO + parse + COPY FROM one row per event)')
        pgCopyThrough = machineFigure(
          'postgres-copy-through',
          'PostgreSQL raw copy (COPY TO + parse + COPY FROM)',
          await rawPgCopyThrough(copySchema, throughSchema),
          rowEvents,
          limitMin,
        )
        figures.push(pgCopyThrough)
      } finally {
        for (const s of [copySchema, chainSchema, throughSchema]) await dropSchema(s)
      }
    } else {
      progress(`PostgreSQL at ${POSTGRES_URL.replace(/\/\/[^@/]*@/, '//')} is not measured: ${pgDown}`)
      notes.push(`PostgreSQL not measured: ${pgDown}`)
    }
    // When the import is forecast not to fit, verify and the fresh processes read the raw rows instead
    // (not with --import-only, where no fresh process reads: adopting the rows migrates them to the
    // store's schema, which at national scale hashes the whole log again).
    const keepRows = basis !== null && options.stores.includes('sqlite') && !options.importOnly
    if (keepRows) await adoptAsStore(rowsDb)
    else removeDb(rowsDb)

    // Each store with the log.
    const context = (chainedLimit: Figure, copyLimit: Figure): PhaseContext => ({
      cli,
      log,
      profile,
      limits: {
        chainedInsert: limitOf(chainedLimit, chainedLimit.label.replace(/^SQLite |^PostgreSQL /, '')),
        copy: limitOf(
          copyLimit,
          copyLimit.label.replace(/ \(.*\)$/, '').replace(/^SQLite |^PostgreSQL /, ''),
        ),
        processStartMs,
      },
      phaseLimitMs,
      hasProjectionsRebuild,
      importOnly: options.importOnly,
      commandDate: vietnamToday() > profile.lastDate ? vietnamToday() : profile.lastDate,
      basis,
      rawStore: null,
      halves: null,
      allReports: options.allReports,
    })
    // With --halves, the whole import of a store is followed by one in two halves into `second`.
    const withHalves = (ctx: PhaseContext, second: StoreUnderTest): PhaseContext =>
      options.halves ? { ...ctx, halves: (whole) => measureHalves(ctx, whole, second, runDir) } : ctx
    const sqliteContext: PhaseContext = {
      ...context(chained, copied),
      rawStore: keepRows
        ? {
            url: `sqlite:${rowsDb}`,
            events: rowEvents,
            open: () => openOrThrow(openSqliteEventStore(rowsDb)),
          }
        : null,
    }
    // With --encryption, each durable store is measured again created with this master key.
    const keyFile = options.encryption ? writeMasterKey(scratch) : null
    for (const name of options.stores) {
      if (name === 'sqlite') {
        const path = join(runDir, 'store.db')
        const halvesPath = join(runDir, 'halves.db')
        removeDb(path)
        removeDb(halvesPath)
        let clear: ReadonlyArray<Figure> = []
        try {
          const second: StoreUnderTest = {
            subject: 'sqlite',
            url: `sqlite:${halvesPath}`,
            durable: true,
            open: () => openOrThrow(openSqliteEventStore(halvesPath)),
          }
          clear = await measureStore(withHalves(sqliteContext, second), {
            subject: 'sqlite',
            url: `sqlite:${path}`,
            durable: true,
            open: () => openOrThrow(openSqliteEventStore(path)),
          })
          figures.push(...clear)
        } finally {
          removeDb(path)
          removeDb(halvesPath)
        }
        if (keyFile !== null) {
          const encrypted = join(runDir, 'encrypted.db')
          removeDb(encrypted)
          try {
            figures.push(
              ...(await measureEncrypted(
                sqliteContext,
                {
                  subject: 'sqlite',
                  url: `sqlite:${encrypted}`,
                  durable: true,
                  open: () => openOrThrow(openSqliteEventStore(encrypted)),
                },
                keyFile,
                clear,
              )),
            )
          } finally {
            removeDb(encrypted)
          }
        }
      } else if (name === 'memory') {
        if (options.scale === 'national') {
          const why = 'cut: the whole national log held in memory exceeds this machine (24 GiB, shared)'
          progress(`memory: ${why}`)
          figures.push({
            subject: 'memory',
            key: 'import',
            label: 'all phases',
            value: null,
            unit: 'events/s',
            note: why,
          })
          continue
        }
        figures.push(
          ...(await measureStore(context(chained, copied), {
            subject: 'memory',
            url: 'memory:',
            durable: false,
            open: () => Promise.resolve(createInMemoryEventStore()),
          })),
        )
      } else if (pgDown === null && pgChained !== null && pgCopyThrough !== null) {
        const schema = benchSchema('store')
        const halvesSchema = benchSchema('halves')
        const pgContext = context(pgChained, pgCopyThrough)
        let clear: ReadonlyArray<Figure> = []
        try {
          const second: StoreUnderTest = {
            subject: 'postgres',
            url: storeUrlOf(halvesSchema),
            durable: true,
            open: () =>
              openOrThrow(openPostgresEventStore({ connectionString: POSTGRES_URL, schema: halvesSchema })),
          }
          clear = await measureStore(withHalves(pgContext, second), {
            subject: 'postgres',
            url: storeUrlOf(schema),
            durable: true,
            open: () => openOrThrow(openPostgresEventStore({ connectionString: POSTGRES_URL, schema })),
          })
          figures.push(...clear)
        } finally {
          await dropSchema(schema)
          await dropSchema(halvesSchema)
        }
        if (keyFile !== null) {
          const encrypted = benchSchema('encrypted')
          try {
            figures.push(
              ...(await measureEncrypted(
                pgContext,
                {
                  subject: 'postgres',
                  url: storeUrlOf(encrypted),
                  durable: true,
                  open: () =>
                    openOrThrow(
                      openPostgresEventStore({ connectionString: POSTGRES_URL, schema: encrypted }),
                    ),
                },
                keyFile,
                clear,
              )),
            )
          } finally {
            await dropSchema(encrypted)
          }
        }
      }
    }

    removeDb(rowsDb)
    await report(options, startedAt, log, profile, notes, figures)
    return 0
  } finally {
    rmSync(runDir, { recursive: true, force: true })
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** Prints the figures and the verdicts, and writes the run. */
const report = async (
  options: BenchOptions,
  startedAt: Date,
  log: Awaited<ReturnType<typeof ensureLog>>,
  profile: Awaited<ReturnType<typeof profileLog>>,
  notes: ReadonlyArray<string>,
  figures: ReadonlyArray<Figure>,
): Promise<void> => {
  const judged = figures.map(judge)
  process.stdout.write(`\n${figuresTable(judged)}\n\n`)
  const targets = judged.filter((f) => f.verdict !== null)
  for (const t of targets)
    process.stdout.write(
      `${(t.verdict ?? '').toUpperCase().padEnd(7)} ${t.subject} ${t.label}: ${t.target?.text ?? ''}${t.ratio === null ? '' : ` (${t.ratio.toFixed(2)}×)`}${t.note === undefined ? '' : ` — ${t.note}`}\n`,
    )
  for (const note of notes.slice(1)) process.stdout.write(`note: ${note}\n`)
  await writeResults(options, startedAt, log, profile, notes, judged)
}

/**
 * The audit figures alone, on the raw chained insert's rows made a SQLite store: the adoption (the
 * store's first writable open migrates the file and fills its stored tree in one pass) is timed, then
 * checkpoint and proofs from fresh processes.
 */
const auditOnRows = async (
  cli: Cli,
  rowsDb: string,
  events: number,
  processStartMs: number | null,
  phaseLimitMs: number,
): Promise<ReadonlyArray<Figure>> => {
  progress(`sqlite: making the raw rows a store, its stored tree filled on the first writable open`)
  const start = now()
  await adoptAsStore(rowsDb)
  const filled = since(start)
  progress(`sqlite: store made in ${(filled / 1000).toFixed(1)} s`)
  const of = ` [the raw chained insert's ${events} rows made a store]`
  return [
    {
      subject: 'sqlite',
      key: 'tree-fill',
      label: `stored tree filled on the first writable open${of}`,
      value: (events * 1000) / filled,
      unit: 'events/s',
    },
    ...(await measureAudit(
      { cli, processStartMs, phaseLimitMs },
      {
        subject: 'sqlite',
        url: `sqlite:${rowsDb}`,
        events,
        of,
        open: () => openOrThrow(openSqliteEventStore(rowsDb)),
      },
    )),
  ]
}

/** Writes the run as JSON (formatted as the repository's Prettier would, so that its check passes). */
const writeResults = async (
  options: BenchOptions,
  startedAt: Date,
  log: Awaited<ReturnType<typeof ensureLog>>,
  profile: Awaited<ReturnType<typeof profileLog>>,
  notes: ReadonlyArray<string>,
  figures: ReadonlyArray<Judged>,
): Promise<void> => {
  const resultsDir = join(benchDir, 'results')
  mkdirSync(resultsDir, { recursive: true })
  const name = `${log.source === 'demo' ? 'demo' : options.scale}${options.auditOnly ? '-audit' : options.importOnly ? '-import' : ''}${options.encryption ? '-encryption' : ''}`
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / GIB),
      node: process.version,
    },
    options,
    log: {
      source: log.source,
      scale: log.scale,
      seed: log.seed,
      bytes: log.bytes,
      ...profile,
    },
    notes,
    figures,
  }
  const file = join(resultsDir, `latest-${name}.json`)
  const text = await format(JSON.stringify(result), {
    ...(await resolveConfig(file)),
    parser: 'json',
  })
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
  writeFileSync(file, text)
  writeFileSync(join(resultsDir, `${name}-${stamp}.json`), text)
  progress(`results written to ${join(resultsDir, `latest-${name}.json`)} and ${name}-${stamp}.json`)
}
