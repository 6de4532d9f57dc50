import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { handleCommand, type CommandHandler } from './commandHandler'
import { domainError } from './errors'
import type { EventStore } from './eventStore'
import { createInMemoryEventStore } from './inMemoryEventStore'
import {
  bookDecider,
  decodeLibraryEvent,
  encodeLibraryEvent,
  type BookCommand,
  type BookState,
  type LibraryEvent,
} from './internal/toyLibrary'

const books: CommandHandler<BookCommand, LibraryEvent, BookState> = {
  decider: bookDecider,
  streamOf: (command) => `book-${command.bookId}`,
  encode: encodeLibraryEvent,
  decode: (envelope) =>
    E.mapLeft(() => domainError('unreadable', `position ${envelope.position}`))(
      decodeLibraryEvent(envelope.type, envelope.data),
    ),
  schemaVersionOf: (type) => (type === 'BookAdded' ? 2 : 1),
}

/** A store where another writer appends to the stream right after every read: every append conflicts. */
const contested = (store: EventStore): EventStore => ({
  ...store,
  readStream: (stream, options) => async () => {
    const read = await store.readStream(stream, options)()
    await store.append(stream, [{ type: 'MemberJoined', data: { memberId: 'intruder' } }], {
      expectedVersion: 'any',
    })()
    return read
  },
})

describe('handleCommand', () => {
  it('reads, decides and appends with the expected version', async () => {
    const store = createInMemoryEventStore()
    const added = await handleCommand(
      store,
      books,
      { type: 'AddBook', bookId: 'b1', title: 'Kiều' },
      { actor: 'clerk' },
    )()
    expect(added).toMatchObject(
      E.right({ state: { status: 'shelved' }, appended: [{ version: 1, schemaVersion: 2, actor: 'clerk' }] }),
    )
    const lent = await handleCommand(store, books, { type: 'Lend', bookId: 'b1', memberId: 'm1' })()
    expect(lent).toMatchObject(E.right({ state: { status: 'lent', to: 'm1' }, appended: [{ version: 2 }] }))
    expect(await handleCommand(store, books, { type: 'Lend', bookId: 'b1', memberId: 'm2' })()).toMatchObject(
      E.left({ code: 'book-on-loan' }),
    )
  })

  it('decides again on the new state after a conflict: of two racing loans one wins, the other is refused', async () => {
    const store = createInMemoryEventStore()
    await handleCommand(store, books, { type: 'AddBook', bookId: 'b1', title: 'Kiều' })()
    const [a, b] = await Promise.all([
      handleCommand(store, books, { type: 'Lend', bookId: 'b1', memberId: 'm1' })(),
      handleCommand(store, books, { type: 'Lend', bookId: 'b1', memberId: 'm2' })(),
    ])
    expect([a, b].filter(E.isRight)).toHaveLength(1)
    expect([a, b].find(E.isLeft)).toMatchObject(E.left({ code: 'book-on-loan' }))
    expect(await store.streamVersion('book-b1')()).toEqual(E.right(2))
  })

  it('gives up with the ConcurrencyError after the bounded number of retries', async () => {
    const store = createInMemoryEventStore()
    const result = await handleCommand(
      contested(store),
      books,
      { type: 'AddBook', bookId: 'b1', title: 't' },
      { maxRetries: 2 },
    )()
    expect(result).toMatchObject(E.left({ _tag: 'ConcurrencyError', stream: 'book-b1' }))
    // Three reads (one try and two retries), each followed by the intruder's append; nothing of ours.
    expect(await store.streamVersion('book-b1')()).toEqual(E.right(3))
  })
})
