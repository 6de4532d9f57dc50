/**
 * How a domain answers its reports, declared with the domain so that the ledger, the runners and the
 * read-model tables work for any domain: a projection folded from the log (the reference, replayed), a
 * read model kept as tables whose rows rebuild the same state for a report, and the report code run on
 * either state.
 */
import type * as E from 'fp-ts/Either'
import type { Domain } from './domain'
import type { DomainError } from './errors'
import type { Projection } from './projection'
import type { ReadModel, SqlRow, SqlStatement } from './readModel'

/** The log a report's rows are read at. */
export interface ReadBounds {
  /** Rows recorded after it are not read, and later changes after it did not happen. */
  readonly position: number
  /** The last position known at the query's `knownAt` (`position` without one). */
  readonly known: number
}

/** A report's queries, and the state their rows make. */
export interface ReportLoad<S, Ev = never> {
  readonly queries: ReadonlyArray<SqlStatement>
  /** The state of the first `position` events restricted to what the report reads; throws on a malformed row. */
  readonly assemble: (rows: ReadonlyArray<ReadonlyArray<SqlRow>>) => S
  /**
   * Events of the log the state also needs, read after the rows (decoded as the reports read the log:
   * on an encrypted store, opened with their persons' keys) and applied to the assembled state: what
   * the tables do not keep, for the few events the rows name.
   */
  readonly events?: ReportEvents<S, Ev>
}

/** Events a report reads from the log besides its rows (`ReportLoad.events`). */
export interface ReportEvents<S, Ev> {
  /** The positions of the events to read, from the assembled state. */
  readonly positions: (state: S) => ReadonlyArray<number>
  /** The state with those events applied (given in log order; throws on one it cannot read). */
  readonly apply: (state: S, events: ReadonlyArray<{ readonly event: Ev; readonly position: number }>) => S
}

/**
 * The events after the position the tables stand at, decoded, up to the report's position: a store
 * opened read-only folds them over the rows in memory instead of writing them.
 */
export interface ReportTail<Ev> {
  /** The position the tables stand at. */
  readonly from: number
  /** The events after it, in log order, up to the report's position. */
  readonly events: ReadonlyArray<{ readonly event: Ev; readonly position: number }>
}

/** A read model that answers reports: the tables, and for each report it answers, the rows it reads. */
export interface ReportingReadModel<Ev, S, Name extends string, Q> extends ReadModel<Ev> {
  /** The reports answered from the tables (the others replay the log). */
  readonly reports: ReadonlyArray<Name>
  /**
   * A report's queries at a log position and known-at bound, with the tail to fold over the rows when
   * the tables stand behind that position; null when the tables do not answer it (or not with a tail).
   */
  readonly load: (name: Name, query: Q, bounds: ReadBounds, tail?: ReportTail<Ev>) => ReportLoad<S, Ev> | null
}

/** A report's query: whatever the domain asks, and optionally the instant it is known at. */
export interface ReportingQuery {
  /** Only what was recorded at or before this instant (ISO 8601); a prefix of the log. */
  readonly knownAt?: string
}

/** How a domain answers its reports: a projection replayed as the reference, and one of `Domain.readModels`. */
export interface Reporting<Ev, S, Name extends string, Q extends ReportingQuery, R> {
  /** The fold of the log every report runs on: the reference, replayed when the tables cannot answer. */
  readonly projection: Projection<S, Ev>
  /** The tables kept in the store whose rows rebuild that state for the reports they answer. */
  readonly readModel: ReportingReadModel<Ev, S, Name, Q>
  /**
   * Decodes a report's name and query from outside, once, where the ledger is called: the one place
   * they are checked, each refusal naming its field (the read model's loads and `run` trust what they
   * are given). `now` is the caller's clock, for a query whose date defaults to today.
   */
  readonly decode: (
    name: unknown,
    query: unknown,
    now: Date,
  ) => E.Either<DomainError, { readonly name: Name; readonly query: Q }>
  /** Runs one report on a decoded query, on a state (folded or assembled from rows). */
  readonly run: (state: S, name: Name, query: Q) => E.Either<DomainError, R>
}

/**
 * A domain that answers reports: its `reporting` folds its projection and reads one of its `readModels`. What a ledger needs of a domain to import, report, verify and export (the ledger's
 * `createDomainLedger`).
 */
export interface ReportingDomain<Ev, W, S, Name extends string, Q extends ReportingQuery, R> extends Domain<
  Ev,
  W
> {
  readonly reporting: Reporting<Ev, S, Name, Q, R>
}
