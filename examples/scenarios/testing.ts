/**
 * Test helpers: a scenario's lines as stored envelopes (without a store), folded with the core
 * projections, and every line checked by the domain's validator, so that the examples' tests depend
 * on `@ketnap/core` only.
 */
import {
  decodeEvent,
  foldReports,
  partyDevelopment,
  runReport,
  streamOf,
  type DomainEvent,
  type Report,
  type ReportsState,
} from '@ketnap/core'
import type { Envelope, Json } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import type { FigureContext, ImportLine, Scenario } from './types'

/** The lines as minimal envelopes in log order (positions, stream versions; no hash chain). */
export const toEnvelopes = (lines: ReadonlyArray<ImportLine>): Envelope[] => {
  const versions = new Map<string, number>()
  return lines.map((line, i) => {
    const decoded = decodeEvent(line.type, line.data)
    if (E.isLeft(decoded)) throw new Error(`line ${i + 1}: ${decoded.left.map((e) => e.message).join('; ')}`)
    const stream = streamOf(decoded.right)
    const version = (versions.get(stream) ?? 0) + 1
    versions.set(stream, version)
    return {
      position: i + 1,
      stream,
      version,
      id: line.id,
      type: line.type,
      schemaVersion: 1,
      data: line.data as Json,
      recordedAt: line.recordedAt,
      actor: line.actor,
      prevHash: '',
      hash: '',
    }
  })
}

/** Folds a scenario's lines into the reports state. */
export const foldLines = (lines: ReadonlyArray<ImportLine>, knownAt?: string): ReportsState =>
  foldReports(toEnvelopes(lines), knownAt === undefined ? {} : { knownAt })

/** Runs every report of the scenario on a folded state; throws on a report error. */
export const runScenarioReports = (scenario: Scenario, state: ReportsState): Report[] =>
  scenario.reports.map((r) => {
    const result = runReport(state, r.name, r.query)
    if (E.isLeft(result)) throw new Error(`${r.name} ${r.query.orgId}: ${result.left.message}`)
    return result.right
  })

/** Builds a scenario, folds it and runs its reports: what its figures are read from. */
export const figureContext = (scenario: Scenario): FigureContext & { readonly state: ReportsState } => {
  const lines = scenario.build()
  const state = foldLines(lines)
  return { lines, state, reports: runScenarioReports(scenario, state) }
}

/** A line the validator rejected, with every rule it broke. */
export interface Rejection {
  /** 1-based line number in the checked log. */
  readonly line: number
  readonly type: string
  readonly errors: ReadonlyArray<string>
}

/**
 * Checks every line, in order, as an import would: decoded, then validated against the state of
 * everything before it, then folded in. Returns the rejected lines (at most `limit`), empty when all pass.
 */
export const validateLines = (lines: Iterable<ImportLine>, limit = 20): Rejection[] => {
  const { validator } = partyDevelopment()
  let state = validator.initialState()
  const rejected: Rejection[] = []
  let n = 0
  for (const line of lines) {
    n += 1
    const decoded = decodeEvent(line.type, line.data)
    if (E.isLeft(decoded)) {
      rejected.push({ line: n, type: line.type, errors: decoded.left.map((e) => `${e.code}: ${e.message}`) })
    } else {
      const event: DomainEvent = decoded.right
      const context = { stream: streamOf(event), recordedAt: line.recordedAt }
      const errors = validator.validate(state, event, context)
      if (errors.length > 0)
        rejected.push({ line: n, type: line.type, errors: errors.map((e) => `${e.code}: ${e.message}`) })
      else state = validator.evolve(state, event, context)
    }
    if (rejected.length >= limit) break
  }
  return rejected
}
