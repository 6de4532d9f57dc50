/**
 * Conformance checks of a store's keyed state (`EventStore.keyedState`, the write side's rows), for
 * stores that offer one: rows read back as written, with their position; a write conditional on the
 * description row writes nothing when it moved; a reset clears the space only; rows written inside an
 * import's session go with its rollback; and, over random files of a toy domain imported with a cache
 * of a few entries, the keyed write side accepts and refuses exactly the lines the state held whole
 * does, and leaves every row at the position of its description.
 * @internal
 */
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { importJsonLines, type ImportFailure, type ImportSummary } from '../importer'
import { createInMemoryEventStore } from '../inMemoryEventStore'
import { KEYED_META_KEY, type KeyedStateStore } from '../keyedState'
import type { StoreError } from '../errors'
import { encodeKeyed } from '../keyedCodec'
import { globalPartKey, openWriteSide, writeStateSpace } from '../writeState'
import type {
  ConformanceCheck,
  ConformanceOptions,
  ConformanceResult,
  StoreFactory,
} from './conformanceChecks'
import { keyedLibraryDomain, libraryDomain, type LibraryEvent } from './toyLibrary'

const right = <A>(x: E.Either<unknown, A>, what: string): A => {
  if (E.isLeft(x)) throw new Error(`${what}: ${JSON.stringify(x.left)}`)
  return x.right
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : new TextDecoder().decode(b)

const failure = (message: string): ConformanceResult => ({ ok: false, message })

/** The port's own semantics, on the store and inside a rolled back session. */
const portCheck = async (factory: StoreFactory): Promise<ConformanceResult> => {
  const { store, cleanup } = await factory()
  try {
    const keyed = store.keyedState
    if (keyed === undefined) return { ok: true }
    const read = async (k: KeyedStateStore, space: string, keys: string[]) =>
      right(await k.readKeyed(space, keys), 'readKeyed')
    const ok = right(
      await keyed.writeKeyed('s', {
        position: 3,
        expectMeta: null,
        entries: [
          { key: KEYED_META_KEY, bytes: bytes('meta') },
          { key: 'a', bytes: bytes('A') },
          { key: 'b', bytes: bytes('B') },
        ],
      }),
      'writeKeyed',
    )
    right(
      await keyed.writeKeyed('other', { position: 1, entries: [{ key: 'a', bytes: bytes('other') }] }),
      'w',
    )
    const rows = await read(keyed, 's', ['a', 'b', 'c'])
    if (!ok || text(rows.get('a')?.bytes) !== 'A' || rows.get('b')?.position !== 3 || rows.has('c'))
      return failure(`rows did not read back as written: ${JSON.stringify([...rows.keys()])}`)
    const moved = right(
      await keyed.writeKeyed('s', { position: 4, expectMeta: 2, entries: [{ key: 'a', bytes: bytes('X') }] }),
      'conditional write',
    )
    if (moved || text((await read(keyed, 's', ['a'])).get('a')?.bytes) !== 'A')
      return failure('a write expecting the description elsewhere wrote')
    right(
      await keyed.writeKeyed('s', {
        position: 5,
        expectMeta: 3,
        entries: [
          { key: 'b', bytes: null },
          { key: KEYED_META_KEY, bytes: bytes('meta5') },
        ],
      }),
      'delete',
    )
    const after = await read(keyed, 's', ['a', 'b', KEYED_META_KEY])
    if (after.has('b') || after.get(KEYED_META_KEY)?.position !== 5 || after.get('a')?.position !== 3)
      return failure('a delete or a description update did not hold')
    // A tail, taken while written: after the entries, in its order, its deletions too.
    const taken: string[] = []
    function* tail() {
      for (const [key, value] of [
        ['t1', 'T1'],
        ['c', 'C'],
        ['c', null],
        ['t2', 'T2'],
        [KEYED_META_KEY, 'meta9'],
      ] as const) {
        taken.push(key)
        yield { key, bytes: value === null ? null : bytes(value) }
      }
    }
    right(
      await keyed.writeKeyed('s', { position: 9, entries: [{ key: 'c', bytes: bytes('C9') }], tail: tail() }),
      'tail',
    )
    const tailed = await read(keyed, 's', ['t1', 't2', 'c', KEYED_META_KEY])
    if (
      taken.length !== 5 ||
      tailed.has('c') ||
      text(tailed.get('t2')?.bytes) !== 'T2' ||
      tailed.get('t1')?.position !== 9 ||
      text(tailed.get(KEYED_META_KEY)?.bytes) !== 'meta9'
    )
      return failure(`a write's tail did not hold after its entries: ${JSON.stringify([...tailed.keys()])}`)
    right(
      await keyed.writeKeyed('s', { position: 6, reset: true, entries: [{ key: 'z', bytes: bytes('Z') }] }),
      'reset',
    )
    const reset = await read(keyed, 's', ['a', KEYED_META_KEY, 'z'])
    const untouched = await read(keyed, 'other', ['a'])
    if (reset.has('a') || reset.has(KEYED_META_KEY) || !reset.has('z') || !untouched.has('a'))
      return failure('a reset did not clear its space, and only it')
    if (store.beginImport !== undefined) {
      const session = right(await store.beginImport(), 'begin')
      const inSession = session.keyedState
      if (inSession !== undefined) {
        right(
          await inSession.writeKeyed('s', { position: 7, entries: [{ key: 'y', bytes: bytes('Y') }] }),
          'w',
        )
        const seen = await read(inSession, 's', ['y'])
        if (!seen.has('y')) {
          await session.rollback()
          return failure('a session did not read its own keyed rows')
        }
      }
      right(await session.rollback(), 'rollback')
      if ((await read(keyed, 's', ['y'])).has('y'))
        return failure('keyed rows outlived a rolled back session')
    }
    return { ok: true }
  } finally {
    await store.close()()
    await cleanup?.()
  }
}

const member = fc.constantFrom('m1', 'm2', 'm3')
const book = fc.constantFrom('b1', 'b2', 'b3', 'b4')
const libraryEvent: fc.Arbitrary<LibraryEvent> = fc.oneof(
  member.map((memberId) => ({ type: 'MemberJoined' as const, memberId })),
  book.map((bookId) => ({ type: 'BookAdded' as const, bookId, title: 'Truyện Kiều' })),
  fc.record({ type: fc.constant('BookLent' as const), bookId: book, memberId: member }),
  fc.record({ type: fc.constant('BookReturned' as const), bookId: book, memberId: member }),
)
const lineOf = (event: LibraryEvent): string => {
  const { type, ...data } = event
  return JSON.stringify({ type, data, recordedAt: '2024-06-01T00:00:00Z' })
}

/** What an import answered, without the store-specific parts. */
const outcomeOf = (result: E.Either<ImportFailure | StoreError, ImportSummary>): unknown =>
  E.isRight(result)
    ? { appended: result.right.appended, skipped: result.right.skipped, head: result.right.head }
    : result.left._tag === 'ImportFailure'
      ? result.left.errors.map((e) => [e.line, e.code])
      : result.left._tag

/** Keyed imports with a tiny cache decide as the state held whole, and the rows stand at one position. */
const importCheck = async (
  factory: StoreFactory,
  options?: ConformanceOptions,
): Promise<ConformanceResult> => {
  const property = fc.asyncProperty(
    fc.array(fc.array(libraryEvent, { minLength: 1, maxLength: 25 }), { minLength: 1, maxLength: 5 }),
    fc.integer({ min: 1, max: 4 }),
    async (files, cacheEntries) => {
      const { store, cleanup } = await factory()
      const reference = createInMemoryEventStore({ now: () => new Date('2024-06-01T00:00:00Z') })
      try {
        let n = 0
        const newId = () => `id-${++n}`
        for (const file of files) {
          const source = file.map(lineOf).join('\n')
          const n0 = n
          const whole = await importJsonLines(reference, libraryDomain, source, { newId })()
          n = n0
          const keyed = await importJsonLines(store, keyedLibraryDomain, source, { newId, cacheEntries })()
          const [a, b] = [outcomeOf(whole), outcomeOf(keyed)]
          if (JSON.stringify(a) !== JSON.stringify(b))
            throw new Error(
              `keyed import answered ${JSON.stringify(b)}, the whole state ${JSON.stringify(a)}`,
            )
        }
        const keyedRows = store.keyedState
        if (keyedRows === undefined) return
        // Every row at the description's position, and a fresh write side folds nothing.
        const side = right(await openWriteSide(store, keyedLibraryDomain, { cacheEntries }), 'open')
        const head = right(await store.head()(), 'head')
        if (side.head().position !== head.position)
          throw new Error(`the kept state stands at ${side.head().position}, the log at ${head.position}`)
        const keys = ['b1', 'b2', 'b3', 'b4'].map((b) => `b:${b}`)
        const rows = right(await keyedRows.readKeyed(writeStateSpace(keyedLibraryDomain), keys), 'read')
        for (const [key, row] of rows) {
          if (row.position > head.position) throw new Error(`row ${key} at ${row.position}, ahead of the log`)
          // Kept in the domain's compact form (`KeyedValidator.rows`), not as the entry's record.
          if (!Array.isArray(JSON.parse(Buffer.from(row.bytes).toString('utf8'))))
            throw new Error(`row ${key} is not kept in the domain's form of rows`)
        }
        // The global part saved in pieces of a few bytes reads back whole, and a save in fewer rows
        // leaves none of the earlier ones.
        const globalsOf = (s: ReturnType<typeof side.state>) =>
          encodeKeyed(keyedLibraryDomain.validator.keyed?.globalsOf(s), 'g')
        const before = globalsOf(side.state())
        const parts = async (): Promise<number> => {
          const keys = Array.from({ length: 1000 }, (_, i) => globalPartKey(i))
          return right(await keyedRows.readKeyed(writeStateSpace(keyedLibraryDomain), keys), 'parts').size
        }
        const small = right(await openWriteSide(store, keyedLibraryDomain, { globalPartBytes: 8 }), 'open')
        right(await small.save(), 'save in pieces')
        const many = await parts()
        const whole = right(await openWriteSide(store, keyedLibraryDomain), 'open')
        if (whole.head().position !== head.position || Buffer.compare(globalsOf(whole.state()), before) !== 0)
          throw new Error('the global part kept in pieces did not read back as it was')
        right(await whole.save(), 'save whole')
        const few = await parts()
        if (few !== 1 || many <= 1)
          throw new Error(
            `the global part was kept in ${many} rows of 8 bytes, then in ${few} rows of a megabyte`,
          )
      } finally {
        await store.close()()
        await cleanup?.()
      }
    },
  )
  const details = await fc.check(property, {
    numRuns: Math.max(1, Math.floor((options?.numRuns ?? 100) / 4)),
    ...(options?.seed === undefined ? {} : { seed: options.seed }),
    ...(options?.path === undefined ? {} : { path: options.path }),
  })
  return details.failed ? failure(fc.defaultReportMessage(details) ?? 'failed') : { ok: true }
}

/** The keyed state checks. @internal */
export const keyedStateChecks: ReadonlyArray<ConformanceCheck> = [
  { name: 'keyed state: rows, conditional writes, resets, and a rolled back session', run: portCheck },
  {
    name: 'keyed state: a keyed write side with a tiny cache imports as the state held whole',
    run: importCheck,
  },
]
