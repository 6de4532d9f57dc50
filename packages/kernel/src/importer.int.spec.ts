import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import type { Envelope } from './envelope'
import { verifyChain } from './hashChain'
import { importJsonLines } from './importer'
import { createInMemoryEventStore } from './inMemoryEventStore'
import { libraryDomain } from './internal/toyLibrary'
import { replay } from './replay'

let n = 0
const clock = () => {
  return { now: () => new Date('2024-03-01T00:00:00.000Z'), newId: () => `gen-${++n}` }
}
const newStore = () => createInMemoryEventStore(clock())
/** The import clock of a later day than `valid`'s last instant (lines without recordedAt take it). */
const later = () => ({ ...clock(), now: () => new Date('2024-03-05T00:00:00.000Z') })
const line = (value: unknown) => JSON.stringify(value)

const readLog = async (store: ReturnType<typeof newStore>): Promise<Envelope[]> => {
  const log: Envelope[] = []
  for await (const batch of store.readAll()) {
    if (E.isLeft(batch)) throw new Error(JSON.stringify(batch.left))
    log.push(...batch.right)
  }
  return log
}

const exportText = (log: ReadonlyArray<Envelope>): string =>
  log
    .map((e) =>
      line({
        position: e.position,
        stream: e.stream,
        version: e.version,
        id: e.id,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        recordedAt: e.recordedAt,
        actor: e.actor,
        prevHash: e.prevHash,
        hash: e.hash,
      }),
    )
    .join('\n') + '\n'

const valid = [
  line({
    type: 'MemberJoined',
    data: { memberId: 'm1' },
    recordedAt: '2024-01-01T08:00:00+07:00',
    actor: 'clerk',
  }),
  line({ type: 'BookAdded', data: { bookId: 'b1', title: 'Truyện Kiều' }, id: 'add-b1' }),
  '',
  line({ type: 'BookLent', data: { bookId: 'b1', memberId: 'm1' } }),
  line({ type: 'BookReturned', data: { bookId: 'b1', memberId: 'm1' }, recordedAt: '2024-03-02T00:00:00Z' }),
].join('\n')

describe('importJsonLines', () => {
  it('imports a valid file in one append, with defaults from the import clock', async () => {
    const store = newStore()
    const progress: number[] = []
    const result = await importJsonLines(store, libraryDomain, valid, {
      ...clock(),
      onProgress: (linesRead) => progress.push(linesRead),
    })()
    expect(result).toMatchObject(E.right({ appended: 4, skipped: 0, head: { position: 4 } }))
    const log = await readLog(store)
    expect(log.map((e) => [e.stream, e.version, e.type, e.recordedAt, e.actor])).toEqual([
      ['member-m1', 1, 'MemberJoined', '2024-01-01T01:00:00.000Z', 'clerk'],
      ['book-b1', 1, 'BookAdded', '2024-03-01T00:00:00.000Z', null],
      ['book-b1', 2, 'BookLent', '2024-03-01T00:00:00.000Z', null],
      ['book-b1', 3, 'BookReturned', '2024-03-02T00:00:00.000Z', null],
    ])
    expect(log[1]?.schemaVersion).toBe(2)
    expect((await verifyChain(log)).ok).toBe(true)
    expect(progress.at(-1)).toBe(4)
  })

  it('reports every invalid line with its physical number and writes nothing', async () => {
    const store = newStore()
    const text = [
      line({ type: 'MemberJoined', data: { memberId: 'm1' } }), // 1 ok
      '{"type": "BookAdded", ', // 2 invalid-json
      '', // 3 blank, counted
      line({ type: 'BookLent', data: { bookId: 'b9', memberId: 'm1' } }), // 4 unknown-book
      line({ type: 'BookAdded', data: { bookId: 'b1' } }), // 5 invalid-field title
      line({ type: 'BookAdded', data: { bookId: 'b1', title: 'x' }, recordedAt: '2020-01-01T00:00:00Z' }), // 6 record-clock
      line({ type: 'Nope', data: {} }), // 7 unknown-event-type
      line({ data: {} }), // 8 missing-field
      line({ type: 'MemberJoined', data: { memberId: 'm2' }, version: 2 }), // 9 envelope-mismatch
      line({ type: 'MemberJoined', data: { memberId: 'm3' }, recordedAt: '2024-01-01T00:00:00' }), // 10 invalid-instant
      line({ type: 'MemberJoined', data: { memberId: 'm4' }, extra: 1 }), // 11 unknown-field
    ].join('\n')
    const result = await importJsonLines(store, libraryDomain, text, clock())()
    expect(E.isLeft(result)).toBe(true)
    const errors = E.isLeft(result) && result.left._tag === 'ImportFailure' ? result.left.errors : []
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [2, 'invalid-json'],
      [4, 'unknown-book'],
      [5, 'invalid-field'],
      [6, 'record-clock'],
      [7, 'unknown-event-type'],
      [8, 'missing-field'],
      [9, 'envelope-mismatch'],
      [10, 'invalid-instant'],
      [11, 'unknown-field'],
    ])
    expect(errors.find((e) => e.line === 5)?.path).toBe('data.title')
    expect(await store.headPosition()()).toEqual(E.right(0))
  })

  it('refuses a line without recordedAt when the log already holds a later instant, never clamping it', async () => {
    const store = newStore()
    // The import clock (clock(): 2024-03-01) is earlier than what the log holds.
    const first = line({ type: 'MemberJoined', data: { memberId: 'm1' }, recordedAt: '2030-01-01T00:00:00Z' })
    expect(E.isRight(await importJsonLines(store, libraryDomain, first, clock())())).toBe(true)
    const text = [
      line({ type: 'MemberJoined', data: { memberId: 'm2' } }),
      line({ type: 'MemberJoined', data: { memberId: 'm3' }, recordedAt: '2032-02-01T00:00:00Z' }),
    ].join('\n')
    const result = await importJsonLines(store, libraryDomain, text, clock())()
    const errors = E.isLeft(result) && result.left._tag === 'ImportFailure' ? result.left.errors : []
    expect(errors.map((e) => [e.line, e.code, e.path])).toEqual([[1, 'record-clock', 'recordedAt']])
    expect(errors[0]?.message).toContain("the import's time 2024-03-01T00:00:00.000Z")
    expect(await store.headPosition()()).toEqual(E.right(1))
    // A later import clock gives the line its own time.
    const afterIt = { ...clock(), now: () => new Date('2031-05-05T00:00:00Z') }
    expect(E.isRight(await importJsonLines(store, libraryDomain, text, afterIt)())).toBe(true)
    const log = await readLog(store)
    expect(log.map((e) => e.recordedAt)).toEqual([
      '2030-01-01T00:00:00.000Z',
      '2031-05-05T00:00:00.000Z',
      '2032-02-01T00:00:00.000Z',
    ])
  })

  it('refuses U+0000 in an id, an actor or a stream as a line of its own, the other lines still named', async () => {
    const store = newStore()
    const text = [
      '{"type": "MemberJoined", ', // 1 invalid-json
      line({ type: 'MemberJoined', data: { memberId: 'm1' }, id: 'a\u0000b' }), // 2
      line({ type: 'MemberJoined', data: { memberId: 'm2' }, actor: 'x\u0000' }), // 3
      line({ type: 'MemberJoined', data: { memberId: 'm\u00003' } }), // 4: its stream
      line({ type: 'MemberJoined', data: { memberId: 'm4' } }), // 5 fine
      line({ type: 'Nope', data: {} }), // 6
    ].join('\n')
    const result = await importJsonLines(store, libraryDomain, text, clock())()
    const errors = E.isLeft(result) && result.left._tag === 'ImportFailure' ? result.left.errors : []
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [1, 'invalid-json'],
      [2, 'invalid-text'],
      [3, 'invalid-text'],
      [4, 'invalid-text'],
      [6, 'unknown-event-type'],
    ])
    expect(await store.headPosition()()).toEqual(E.right(0))
  })

  it('refuses a line that names a field twice in one object, rather than keep one of the values', async () => {
    const store = newStore()
    const text = [
      '{"type":"BookAdded","data":{"bookId":"b1","title":"First","title":"Second"}}',
      '{"type":"MemberJoined","data":{"memberId":"m1"},"recordedAt":"2024-01-01T00:00:00Z","recordedAt":"2024-02-01T00:00:00Z"}',
      line({ type: 'MemberJoined', data: { memberId: 'm2' } }),
    ].join('\n')
    const result = await importJsonLines(store, libraryDomain, text, clock())()
    const errors = E.isLeft(result) && result.left._tag === 'ImportFailure' ? result.left.errors : []
    expect(errors.map((e) => [e.line, e.code, e.message])).toEqual([
      [1, 'invalid-json', 'the name "title" appears twice in one object'],
      [2, 'invalid-json', 'the name "recordedAt" appears twice in one object'],
    ])
    expect(await store.headPosition()()).toEqual(E.right(0))
  })

  it('tells which lines it is done with as it goes, the refused ones too, and every line at the end', async () => {
    // Batches of 100 lines: 2,000 refused lines, then 300 valid ones (fewer than a chunk).
    const batches = Array.from(
      { length: 23 },
      (_, b) =>
        `${Array.from({ length: 100 }, (_, i) =>
          b < 20
            ? line({ type: 'Nope', data: {} })
            : line({ type: 'MemberJoined', data: { memberId: `m${b * 100 + i}` } }),
        ).join('\n')}\n`,
    )
    const told: number[] = []
    const result = await importJsonLines(newStore(), libraryDomain, batches, {
      ...clock(),
      onChecked: (checked) => told.push(checked),
    })()
    expect(E.isLeft(result)).toBe(true)
    // Each refused batch when it was read; the valid lines wait for their chunk's check, at the end.
    expect(told).toEqual([
      ...Array.from({ length: 20 }, (_, b) => (b + 1) * 100),
      2000,
      2000,
      2000,
      Number.MAX_SAFE_INTEGER,
    ])
  })

  it('checks the lines after an invalid one as if it were absent', async () => {
    const text = [
      line({ type: 'MemberJoined', data: { memberId: '' } }), // invalid: m1 never joins
      line({ type: 'BookAdded', data: { bookId: 'b1', title: 't' } }),
      line({ type: 'BookLent', data: { bookId: 'b1', memberId: 'm1' } }), // unknown-member
      line({ type: 'BookAdded', data: { bookId: 'b2', title: 't' }, recordedAt: '2000-01-01T00:00:00Z' }), // record-clock
      line({ type: 'BookAdded', data: { bookId: 'b2', title: 't' } }), // fine: the one above is absent
    ].join('\n')
    const result = await importJsonLines(newStore(), libraryDomain, text, clock())()
    const errors = E.isLeft(result) && result.left._tag === 'ImportFailure' ? result.left.errors : []
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [1, 'invalid-field'],
      [3, 'unknown-member'],
      [4, 'record-clock'],
    ])
  })

  it('checks the chunks after an invalid one against the valid lines before them (ids, rules)', async () => {
    // More lines than a chunk, so that what the lines after the invalid one see comes from the session.
    const books = Array.from({ length: 1500 }, (_, i) =>
      line({ type: 'BookAdded', data: { bookId: `b${i}`, title: 't' }, id: `add-b${i}` }),
    )
    const text = [
      line({ type: 'MemberJoined', data: { memberId: '' } }), // invalid
      ...books,
      line({ type: 'BookAdded', data: { bookId: 'b5', title: 'other' }, id: 'add-b5' }), // id-conflict
      books[7]!, // the same event again: skipped
      line({ type: 'BookAdded', data: { bookId: 'b9', title: 't' } }), // book-exists
    ].join('\n')
    const store = newStore()
    const result = await importJsonLines(store, libraryDomain, text, clock())()
    const errors = E.isLeft(result) && result.left._tag === 'ImportFailure' ? result.left.errors : []
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [1, 'invalid-field'],
      [1502, 'id-conflict'],
      [1504, 'book-exists'],
    ])
    expect(await store.headPosition()()).toEqual(E.right(0))
  })

  it('validates against the stored log and skips ids already stored or repeated', async () => {
    const store = newStore()
    await importJsonLines(store, libraryDomain, valid, clock())()
    const again = [
      line({ type: 'BookAdded', data: { bookId: 'b1', title: 'Truyện Kiều' }, id: 'add-b1' }), // stored: skipped
      line({ type: 'BookLent', data: { bookId: 'b1', memberId: 'm1' }, id: 'x' }),
      line({ type: 'BookLent', data: { bookId: 'b1', memberId: 'm1' }, id: 'x' }), // earlier in file: skipped
    ].join('\n')
    const result = await importJsonLines(store, libraryDomain, again, later())()
    expect(result).toMatchObject(E.right({ appended: 1, skipped: 2, head: { position: 5 } }))
    const lentAgain = await importJsonLines(
      store,
      libraryDomain,
      line({ type: 'BookLent', data: { bookId: 'b1', memberId: 'm1' } }),
      later(),
    )()
    expect(lentAgain).toMatchObject(E.left({ errors: [{ line: 1, code: 'book-on-loan' }] }))
  })

  it('refuses a line whose id is stored, or given earlier in the file, with other content (id-conflict)', async () => {
    const store = newStore()
    await importJsonLines(store, libraryDomain, valid, clock())()
    const before = await readLog(store)
    const conflicting = [
      // The stored event under another title, and once more with another recordedAt or actor.
      line({ type: 'BookAdded', data: { bookId: 'b1', title: 'again' }, id: 'add-b1' }),
      line({ type: 'BookAdded', data: { bookId: 'b1', title: 'Truyện Kiều' }, id: 'add-b1', actor: 'clerk' }),
      line({
        type: 'BookAdded',
        data: { bookId: 'b1', title: 'Truyện Kiều' },
        id: 'add-b1',
        recordedAt: '2030-01-01T00:00:00Z',
      }),
      // The same stored event, recordedAt restated in another offset: the same instant, skipped.
      line({
        type: 'BookAdded',
        data: { bookId: 'b1', title: 'Truyện Kiều' },
        id: 'add-b1',
        recordedAt: '2024-03-01T07:00:00+07:00',
      }),
      line({ type: 'MemberJoined', data: { memberId: 'm2' }, id: 'm2-joined' }),
      line({ type: 'MemberJoined', data: { memberId: 'm3' }, id: 'm2-joined' }), // earlier in the file
    ].join('\n')
    const result = await importJsonLines(store, libraryDomain, conflicting, later())()
    expect(result).toMatchObject(
      E.left({
        errors: [
          { line: 1, code: 'id-conflict', path: 'id' },
          { line: 2, code: 'id-conflict', path: 'id' },
          { line: 3, code: 'id-conflict', path: 'id' },
          { line: 6, code: 'id-conflict', path: 'id' },
        ],
      }),
    )
    expect(await readLog(store)).toEqual(before)
  })

  it('refuses a line that is not UTF-8 or longer than the limit, naming it, without holding it whole', async () => {
    const store = newStore()
    const good = Buffer.from(line({ type: 'MemberJoined', data: { memberId: 'm1' } }) + '\n')
    const notUtf8 = Buffer.concat([
      Buffer.from('{"type":"MemberJoined","data":{"memberId":"m'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}\n'),
    ])
    const long = Buffer.from(line({ type: 'MemberJoined', data: { memberId: 'x'.repeat(5000) } }) + '\n')
    // Split into small chunks, so that the long line spans many of them.
    const last = Buffer.from(line({ type: 'MemberJoined', data: { memberId: 'm9' } }))
    const bytes = Buffer.concat([good, notUtf8, long, last])
    const chunks = async function* () {
      for (let i = 0; i < bytes.length; i += 100) yield bytes.subarray(i, i + 100)
    }
    const result = await importJsonLines(
      store,
      libraryDomain,
      { bytes: chunks() },
      {
        ...clock(),
        maxLineBytes: 1000,
      },
    )()
    expect(result).toMatchObject(
      E.left({
        errors: [
          { line: 2, code: 'invalid-utf8' },
          { line: 3, code: 'line-too-long' },
        ],
      }),
    )
    expect(await readLog(store)).toEqual([])
  })

  it('never lets a repeating id source drop a valid line', async () => {
    // A counter that restarts with every import gives ids already stored: the store would skip the line.
    const restarting = () => {
      let k = 0
      return { now: () => new Date('2024-03-01T00:00:00.000Z'), newId: () => `run-${++k}` }
    }
    const store = newStore()
    const first = line({ type: 'MemberJoined', data: { memberId: 'm1' } })
    expect(await importJsonLines(store, libraryDomain, first, restarting())()).toMatchObject(
      E.right({ appended: 1, skipped: 0 }),
    )
    const second = line({ type: 'MemberJoined', data: { memberId: 'm2' } })
    const result = await importJsonLines(store, libraryDomain, second, restarting())()
    expect(result).toMatchObject(E.left({ _tag: 'StorageError', message: expect.stringMatching(/run-1/) }))
    expect((await readLog(store)).map((e) => e.data)).toEqual([{ memberId: 'm1' }])
  })

  it('restores an export byte for byte, and refuses an altered one', async () => {
    const source = newStore()
    await importJsonLines(source, libraryDomain, valid, clock())()
    const exported = exportText(await readLog(source))

    const target = newStore()
    expect(await importJsonLines(target, libraryDomain, exported, clock())()).toMatchObject(
      E.right({ appended: 4 }),
    )
    expect(exportText(await readLog(target))).toBe(exported)

    const lines = exported.trimEnd().split('\n')
    const alter = (i: number, patch: object) =>
      lines.map((l, j) => (j === i ? line({ ...(JSON.parse(l) as object), ...patch }) : l)).join('\n')
    for (const [i, patch, path] of [
      [2, { data: { bookId: 'b1', memberId: 'm2' } }, 'hash'],
      [1, { version: 2 }, 'version'],
      [1, { stream: 'book-b2' }, 'stream'],
      [3, { position: 9 }, 'position'],
      [2, { prevHash: 'ab' }, 'prevHash'],
      [0, { schemaVersion: 2 }, 'schemaVersion'],
      [1, { actor: 'intruder' }, 'hash'],
    ] as const) {
      const result = await importJsonLines(newStore(), libraryDomain, alter(i, patch), clock())()
      // The first error is the altered line; the lines after it then no longer fit either.
      const errors = E.isLeft(result) && result.left._tag === 'ImportFailure' ? result.left.errors : []
      expect(errors[0]).toMatchObject({ line: i + 1, code: 'envelope-mismatch', path })
    }
    // Onto the store it came from: the export itself is skipped whole; an altered envelope of an event
    // already stored (the same id and content) is refused, not skipped.
    expect(await importJsonLines(target, libraryDomain, exported, clock())()).toMatchObject(
      E.right({ appended: 0, skipped: 4 }),
    )
    for (const [i, patch, path] of [
      [1, { version: 2 }, 'version'],
      [1, { stream: 'book-b2' }, 'stream'],
      [3, { position: 9 }, 'position'],
      [2, { prevHash: 'ab' }, 'prevHash'],
      [0, { schemaVersion: 2 }, 'schemaVersion'],
      [2, { hash: '00' }, 'hash'],
    ] as const) {
      const result = await importJsonLines(target, libraryDomain, alter(i, patch), clock())()
      const errors = E.isLeft(result) && result.left._tag === 'ImportFailure' ? result.left.errors : []
      expect(errors).toMatchObject([{ line: i + 1, code: 'envelope-mismatch', path }])
    }
    expect(exportText(await readLog(target))).toBe(exported)
  })

  it('reads lines from a stream of byte chunks split anywhere', async () => {
    const bytes = new TextEncoder().encode(valid)
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.slice(i, i + 7)
    }
    const result = await importJsonLines(newStore(), libraryDomain, { bytes: chunks() }, clock())()
    expect(result).toMatchObject(E.right({ appended: 4 }))
  })

  const eventArb = fc.oneof(
    fc.constantFrom('m1', 'm2').map((memberId) => ({ type: 'MemberJoined', data: { memberId } })),
    fc.constantFrom('b1', 'b2').map((bookId) => ({ type: 'BookAdded', data: { bookId, title: 't' } })),
    fc
      .tuple(
        fc.constantFrom('BookLent', 'BookReturned'),
        fc.constantFrom('b1', 'b2'),
        fc.constantFrom('m1', 'm2'),
      )
      .map(([type, bookId, memberId]) => ({ type, data: { bookId, memberId } })),
  )

  test.prop([fc.array(eventArb, { maxLength: 12 }), fc.array(eventArb, { maxLength: 6 })])(
    'all or nothing: a refused file leaves the log untouched, an accepted one is appended in order and round-trips',
    async (first, second) => {
      const store = newStore()
      await importJsonLines(store, libraryDomain, first.map(line).join('\n'), clock())()
      const before = await readLog(store)
      const result = await importJsonLines(store, libraryDomain, second.map(line).join('\n'), clock())()
      const after = await readLog(store)
      if (E.isLeft(result)) {
        expect(after).toEqual(before)
        expect(result.left._tag).toBe('ImportFailure')
      } else {
        expect(after.slice(before.length).map((e) => ({ type: e.type, data: e.data }))).toEqual(second)
        const copy = newStore()
        await importJsonLines(copy, libraryDomain, exportText(after), clock())()
        expect(await readLog(copy)).toEqual(after)
      }
    },
  )
})

describe('replay', () => {
  it('upcasts old schema versions and folds as known at an instant', async () => {
    const store = newStore()
    await store.append(
      'book-b1',
      [
        {
          type: 'BookAdded',
          data: { bookId: 'b1', name: 'Old' },
          schemaVersion: 1,
          recordedAt: '2024-01-01T00:00:00Z',
        },
      ],
      {
        expectedVersion: 0,
      },
    )()
    await store.append(
      'member-m1',
      [{ type: 'MemberJoined', data: { memberId: 'm1' }, recordedAt: '2024-01-02T00:00:00Z' }],
      {
        expectedVersion: 0,
      },
    )()
    const all = await replay(store, libraryDomain)()
    expect(E.isRight(all) && [all.right.state.books.has('b1'), all.right.state.members.has('m1')]).toEqual([
      true,
      true,
    ])
    const early = await replay(store, libraryDomain, { knownAt: '2024-01-01T12:00:00Z' })()
    expect(E.isRight(early) && [early.right.head.position, early.right.state.members.has('m1')]).toEqual([
      1,
      false,
    ])
    // A later line is validated against the upcast state.
    const lent = await importJsonLines(
      store,
      libraryDomain,
      line({ type: 'BookLent', data: { bookId: 'b1', memberId: 'm1' } }),
      clock(),
    )()
    expect(lent).toMatchObject(E.right({ appended: 1 }))
  })

  it('refuses a stored event it cannot read', async () => {
    const store = newStore()
    await store.append('member-m1', [{ type: 'MemberJoined', data: { memberId: 'm1' }, schemaVersion: 3 }], {
      expectedVersion: 0,
    })()
    expect(await replay(store, libraryDomain)()).toMatchObject(
      E.left({ _tag: 'StorageError', message: expect.stringMatching(/schema-too-new/) }),
    )
  })
})
