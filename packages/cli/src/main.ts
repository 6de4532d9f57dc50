/**
 * The `ketnap` command: parses the arguments, opens the store the URL names, builds a ledger over it
 * and runs one command. Returns the exit status instead of exiting, so tests can run it in-process.
 */
import { existsSync, rmSync } from 'node:fs'
import { partyDevelopment, REPORTS_NEEDING_PERIOD } from '@ketnap/core'
import { DEFAULT_MAX_LINE_BYTES, forbidden, redactCredentials, type EventStore } from '@ketnap/kernel'
import { boundActor, createLedger, describeLedgerError, owner } from '@ketnap/ledger'
import { Command, CommanderError, Option } from 'commander'
import * as E from 'fp-ts/Either'
import { ActorArg, decodeArg, HeadArg } from './args'
import { checkpointCommand, verifyCheckpointsCommand } from './commands/checkpointCommand'
import { exportCommand } from './commands/exportCommand'
import { historyCommand } from './commands/historyCommand'
import { importCommand } from './commands/importCommand'
import { proveConsistencyCommand, proveInclusionCommand } from './commands/proveCommand'
import type { RawReportOptions } from './commands/reportCommand'
import type { RawSimulateOptions } from './commands/simulateCommand'
import { verifyCommand } from './commands/verifyCommand'
import { ExitStatus } from './exitStatus'
import type { Io } from './io'
import { readMasterKey } from './masterKeyFile'
import { openStore, type StoreAccess } from './openStore'
import { terminalProgress } from './progress'
import { complain, type Session } from './session'
import { DEFAULT_STORE_URL, resolveStore, StoreUrl } from './storeUrl'

/** Removes a SQLite store file with its journal, WAL and shared-memory files. */
const removeSqliteFiles = (path: string): void => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true })
}

interface GlobalOptions {
  readonly store?: unknown
  readonly quiet?: unknown
  readonly actor?: unknown
  readonly masterKey?: unknown
}

/** Runs `ketnap` with the arguments after the program name; resolves to the exit status. */
export const run = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  let status: number = ExitStatus.ok
  const pending: Promise<void>[] = []

  const program = new Command('ketnap')
  program
    .description('An event-sourced ledger of party member development (phát triển đảng viên).')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void pending.push(io.stdout.write(s)),
      writeErr: (s) => void pending.push(io.stderr.write(redactCredentials(s))),
    })
    .option(
      '--store <url>',
      `the event store: sqlite:PATH, memory: or postgres://... (env KETNAP_STORE; default ${DEFAULT_STORE_URL})`,
    )
    .option('-q, --quiet', 'no progress bar')
    .option(
      '--actor <org>',
      "act for this organization: writes and reads outside its subtree are refused (forbidden); default the store's owner",
    )
    .option(
      '--master-key <file>',
      'a file of 32 random bytes (openssl rand -out FILE 32): a store first written with it encrypts personal data for good (env KETNAP_MASTER_KEY_FILE)',
    )
    .showHelpAfterError()

  /** Opens the store, runs a command over a ledger (and the store, for commands that read it raw), closes the store. */
  const withSession = async (
    command: Command,
    access: StoreAccess,
    body: (session: Session, store: EventStore) => Promise<number>,
  ): Promise<void> => {
    const globals = command.optsWithGlobals<GlobalOptions>()
    const url = decodeArg(StoreUrl, '--store')(globals.store ?? io.env['KETNAP_STORE'] ?? DEFAULT_STORE_URL)
    // Without --actor the run is the store's owner: whoever can write the file owns it anyway.
    const actor =
      globals.actor === undefined
        ? E.right(owner())
        : E.map(boundActor)(decodeArg(ActorArg, '--actor')(globals.actor))
    const keyFile = globals.masterKey ?? io.env['KETNAP_MASTER_KEY_FILE']
    const key =
      keyFile === undefined || keyFile === '' ? E.right(undefined) : readMasterKey(String(keyFile), io.cwd)
    if (E.isLeft(url) || E.isLeft(actor) || E.isLeft(key)) {
      await complain(
        io,
        E.isLeft(url) ? url.left : E.isLeft(actor) ? actor.left : E.isLeft(key) ? key.left : '',
      )
      status = ExitStatus.failure
      return
    }
    const cacheText = io.env['KETNAP_WRITE_CACHE_ENTRIES']
    const cacheEntries = cacheText === undefined || cacheText === '' ? undefined : Number(cacheText)
    if (cacheEntries !== undefined && !(Number.isSafeInteger(cacheEntries) && cacheEntries >= 1)) {
      await complain(
        io,
        `KETNAP_WRITE_CACHE_ENTRIES takes a positive whole number of entries, got ${cacheText}`,
      )
      status = ExitStatus.failure
      return
    }
    const location = resolveStore(url.right, io.cwd)
    // A writing command that creates a SQLite file and then fails (a missing input, every line invalid)
    // removes it again: a failure leaves no new empty store behind.
    const creates = access === 'write' && location.kind === 'sqlite' && !existsSync(location.path)
    const progress = terminalProgress(io, globals.quiet === true)
    // Opening an older store may fill its stored tree from the whole log: shown as progress.
    const store = await openStore(location, access, (done, total) =>
      progress.update('migrating', done, total),
    )()
    progress.stop()
    if (E.isLeft(store)) {
      await complain(io, store.left)
      status = ExitStatus.failure
      if (creates) removeSqliteFiles(location.path)
      return
    }
    try {
      const ledger = createLedger({
        store: store.right,
        domain: partyDevelopment(),
        now: io.now,
        ...(key.right === undefined ? {} : { masterKey: key.right }),
        ...(cacheEntries === undefined ? {} : { writeStateCacheEntries: cacheEntries }),
      })
      status = await body({ io, progress, ledger, actor: actor.right }, store.right)
    } finally {
      progress.stop()
      const closed = await store.right.close()()
      if (E.isLeft(closed) && status === ExitStatus.ok) {
        await complain(io, `closing the store failed: ${describeLedgerError(closed.left)}`)
        status = ExitStatus.failure
      }
      if (creates && status !== ExitStatus.ok) removeSqliteFiles(location.path)
    }
  }

  program
    .command('import')
    .description(
      'validate every line of a JSON Lines file (- for standard input) and append all of them, or none',
    )
    .argument('<file>', 'the file, or - for standard input')
    .option(
      '--max-line-bytes <n>',
      'refuse lines longer than this many bytes (line-too-long)',
      String(DEFAULT_MAX_LINE_BYTES),
    )
    .option(
      '--timings',
      'on stderr, one line per phase (the write, then the read models): events, seconds, peak RSS so far',
    )
    .action(async (file: string, options: { maxLineBytes: string; timings?: true }, command: Command) => {
      // Decimal digits only (Number() also reads 1e3, 0x10 and " 12 ").
      const max = /^[0-9]+$/.test(options.maxLineBytes) ? Number(options.maxLineBytes) : Number.NaN
      if (!Number.isSafeInteger(max) || max < 1) {
        await complain(
          io,
          `--max-line-bytes takes a positive whole number of bytes, got ${options.maxLineBytes}`,
        )
        status = ExitStatus.failure
        return
      }
      await withSession(command, 'write', (s) =>
        importCommand(s, file, { maxLineBytes: max, timings: options.timings === true }),
      )
    })

  program
    .command('export')
    .description('write the whole log as JSON Lines with full envelopes')
    .option('--out <file>', 'write to this file instead of standard output')
    .option(
      '--clear',
      "an encrypted store's personal fields in clear (needs the master key): a copy that cannot restore the store",
    )
    .action((options: { out?: string; clear?: boolean }, command: Command) =>
      withSession(command, 'read', (s) => exportCommand(s, options.out, options.clear === true)),
    )

  /** Gathers the values of a repeatable option. */
  const collect = (value: string, previous: ReadonlyArray<string> = []): ReadonlyArray<string> => [
    ...previous,
    value,
  ]

  program
    .command('verify')
    .description('recompute the hash chain and stream versions and print the head')
    .option('--head <position:hash>', 'a head kept from an earlier verify, which the log must still extend')
    .option('--checkpoint <file>', 'a signed checkpoint the log must still extend (repeatable)', collect)
    .option(
      '--public-key <file>',
      'an Ed25519 public key (PEM) that may sign the checkpoints (repeatable)',
      collect,
    )
    .action(
      async (
        options: { head?: string; checkpoint?: ReadonlyArray<string>; publicKey?: ReadonlyArray<string> },
        command: Command,
      ) => {
        const head =
          options.head === undefined ? E.right(undefined) : decodeArg(HeadArg, '--head')(options.head)
        if (E.isLeft(head)) {
          await complain(io, head.left)
          status = ExitStatus.failure
          return
        }
        const checkpoints = options.checkpoint ?? []
        const publicKeys = options.publicKey ?? []
        if ((checkpoints.length === 0) !== (publicKeys.length === 0))
          command.error('error: --checkpoint and --public-key go together', { exitCode: ExitStatus.usage })
        await withSession(command, 'read', (s, store) =>
          checkpoints.length === 0
            ? verifyCommand(s, head.right)
            : verifyCheckpointsCommand(s, store, { head: head.right, checkpoints, publicKeys }),
        )
      },
    )

  program
    .command('checkpoint')
    .description('sign a checkpoint of the log (C2SP tlog-checkpoint, an Ed25519 signed note)')
    .requiredOption(
      '--key <file>',
      'the Ed25519 private key (PEM), e.g. from openssl genpkey -algorithm ed25519',
    )
    .option('--origin <name>', 'the name of the log, also the key name (default ketnap)')
    .option('--out <file>', 'write to this file instead of standard output')
    .action((options: { key: string; origin?: string; out?: string }, command: Command) =>
      withSession(command, 'read', (s, store) => checkpointCommand(s, store, options)),
    )

  program
    .command('prove')
    .description('an RFC 9162 inclusion proof of one event, or a consistency proof between two checkpoints')
    .argument('[checkpoints...]', 'with --consistency: the OLD and the NEW checkpoint files')
    .option('--position <n>', 'the position of the event to prove')
    .option('--checkpoint <file>', 'with --position: the checkpoint to prove against (default the whole log)')
    .option('--consistency', 'prove that the NEW checkpoint extends the OLD one')
    .action(
      (
        files: ReadonlyArray<string>,
        options: { position?: string; checkpoint?: string; consistency?: boolean },
        command: Command,
      ) => {
        if ((options.position === undefined) === (options.consistency !== true))
          command.error('error: prove needs either --position N or --consistency OLD NEW', {
            exitCode: ExitStatus.usage,
          })
        if (options.consistency === true && (files.length !== 2 || options.checkpoint !== undefined))
          command.error('error: prove --consistency takes two checkpoint files, OLD NEW', {
            exitCode: ExitStatus.usage,
          })
        if (options.position !== undefined && files.length > 0)
          command.error('error: prove --position takes no file arguments (use --checkpoint FILE)', {
            exitCode: ExitStatus.usage,
          })
        return withSession(command, 'read', async (s, store) => {
          if (options.position === undefined) return proveConsistencyCommand(s, store, files)
          // An inclusion proof prints the event itself: a read of any event, which is the owner's.
          if (s.actor._tag === 'BoundActor') {
            const refused = forbidden(
              s.actor.name,
              'prove an event',
              s.actor.scope,
              `${s.actor.name} (acting for ${s.actor.scope}) may not prove an event: the proof prints it, and only the owner reads any event`,
            )
            await complain(io, describeLedgerError(refused))
            return ExitStatus.failure
          }
          return proveInclusionCommand(s, store, options.position, options.checkpoint)
        })
      },
    )

  program
    .command('report')
    .description('compute one report, from the read model kept in the store or by replaying the log')
    .argument(
      '<name>',
      'attainment, blank-villages, roll, funnel, training, village-heads, coverage, organizations or ratings',
    )
    .requiredOption('--org <org>', 'the organization')
    .option(
      '--period <period>',
      'YYYY, YYYY-YYYY or YYYY-MM-DD/YYYY-MM-DD (attainment, funnel, training; a year for ratings; roll: also the members admitted in it)',
    )
    .option('--occupation <occupation>', 'attainment: only quotas and admissions of this occupation')
    .option('--as-of <date>', 'the business date (YYYY-MM-DD); default today in Vietnam')
    .option('--known-at <instant>', 'count only events recorded at or before this ISO 8601 instant')
    .option('--since <date>', 'blank-villages: compare with this earlier date')
    .option(
      '--series <dates>',
      'blank-villages, html: the dates of the chart, comma-separated (default with --since: each month end)',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'json', 'csv', 'html', 'xlsx'])
        .default('text'),
    )
    .addOption(
      new Option('--lang <lang>', 'language of the labels and numbers').choices(['vi', 'en']).default('vi'),
    )
    .option('--out <file>', 'write to this file instead of standard output')
    .option(
      '--at-checkpoint <file>',
      'compute over the published log of this checkpoint (refused unless the log extends it)',
    )
    .option('--public-key <file>', 'with --at-checkpoint: the checkpoint must be signed by this Ed25519 key')
    .option('--replay', 'compute by replaying the log (the reference) even where the read model answers')
    .option(
      '--include-merged',
      'also count, for the dates before each merge, the organizations merged into --org (mergedInto)',
    )
    .action((name: string, options: RawReportOptions, command: Command) => {
      // A missing required option is a usage error (exit 2), like a missing --org; a value given but
      // invalid is refused later with exit 1.
      if (options.period === undefined && (REPORTS_NEEDING_PERIOD as ReadonlyArray<string>).includes(name))
        command.error(`error: the ${name} report needs --period <period>`, { exitCode: ExitStatus.usage })
      return withSession(command, 'read', async (s, store) => {
        const { reportCommand } = await import('./commands/reportCommand')
        return reportCommand(s, name, options, store)
      })
    })

  const projections = program
    .command('projections')
    .description('the read models the reports are answered from, kept in the store')
  projections
    .command('status')
    .description("each read model's version and checkpoint against the head (reads only)")
    .action((_options: unknown, command: Command) =>
      withSession(command, 'read', async (s) => {
        const { statusCommand } = await import('./commands/projectionsCommand')
        return statusCommand(s)
      }),
    )
  projections
    .command('rebuild')
    .description('drop the read models and fold the whole log into them again')
    .action((_options: unknown, command: Command) =>
      withSession(command, 'write', async (s) => {
        const { rebuildCommand } = await import('./commands/projectionsCommand')
        return rebuildCommand(s)
      }),
    )

  program
    .command('follow')
    .description('keep the read models caught up while other processes write the store, until interrupted')
    .option('--poll-ms <ms>', 'milliseconds between two looks at the store when it is polled', (v) =>
      Number.parseInt(v, 10),
    )
    .action((options: { pollMs?: number }, command: Command) =>
      options.pollMs !== undefined && !(options.pollMs >= 1)
        ? command.error('error: --poll-ms needs a whole number of milliseconds, 1 or more', {
            exitCode: ExitStatus.usage,
          })
        : withSession(command, 'write', async (s) => {
            const { followCommand } = await import('./commands/followCommand')
            return followCommand(s, options.pollMs)
          }),
    )

  program
    .command('forget')
    .description(
      "erase a person's personal data from a store created with a master key: recorded in the chain, their key destroyed",
    )
    .argument('<person>', 'the person id')
    .option('--reason <text>', 'why (e.g. the reference of their request), recorded with the erasure')
    .action((person: string, options: { reason?: string }, command: Command) =>
      options.reason === ''
        ? command.error('error: --reason needs a text', { exitCode: ExitStatus.usage })
        : withSession(command, 'write', async (s) => {
            const { forgetCommand } = await import('./commands/forgetCommand')
            return forgetCommand(s, person, options.reason)
          }),
    )

  program
    .command('keys')
    .description('the keys of a store created with a master key')
    .command('rotate')
    .description(
      "re-wrap every person's key with a new master key, in one transaction: --master-key is the current key",
    )
    .requiredOption('--new-master-key <file>', 'a file of 32 random bytes (openssl rand -out FILE 32)')
    .action((options: { newMasterKey: string }, command: Command) =>
      withSession(command, 'write', async (s) => {
        const { rotateCommand } = await import('./commands/keysCommand')
        return rotateCommand(s, options.newMasterKey)
      }),
    )

  program
    .command('history')
    .description('every event of one person, with both dates and the actor')
    .argument('<person>', 'the person id')
    .addOption(
      new Option('--format <format>', 'text, or json for the envelopes as JSON Lines')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action((person: string, options: { format?: string }, command: Command) =>
      withSession(command, 'read', (s) => historyCommand(s, person, options.format)),
    )

  program
    .command('demo')
    .description('load the seed scenarios into a fresh store and print their reports')
    .option('--keep <file>', 'keep the demo store in this new SQLite file')
    .addOption(new Option('--lang <lang>', 'language of the reports').choices(['vi', 'en']).default('vi'))
    .action(async (options: { keep?: string; lang?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      // Loaded when used, as the report renderers and the simulator are: `ketnap --help` or a verify
      // does not pay for loading them.
      const { demoCommand } = await import('./commands/demoCommand')
      status = await demoCommand(io, {
        keep: options.keep,
        lang: options.lang,
        quiet: globals.quiet === true,
      })
    })

  program
    .command('simulate')
    .description('write a deterministic, valid synthetic history as JSON Lines (same arguments, same bytes)')
    .requiredOption('--scale <scale>', 'tiny, district, province or national')
    .option('--years <n>', 'calendar years simulated (default 10)')
    .option('--from <year>', 'the first year (default 2016)')
    .option('--seed <s>', 'the seed of the pseudo-random draws (default 1)')
    .option('--out <file>', 'write to this file; - or nothing for standard output')
    .action(async (options: RawSimulateOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const { simulateCommand } = await import('./commands/simulateCommand')
      status = await simulateCommand(io, terminalProgress(io, globals.quiet === true, true), options)
    })

  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    status = error.exitCode === 0 ? ExitStatus.ok : ExitStatus.usage
  }
  await Promise.all(pending)
  return status
}
