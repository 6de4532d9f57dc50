/**
 * A toy domain, a lending library, that the kernel's own tests plug in to prove that the generic
 * append, import, replay, command and projection machinery knows nothing of parties; it answers a report
 * (loans per member) from a projection and a read model of its own, so that the ledger's generic path
 * (`createDomainLedger`) is proved with it too (exported by `@ketnap/kernel/conformance`).
 * @internal
 */
import * as E from 'fp-ts/Either'
import type { Decider } from '../decider'
import type { KeyedEntries } from '../domain'
import type { Json } from '../envelope'
import { domainError, type DomainError } from '../errors'
import type { Projection } from '../projection'
import type { ReadModel } from '../readModel'
import type { Reporting, ReportingDomain, ReportingReadModel } from '../reporting'
import type { Upcaster } from '../upcaster'

/** The library's events. @internal */
export type LibraryEvent =
  | { readonly type: 'BookAdded'; readonly bookId: string; readonly title: string }
  | { readonly type: 'MemberJoined'; readonly memberId: string }
  | { readonly type: 'BookLent'; readonly bookId: string; readonly memberId: string }
  | { readonly type: 'BookReturned'; readonly bookId: string; readonly memberId: string }

/** The whole library as the rules see it (Maps and Sets, or views of keyed entries). @internal */
export interface LibraryState {
  readonly books: {
    readonly get: (bookId: string) => { lentTo: string | null } | undefined
    readonly has: (bookId: string) => boolean
    readonly set: (bookId: string, book: { lentTo: string | null }) => unknown
  }
  readonly members: {
    readonly has: (memberId: string) => boolean
    readonly add: (memberId: string) => unknown
  }
}

const stringField = (data: Record<string, unknown>, key: string): E.Either<DomainError, string> => {
  const v = data[key]
  return typeof v === 'string' && v !== ''
    ? E.right(v)
    : E.left(domainError('invalid-field', `${key} must be a non-empty string`, `data.${key}`))
}

/** Decodes a library event from its type and raw data. @internal */
export const decodeLibraryEvent = (
  type: string,
  data: unknown,
): E.Either<ReadonlyArray<DomainError>, LibraryEvent> => {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return E.left([domainError('invalid-field', 'data must be an object', 'data')])
  }
  const d = data as Record<string, unknown>
  const fields = (
    keys: ReadonlyArray<string>,
  ): E.Either<ReadonlyArray<DomainError>, Record<string, string>> => {
    const errors: DomainError[] = []
    const out: Record<string, string> = {}
    for (const key of keys) {
      const v = stringField(d, key)
      if (E.isLeft(v)) errors.push(v.left)
      else out[key] = v.right
    }
    return errors.length > 0 ? E.left(errors) : E.right(out)
  }
  switch (type) {
    case 'BookAdded':
      return E.map((f: Record<string, string>) => ({ type, bookId: f['bookId']!, title: f['title']! }))(
        fields(['bookId', 'title']),
      )
    case 'MemberJoined':
      return E.map((f: Record<string, string>) => ({ type, memberId: f['memberId']! }))(fields(['memberId']))
    case 'BookLent':
    case 'BookReturned':
      return E.map((f: Record<string, string>) => ({ type, bookId: f['bookId']!, memberId: f['memberId']! }))(
        fields(['bookId', 'memberId']),
      )
    default:
      return E.left([domainError('unknown-event-type', `unknown event type ${JSON.stringify(type)}`, 'type')])
  }
}

/** Encodes a library event. @internal */
export const encodeLibraryEvent = (event: LibraryEvent): { readonly type: string; readonly data: Json } => {
  const { type, ...data } = event
  return { type, data }
}

/** The stream of a library event. @internal */
export const libraryStreamOf = (event: LibraryEvent): string =>
  event.type === 'MemberJoined' ? `member-${event.memberId}` : `book-${event.bookId}`

/** BookAdded v1 called the title `name`. @internal */
export const bookAddedV1: Upcaster = {
  type: 'BookAdded',
  fromSchemaVersion: 1,
  upcast: (data) => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return E.left(domainError('invalid-field', 'data must be an object', 'data'))
    }
    const { name, ...rest } = data as { readonly [key: string]: Json }
    return E.right({ ...rest, title: name ?? null })
  },
}

/** The library's rules. @internal */
export const validateLibraryEvent = (
  state: LibraryState,
  event: LibraryEvent,
): ReadonlyArray<DomainError> => {
  switch (event.type) {
    case 'BookAdded':
      return state.books.has(event.bookId)
        ? [domainError('book-exists', `book ${event.bookId} is already in the library`, 'data.bookId')]
        : []
    case 'MemberJoined':
      return state.members.has(event.memberId)
        ? [domainError('member-exists', `member ${event.memberId} already joined`, 'data.memberId')]
        : []
    case 'BookLent': {
      const errors: DomainError[] = []
      const book = state.books.get(event.bookId)
      if (book === undefined)
        errors.push(domainError('unknown-book', `no book ${event.bookId}`, 'data.bookId'))
      else if (book.lentTo !== null)
        errors.push(
          domainError('book-on-loan', `book ${event.bookId} is lent to ${book.lentTo}`, 'data.bookId'),
        )
      if (!state.members.has(event.memberId))
        errors.push(domainError('unknown-member', `no member ${event.memberId}`, 'data.memberId'))
      return errors
    }
    case 'BookReturned': {
      const book = state.books.get(event.bookId)
      if (book === undefined) return [domainError('unknown-book', `no book ${event.bookId}`, 'data.bookId')]
      return book.lentTo === event.memberId
        ? []
        : [
            domainError(
              'not-borrower',
              `book ${event.bookId} is not lent to ${event.memberId}`,
              'data.memberId',
            ),
          ]
    }
  }
}

/** Folds an accepted event into the library (in place). @internal */
export const evolveLibrary = (state: LibraryState, event: LibraryEvent): LibraryState => {
  switch (event.type) {
    case 'BookAdded':
      state.books.set(event.bookId, { lentTo: null })
      break
    case 'MemberJoined':
      state.members.add(event.memberId)
      break
    case 'BookLent':
      state.books.set(event.bookId, { lentTo: event.memberId })
      break
    case 'BookReturned':
      state.books.set(event.bookId, { lentTo: null })
      break
  }
  return state
}

/** The library's one report: loans per member (one member's, or everyone's), as known at an instant. @internal */
export type LibraryReportName = 'loans'

/** The query of the loans report. @internal */
export interface LoansQuery {
  /** Only this member's loans; everyone's without it. */
  readonly memberId?: string
  /** Only the loans recorded at or before this instant (ISO 8601). */
  readonly knownAt?: string
}

/** The loans report. @internal */
export interface LoansReport {
  readonly report: 'loans'
  readonly memberId: string | null
  readonly knownAt: string | null
  /** Loans by member, members sorted. */
  readonly loans: Readonly<Record<string, number>>
  readonly total: number
}

/** Every loan recorded, in log order, with its record instant: what the loans report runs on. @internal */
export type LoansState = Array<{ readonly memberId: string; readonly recordedAt: string }>

/** The loans, folded from the log (the reference). @internal */
export const loanListProjection: Projection<LoansState, LibraryEvent> = {
  name: 'library-loans',
  version: 1,
  init: () => [],
  apply: (state, event, at) => {
    if (event.type === 'BookLent') state.push({ memberId: event.memberId, recordedAt: at.recordedAt })
    return state
  },
}

const LOANS_QUERY =
  'SELECT member_id, recorded_at FROM rm_library_loan WHERE pos <= $1 AND pos <= $2 ORDER BY pos'

/** The loans kept as a table in the store, one row per loan. @internal */
export const loansReadModel: ReportingReadModel<LibraryEvent, LoansState, LibraryReportName, LoansQuery> &
  ReadModel<LibraryEvent> = {
  name: 'library',
  version: 1,
  tables: [
    {
      name: 'rm_library_loan',
      columns: [
        { name: 'pos', type: 'integer' },
        { name: 'member_id', type: 'text' },
        { name: 'recorded_at', type: 'text' },
      ],
      primaryKey: ['pos'],
    },
  ],
  writes: (event, at) =>
    event.type === 'BookLent'
      ? [
          {
            sql: 'INSERT INTO rm_library_loan (pos, member_id, recorded_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            params: [at.position, event.memberId, at.recordedAt],
          },
        ]
      : [],
  reports: ['loans'],
  load: (_name, _query, bounds, tail) => ({
    queries: [{ sql: LOANS_QUERY, params: [bounds.position, bounds.known] }],
    assemble: (rows) => {
      const state: LoansState = (rows[0] ?? []).map((row) => {
        const memberId = row['member_id']
        const recordedAt = row['recorded_at']
        if (typeof memberId !== 'string' || typeof recordedAt !== 'string')
          throw new Error(`rm_library_loan: a malformed row ${JSON.stringify(row)}`)
        return { memberId, recordedAt }
      })
      // The events after the tables' position (a read-only store's tail), folded over the rows.
      for (const { event, position } of tail?.events ?? [])
        if (event.type === 'BookLent' && position <= bounds.known)
          state.push({ memberId: event.memberId, recordedAt: '' })
      return state
    },
  }),
}

/** Decodes the loans report's name and query from outside. @internal */
export const decodeLoansQuery = (
  name: unknown,
  query: unknown,
): E.Either<DomainError, { readonly name: LibraryReportName; readonly query: LoansQuery }> => {
  if (name !== 'loans') return E.left(domainError('unknown-report', `unknown report ${String(name)}`, 'name'))
  if (typeof query !== 'object' || query === null || Array.isArray(query))
    return E.left(domainError('invalid-query', 'a query must be an object', 'query'))
  const { memberId, knownAt } = query as Record<string, unknown>
  if (memberId !== undefined && (typeof memberId !== 'string' || memberId === ''))
    return E.left(domainError('invalid-query', 'memberId must be a non-empty string', 'memberId'))
  if (knownAt !== undefined && (typeof knownAt !== 'string' || Number.isNaN(Date.parse(knownAt))))
    return E.left(domainError('invalid-query', 'knownAt must be an ISO 8601 instant', 'knownAt'))
  return E.right({
    name,
    query: {
      ...(memberId === undefined ? {} : { memberId }),
      ...(knownAt === undefined ? {} : { knownAt }),
    },
  })
}

/** Runs the loans report: the projection's loans restricted to the member and the instant. @internal */
export const runLoans = (state: LoansState, query: LoansQuery): LoansReport => {
  const bound = query.knownAt === undefined ? Infinity : Date.parse(query.knownAt)
  const loans: Record<string, number> = {}
  let total = 0
  for (const loan of state) {
    if (loan.recordedAt !== '' && Date.parse(loan.recordedAt) > bound) continue
    if (query.memberId !== undefined && loan.memberId !== query.memberId) continue
    loans[loan.memberId] = (loans[loan.memberId] ?? 0) + 1
    total += 1
  }
  const sorted = Object.fromEntries(Object.entries(loans).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return {
    report: 'loans',
    memberId: query.memberId ?? null,
    knownAt: query.knownAt ?? null,
    loans: sorted,
    total,
  }
}

/** How the library answers its report. @internal */
export const libraryReporting: Reporting<
  LibraryEvent,
  LoansState,
  LibraryReportName,
  LoansQuery,
  LoansReport
> = {
  projection: loanListProjection,
  readModel: loansReadModel,
  decode: (name, query) => decodeLoansQuery(name, query),
  run: (state, _name, query) => E.right(runLoans(state, query)),
}

/** The lending library as a pluggable domain. @internal */
export const libraryDomain: ReportingDomain<
  LibraryEvent,
  LibraryState,
  LoansState,
  LibraryReportName,
  LoansQuery,
  LoansReport
> = {
  name: 'lending library',
  decode: decodeLibraryEvent,
  encode: encodeLibraryEvent,
  schemaVersionOf: (type) => (type === 'BookAdded' ? 2 : 1),
  streamOf: libraryStreamOf,
  upcasters: [bookAddedV1],
  validator: {
    initialState: () => ({ books: new Map(), members: new Set() }),
    validate: (state, event) => validateLibraryEvent(state, event),
    evolve: (state, event) => evolveLibrary(state, event),
  },
  readModels: [loansReadModel],
  reporting: libraryReporting,
}

/** The library over keyed entries: every book a key, the members a global part. @internal */
const keyedLibrary = (entries: KeyedEntries, members: Set<string>): LibraryState => ({
  books: {
    get: (bookId) => entries.get(`b:${bookId}`) as { lentTo: string | null } | undefined,
    has: (bookId) => entries.get(`b:${bookId}`) !== undefined,
    set: (bookId, book) => entries.set(`b:${bookId}`, book),
  },
  members,
})

/**
 * The same library with its state kept by the kernel's write side: every book a keyed entry, the set of
 * members its global part (the one algorithm, with and without keyed state). @internal
 */
export const keyedLibraryDomain: ReportingDomain<
  LibraryEvent,
  LibraryState,
  LoansState,
  LibraryReportName,
  LoansQuery,
  LoansReport
> = {
  ...libraryDomain,
  name: 'keyed lending library',
  validator: {
    ...libraryDomain.validator,
    stateVersion: 1,
    keyed: {
      keysOf: (_, event) => (event.type === 'MemberJoined' ? [] : [`b:${event.bookId}`]),
      withEntries: (entries, globals) =>
        keyedLibrary(entries, globals instanceof Set ? (globals as Set<string>) : new Set()),
      globalsOf: (state) => state.members,
      // A book kept as a one-element row, [lentTo]: the kernel writes and reads rows through it.
      rows: {
        toRow: (_, value) => [(value as { lentTo: string | null }).lentTo],
        fromRow: (_, row) => ({ lentTo: (row as [string | null])[0] }),
      },
    },
  },
}

/** Commands on one book. @internal */
export type BookCommand =
  | { readonly type: 'AddBook'; readonly bookId: string; readonly title: string }
  | { readonly type: 'Lend'; readonly bookId: string; readonly memberId: string }
  | { readonly type: 'Return'; readonly bookId: string; readonly memberId: string }

/** One book's state. @internal */
export type BookState =
  | { readonly status: 'absent' }
  | { readonly status: 'shelved' }
  | { readonly status: 'lent'; readonly to: string }

/** The decider of one book (a stream `book-<id>`). @internal */
export const bookDecider: Decider<BookCommand, LibraryEvent, BookState> = {
  initialState: { status: 'absent' },
  decide: (command, state) => {
    switch (command.type) {
      case 'AddBook':
        return state.status === 'absent'
          ? E.right([{ type: 'BookAdded', bookId: command.bookId, title: command.title }])
          : E.left(domainError('book-exists', `book ${command.bookId} is already in the library`))
      case 'Lend':
        if (state.status === 'absent') return E.left(domainError('unknown-book', `no book ${command.bookId}`))
        if (state.status === 'lent')
          return E.left(domainError('book-on-loan', `book ${command.bookId} is lent to ${state.to}`))
        return E.right([{ type: 'BookLent', bookId: command.bookId, memberId: command.memberId }])
      case 'Return':
        return state.status === 'lent' && state.to === command.memberId
          ? E.right([{ type: 'BookReturned', bookId: command.bookId, memberId: command.memberId }])
          : E.left(domainError('not-borrower', `book ${command.bookId} is not lent to ${command.memberId}`))
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'BookAdded':
      case 'BookReturned':
        return { status: 'shelved' }
      case 'BookLent':
        return { status: 'lent', to: event.memberId }
      case 'MemberJoined':
        return state
    }
  },
}
