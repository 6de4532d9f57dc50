/**
 * `ketnap report NAME --org ORG [...]`: one report, read from the store's read model or computed by
 * replaying the log (`--replay`, and the reports not yet read from tables), in the chosen format and
 * language.
 */
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  decodeAskedReport,
  type Report,
  type ReportCheckpoint,
  type ReportName,
  type ReportQueryError,
  type ReportQueryField,
} from '@ketnap/core'
import { openCheckpoint, type EventStore, type LogCheckpoint } from '@ketnap/kernel'
import { describeLedgerError, type ReportOptions } from '@ketnap/ledger'
import { render, type HtmlOptions } from '@ketnap/report'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import { decodeArg, Format, Lang } from '../args'
import { ExitStatus } from '../exitStatus'
import { blankVillageSeries, monthlyDates, parseSeries } from './blankVillageSeries'
import { auditStore, readCheckpointFile, readTextFile } from './checkpointCommand'
import { complain, type Session } from '../session'

/** The options of `ketnap report` as commander hands them over: strings, not yet decoded. */
export interface RawReportOptions {
  readonly org?: unknown
  readonly period?: unknown
  readonly occupation?: unknown
  readonly asOf?: unknown
  readonly knownAt?: unknown
  readonly since?: unknown
  readonly format?: unknown
  readonly lang?: unknown
  readonly out?: unknown
  readonly atCheckpoint?: unknown
  readonly publicKey?: unknown
  readonly replay?: unknown
  readonly series?: unknown
  readonly includeMerged?: unknown
}

/** The option of each field of a report request, for the messages that refuse a value. */
const OPTION_OF: Readonly<Record<ReportQueryField, string>> = {
  name: 'NAME',
  orgId: '--org',
  asOf: '--as-of',
  knownAt: '--known-at',
  period: '--period',
  occupation: '--occupation',
  since: '--since',
  includeMerged: '--include-merged',
}

/** A refusal of the report codec as the command line says it: the option and what it takes. */
const optionMessage = (error: ReportQueryError): string =>
  error.path === 'name'
    ? error.message
    : error.path === 'orgId' && error.value === undefined
      ? '--org ORG is required'
      : error.value === undefined
        ? `${OPTION_OF[error.path]}: ${error.message}`
        : `${OPTION_OF[error.path]}: invalid value ${JSON.stringify(error.value)}: expected ${error.expected}`

/** The report's query and output, decoded from the command line. */
interface ReportRequest {
  readonly name: ReportName
  readonly query: Omit<ReportOptions, 'onProgress'>
  readonly format: Format
  readonly lang: Lang
  readonly out: string | undefined
}

const optional =
  <A>(decode: (u: unknown) => E.Either<string, A>) =>
  (u: unknown): E.Either<string, A | undefined> =>
    u === undefined ? E.right(undefined) : decode(u)

/**
 * The request of the command line: the report and its query decoded by the core's report codec (the one
 * the ledger decodes with), then the options of the output.
 */
const decodeRequest = (rawName: unknown, o: RawReportOptions): E.Either<string, ReportRequest> =>
  pipe(
    E.Do,
    E.apS(
      'asked',
      pipe(
        decodeAskedReport(rawName, {
          orgId: o.org,
          period: o.period,
          occupation: o.occupation,
          asOf: o.asOf,
          knownAt: o.knownAt,
          since: o.since,
          includeMerged: o.includeMerged,
        }),
        E.mapLeft(optionMessage),
      ),
    ),
    E.apS('format', decodeArg(Format, '--format')(o.format ?? 'text')),
    E.apS('lang', decodeArg(Lang, '--lang')(o.lang ?? 'vi')),
    E.apS('out', optional(decodeArg(t.string, '--out'))(o.out)),
    E.apS('replay', optional(decodeArg(t.boolean, '--replay'))(o.replay)),
    E.map(({ asked, format, lang, out, replay }) => ({
      name: asked.name,
      query: { ...asked.query, ...(replay === true ? { replay } : {}) },
      format,
      lang,
      out,
    })),
  )

/**
 * The checkpoint of `--at-checkpoint`, checked against the log: signed by `--public-key` when one is
 * given, and extended by the log (the chain verified and the root of its first `size` events equal to
 * the checkpoint's, reading the log once). A failure is said and its exit status returned.
 */
const checkpointOf = async (
  session: Session,
  store: EventStore,
  path: string,
  publicKey: string | undefined,
): Promise<E.Either<ExitStatus, ReportCheckpoint>> => {
  const { io } = session
  let checkpoint: LogCheckpoint
  if (publicKey === undefined) {
    const read = await readCheckpointFile(io, path)
    if (E.isLeft(read)) {
      await complain(io, read.left)
      return E.left(ExitStatus.failure)
    }
    checkpoint = read.right
  } else {
    const [note, key] = [await readTextFile(io, path), await readTextFile(io, publicKey)]
    if (E.isLeft(note) || E.isLeft(key)) {
      await complain(io, E.isLeft(note) ? note.left : E.isLeft(key) ? key.left : '')
      return E.left(ExitStatus.failure)
    }
    const opened = openCheckpoint(note.right, [key.right])
    if (E.isLeft(opened)) {
      await complain(io, `checkpoint ${path}: ${opened.left.code}: ${opened.left.message}`)
      return E.left(opened.left.code === 'bad-signature' ? ExitStatus.broken : ExitStatus.failure)
    }
    checkpoint = opened.right
  }
  const audit = await auditStore(session, store, { checkpoints: [checkpoint] })
  if (E.isLeft(audit)) {
    await complain(io, audit.left)
    return E.left(ExitStatus.failure)
  }
  const { chain, checkpoints } = audit.right
  const verdict = checkpoints[0]
  if (!chain.ok || verdict === undefined || !verdict.ok) {
    const why = !chain.ok
      ? `the log is broken at position ${chain.firstBrokenPosition}: ${chain.code}: ${chain.reason}`
      : verdict !== undefined && !verdict.ok
        ? `${verdict.code}: ${verdict.message}`
        : 'the log could not be compared with it'
    await complain(io, `checkpoint ${path} (${checkpoint.origin}, size ${checkpoint.size}): ${why}`)
    return E.left(ExitStatus.broken)
  }
  return E.right({
    origin: checkpoint.origin,
    size: checkpoint.size,
    rootHash: Buffer.from(checkpoint.root).toString('base64'),
  })
}

/** Computes and prints (or writes to `--out`) one report. */
export const reportCommand = async (
  session: Session,
  rawName: unknown,
  options: RawReportOptions,
  store?: EventStore,
): Promise<ExitStatus> => {
  const { io, ledger, progress } = session
  const request = decodeRequest(rawName, options)
  if (E.isLeft(request)) {
    await complain(io, request.left)
    return ExitStatus.failure
  }
  const { name, query, format, lang, out } = request.right
  if (out === undefined && format === 'xlsx' && io.stdout.isTTY) {
    await complain(io, 'an XLSX workbook is binary: pass --out FILE, or redirect standard output')
    return ExitStatus.failure
  }
  let checkpoint: ReportCheckpoint | undefined
  if (options.atCheckpoint !== undefined) {
    if (typeof options.atCheckpoint !== 'string' || store === undefined) return ExitStatus.usage
    const key = typeof options.publicKey === 'string' ? options.publicKey : undefined
    const checked = await checkpointOf(session, store, options.atCheckpoint, key)
    if (E.isLeft(checked)) return checked.left
    checkpoint = checked.right
  }
  const report = await ledger.report(name, session.actor, {
    ...query,
    ...(checkpoint === undefined ? {} : { atPosition: checkpoint.size }),
    onProgress: (done, total) => progress.update('replay', done, total),
  })()
  progress.stop()
  if (E.isLeft(report)) {
    await complain(io, describeLedgerError(report.left))
    return ExitStatus.failure
  }
  // The report names the published log it was computed at, in its header and its JSON.
  const computed: Report = checkpoint === undefined ? report.right : { ...report.right, checkpoint }
  // The blank-villages chart of an HTML page: the dates of --series, or each month end since --since.
  const dates =
    computed.report !== 'blank-villages' || format !== 'html'
      ? undefined
      : options.series !== undefined
        ? parseSeries(options.series)
        : computed.since === undefined
          ? undefined
          : E.right(monthlyDates(computed.since, computed.asOf))
  if (dates !== undefined && E.isLeft(dates)) {
    await complain(io, dates.left)
    return ExitStatus.failure
  }
  let blankVillages: HtmlOptions = {}
  if (dates !== undefined) {
    const points = await blankVillageSeries(
      ledger,
      session.actor,
      {
        ...query,
        asOf: computed.asOf,
        ...(checkpoint === undefined ? {} : { atPosition: checkpoint.size }),
      },
      dates.right,
    )
    if (E.isLeft(points)) {
      await complain(io, describeLedgerError(points.left))
      return ExitStatus.failure
    }
    blankVillages = { blankVillageSeries: points.right }
  }
  const rendered = await render(computed, { format, lang, ...blankVillages })()
  if (E.isLeft(rendered)) {
    await complain(io, `${rendered.left.code}: ${rendered.left.message}`)
    return ExitStatus.failure
  }
  try {
    if (out === undefined) await io.stdout.write(rendered.right)
    else await writeFile(resolve(io.cwd, out), rendered.right)
  } catch (cause) {
    await complain(
      io,
      `cannot write ${out ?? 'standard output'}: ${cause instanceof Error ? cause.message : String(cause)}`,
    )
    return ExitStatus.failure
  }
  return ExitStatus.ok
}
