/**
 * `ketnap history PERSON`: one person's trail the way an auditor reads a file: each event with its
 * business date, when it was recorded and by whom, and its place in the chain.
 */
import type { Envelope } from '@ketnap/kernel'
import { describeLedgerError, exportLine } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { decodeArg } from '../args'
import { ExitStatus } from '../exitStatus'
import { complain, say, type Session } from '../session'

/** The formats of `ketnap history`: an auditor's text, or the envelopes as JSON Lines. */
export const HistoryFormat = t.keyof({ text: null, json: null }, 'HistoryFormat')
/** The formats of `ketnap history`. */
export type HistoryFormat = t.TypeOf<typeof HistoryFormat>

const businessDate = (e: Envelope): string => {
  const data = e.data
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const on = (data as { readonly on?: unknown }).on
    if (typeof on === 'string') return on
  }
  return '—'
}

/** The data without the business date, which has a column of its own. */
const details = (e: Envelope): string => {
  const data = e.data
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return JSON.stringify(data)
  const { on: _on, personId: _personId, ...rest } = data as Record<string, unknown>
  return JSON.stringify(rest)
}

/** One event as a block of text. */
const describe = (e: Envelope): string =>
  [
    `#${e.position}  ${businessDate(e)}  ${e.type}`,
    `    recorded ${e.recordedAt} by ${e.actor ?? '(unknown)'}; ${e.stream} v${e.version}; id ${e.id}`,
    `    ${details(e)}`,
    `    hash ${e.hash}`,
  ].join('\n')

/** Prints every event of one person. */
export const historyCommand = async (
  session: Session,
  rawPerson: unknown,
  rawFormat: unknown,
): Promise<ExitStatus> => {
  const { io, ledger } = session
  const format = decodeArg(HistoryFormat, '--format')(rawFormat ?? 'text')
  const person = decodeArg(t.string, 'PERSON')(rawPerson)
  if (E.isLeft(format) || E.isLeft(person)) {
    await complain(io, E.isLeft(format) ? format.left : E.isLeft(person) ? person.left : '')
    return ExitStatus.failure
  }
  const history = await ledger.history(person.right, session.actor)()
  if (E.isLeft(history)) {
    await complain(io, describeLedgerError(history.left))
    return ExitStatus.failure
  }
  if (format.right === 'json') {
    for (const e of history.right) await say(io, exportLine(e))
    return ExitStatus.ok
  }
  await say(
    io,
    `person ${person.right}: ${history.right.length} event(s); date of the fact, then when and by whom it was recorded`,
  )
  for (const e of history.right) await say(io, `\n${describe(e)}`)
  return ExitStatus.ok
}
