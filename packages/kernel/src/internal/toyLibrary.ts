/**
 * A toy domain, a lending library, that the kernel's own tests plug in to prove that the generic
 * append, import, replay, command and projection machinery knows nothing of parties.
 * @internal
 */
import * as E from 'fp-ts/Either'
import type { Decider } from '../decider'
import type { Domain, KeyedEntries } from '../domain'
import type { Json } from '../envelope'
import { domainError, type DomainError } from '../errors'
import type { Projection } from '../projection'
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

/** Loans per member, folded from the library's events. @internal */
export const loansProjection: Projection<Record<string, number>, LibraryEvent> = {
  name: 'loans',
  version: 1,
  init: () => ({}),
  apply: (state, event) => {
    if (event.type === 'BookLent') state[event.memberId] = (state[event.memberId] ?? 0) + 1
    return state
  },
}

/** The lending library as a pluggable domain. @internal */
export const libraryDomain: Domain<LibraryEvent, LibraryState> = {
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
  projections: [loansProjection as Projection<unknown, LibraryEvent>],
}

/** The library over keyed entries: every book and member a key. @internal */
const keyedLibrary = (entries: KeyedEntries): LibraryState => ({
  books: {
    get: (bookId) => entries.get(`b:${bookId}`) as { lentTo: string | null } | undefined,
    has: (bookId) => entries.get(`b:${bookId}`) !== undefined,
    set: (bookId, book) => entries.set(`b:${bookId}`, book),
  },
  members: {
    has: (memberId) => entries.get(`m:${memberId}`) !== undefined,
    add: (memberId) => entries.set(`m:${memberId}`, true),
  },
})

/**
 * The same library with its state kept by the kernel's write side: every book and member a keyed entry,
 * no global part (the one algorithm, with and without keyed state). @internal
 */
export const keyedLibraryDomain: Domain<LibraryEvent, LibraryState> = {
  ...libraryDomain,
  name: 'keyed lending library',
  validator: {
    ...libraryDomain.validator,
    stateVersion: 1,
    keyed: {
      keysOf: (_, event) =>
        event.type === 'MemberJoined'
          ? [`m:${event.memberId}`]
          : event.type === 'BookAdded'
            ? [`b:${event.bookId}`]
            : [`b:${event.bookId}`, `m:${event.memberId}`],
      withEntries: (entries) => keyedLibrary(entries),
      globalsOf: () => null,
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
