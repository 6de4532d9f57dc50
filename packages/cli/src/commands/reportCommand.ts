/**
 * `ketnap report NAME --org ORG [...]`: one report computed by replaying the log, in the chosen format
 * and language.
 */
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { Instant, LocalDate, Period, REPORT_NAMES, type ReportName } from '@ketnap/core'
import { describeLedgerError, type ReportOptions } from '@ketnap/ledger'
import { render } from '@ketnap/report'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import { decodeArg, Format, Lang } from '../args'
import { ExitStatus } from '../exitStatus'
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
}

const ReportNameArg = t.keyof(
  Object.fromEntries(REPORT_NAMES.map((n) => [n, null])) as Record<ReportName, null>,
  'ReportName',
)

// What the date and period options take, for the message that refuses a value.
const DATE = 'a calendar date YYYY-MM-DD (one that exists)'
const INSTANT = 'an ISO 8601 instant with its offset, e.g. 2016-11-18T09:00:00+07:00'
const PERIOD = 'YYYY, YYYY-YYYY or YYYY-MM-DD/YYYY-MM-DD (calendar dates, the first not after the last)'

const optional =
  <A>(decode: (u: unknown) => E.Either<string, A>) =>
  (u: unknown): E.Either<string, A | undefined> =>
    u === undefined ? E.right(undefined) : decode(u)

/** The report's query and output, decoded from the command line. */
interface ReportRequest {
  readonly name: ReportName
  readonly query: Omit<ReportOptions, 'onProgress'>
  readonly format: Format
  readonly lang: Lang
  readonly out: string | undefined
}

const decodeRequest = (rawName: unknown, o: RawReportOptions): E.Either<string, ReportRequest> =>
  pipe(
    E.Do,
    E.apS(
      'name',
      pipe(
        ReportNameArg.decode(rawName),
        E.mapLeft(() => `unknown report ${JSON.stringify(rawName)}: one of ${REPORT_NAMES.join(', ')}`),
      ),
    ),
    E.apS(
      'orgId',
      o.org === undefined ? E.left('--org ORG is required') : decodeArg(t.string, '--org')(o.org),
    ),
    E.apS('period', optional(decodeArg(Period, '--period', PERIOD))(o.period)),
    E.apS('occupation', optional(decodeArg(t.string, '--occupation'))(o.occupation)),
    E.apS('asOf', optional(decodeArg(LocalDate, '--as-of', DATE))(o.asOf)),
    E.apS('knownAt', optional(decodeArg(Instant, '--known-at', INSTANT))(o.knownAt)),
    E.apS('since', optional(decodeArg(LocalDate, '--since', DATE))(o.since)),
    E.apS('format', decodeArg(Format, '--format')(o.format ?? 'text')),
    E.apS('lang', decodeArg(Lang, '--lang')(o.lang ?? 'vi')),
    E.apS('out', optional(decodeArg(t.string, '--out'))(o.out)),
    E.map(({ name, orgId, period, occupation, asOf, knownAt, since, format, lang, out }) => ({
      name,
      query: {
        orgId,
        ...(period === undefined ? {} : { period }),
        ...(occupation === undefined ? {} : { occupation }),
        ...(asOf === undefined ? {} : { asOf }),
        ...(knownAt === undefined ? {} : { knownAt }),
        ...(since === undefined ? {} : { since }),
      },
      format,
      lang,
      out,
    })),
  )

/** Computes and prints (or writes to `--out`) one report. */
export const reportCommand = async (
  session: Session,
  rawName: unknown,
  options: RawReportOptions,
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
  const report = await ledger.report(name, {
    ...query,
    onProgress: (done, total) => progress.update('replay', done, total),
  })()
  progress.stop()
  if (E.isLeft(report)) {
    await complain(io, describeLedgerError(report.left))
    return ExitStatus.failure
  }
  const rendered = await render(report.right, { format, lang })()
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
