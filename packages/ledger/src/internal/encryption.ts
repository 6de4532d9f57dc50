/**
 * @internal
 * What a ledger over an encrypted store adds (docs/security.md): the persons' keys loaded before
 * anything is sealed or opened. The domain's cipher is synchronous (kernel `subjectCipher`), so the keys
 * of the persons an operation touches are loaded first, and held (`Keyring.hold`) until they were used,
 * since the keyring keeps no more than a bound of keys besides those held: for the events a read yields
 * (the store is wrapped so that every batch it reads has its persons' keys loaded before the batch is
 * handed on), for the lines an import reads (made, when a person has none yet, before the line reaches
 * the importer; loaded for a cell vote, whose age window opens the birth date the rules keep sealed), and
 * for the person of a command.
 */
import { ENCRYPTED_SCHEMA_VERSION, KEYS_READ_BY_RULES, hasPersonalFields, personOfData } from '@ketnap/core'
import {
  linesOfText,
  storageError,
  type Envelope,
  type EventStore,
  type HeldKeys,
  type JsonLinesSource,
  type KeyStore,
  type Keyring,
  type KeyringError,
  type StoreError,
  type StoredKey,
} from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'

/** The event that records a person's erasure. */
const FORGOTTEN_TYPE = 'PersonForgotten'

/** A keyring error as the store's: a read that cannot load keys fails as a read. @internal */
export const asStoreError = (error: KeyringError): StoreError =>
  error._tag === 'KeyError' ? storageError(`${error.code}: ${error.message}`) : error

/** The persons whose sealed personal fields some envelopes hold. @internal */
export const sealedPersonsOf = (envelopes: ReadonlyArray<Envelope>): string[] => {
  const persons: string[] = []
  for (const envelope of envelopes) {
    if (envelope.schemaVersion < ENCRYPTED_SCHEMA_VERSION || !hasPersonalFields(envelope.type)) continue
    const person = personOfData(envelope.data)
    if (person !== null) persons.push(person)
  }
  return persons
}

/**
 * The store, reading with the keys of the persons its events are about loaded into `keyring`: a batch
 * of `readAll` has them held until the reader asks for the next (it decodes and folds a batch before
 * that), what `readPositions` and `readStream` answer until the turn of the event loop ends (its reader
 * decodes it at once). A keyring opened without the master key loads nothing: the events then read as
 * they are stored, sealed.
 * @internal
 */
export const loadingKeys = (store: EventStore, keyring: Keyring, locked: boolean): EventStore => {
  const hold = async (envelopes: ReadonlyArray<Envelope>): Promise<E.Either<StoreError, HeldKeys | null>> => {
    if (locked) return E.right(null)
    // A person whose erasure the log records reads erased from here on in this process, as in one
    // that starts after their key was destroyed (even should the key be there still: a forget that
    // stopped before destroying it, or one done by another process).
    for (const envelope of envelopes)
      if (envelope.type === FORGOTTEN_TYPE) {
        const person = personOfData(envelope.data)
        if (person !== null) keyring.markDestroyed(person)
      }
    const persons = sealedPersonsOf(envelopes)
    if (persons.length === 0) return E.right(null)
    return E.mapLeft(asStoreError)(await keyring.hold(persons, false))
  }
  // A reader decodes what `readPositions` and `readStream` answer before it awaits anything else: their
  // keys are held until this turn of the event loop ends.
  const load = async (envelopes: ReadonlyArray<Envelope>): Promise<E.Either<StoreError, void>> =>
    E.map((held: HeldKeys | null) => {
      if (held !== null) setImmediate(held.release)
    })(await hold(envelopes))
  return {
    ...store,
    readAll: (options) => ({
      async *[Symbol.asyncIterator]() {
        let held: HeldKeys | null = null
        try {
          for await (const batch of store.readAll(options)) {
            if (E.isRight(batch)) {
              const loaded = await hold(batch.right)
              if (E.isLeft(loaded)) {
                yield loaded
                return
              }
              held = loaded.right
            }
            yield batch
            held?.release()
            held = null
          }
        } finally {
          held?.release()
        }
      },
    }),
    readPositions: async (positions) => {
      const read = await store.readPositions(positions)
      if (E.isLeft(read)) return read
      const loaded = await load(read.right)
      return E.isLeft(loaded) ? loaded : read
    },
    readStream: (stream, options) =>
      pipe(
        store.readStream(stream, options),
        TE.chainFirst((envelopes) => () => load(envelopes)),
      ),
  }
}

// The event types whose lines hold personal fields, as they appear in a line's text.
const PERSONAL_TYPE_TEXT = ['"CandidateNominated"', '"ExistingMemberRegistered"', '"AdmissionAnnulled"']
const FORGOTTEN_TEXT = [`"${FORGOTTEN_TYPE}"`]
// The event types whose check opens a value the rules keep sealed: their persons' keys are loaded.
const RULE_READ_TEXT = KEYS_READ_BY_RULES.map((type) => `"${type}"`)
const PERSON_ID = /"personId"\s*:\s*"((?:[^"\\]|\\.)*)"/

/**
 * The persons of lines that may be of one of `types`. A cheap look at the text, not a decoding: a line
 * that is not what it seems only gets a key it does not need, and the importer decodes it properly.
 */
const personsOfLines = (lines: ReadonlyArray<string>, types: ReadonlyArray<string>): string[] => {
  const persons: string[] = []
  for (const line of lines) {
    if (!types.some((t) => line.includes(t))) continue
    const found = PERSON_ID.exec(line)
    if (found?.[1] === undefined) continue
    try {
      // An empty id is the key store's marker subject, and U+0000 no store keeps: no key is made for
      // either (the importer refuses the line).
      const person = JSON.parse(`"${found[1]}"`) as string
      if (person !== '' && !person.includes('\u0000')) persons.push(person)
    } catch {
      // not a JSON string: the importer reports the line
    }
  }
  return persons
}

/** How many lines are read ahead before their persons' keys are made in one go. */
const LINES_AHEAD = 1_000

/**
 * The line of an export of an encrypted store that carries a person's key, wrapped by the master key
 * as the store keeps it (`null`: the person was forgotten, their key destroyed). It comes before the
 * first event whose personal fields it opens; an import with the same master key takes it back.
 * @internal
 */
export const keyLine = (subject: string, stored: StoredKey): string =>
  JSON.stringify({
    subjectKey: subject,
    wrapped: stored._tag === 'Wrapped' ? Buffer.from(stored.wrapped).toString('base64') : null,
  })

const KEY_LINE_START = '{"subjectKey":'

/** A key line's subject and wrapped key; null for any other line. */
const parseKeyLine = (
  text: string,
): { readonly subject: string; readonly wrapped: Uint8Array | null } | null => {
  // A byte order mark opens the first line of a file (the importer drops it).
  if (text.charCodeAt(0) === 0xfeff) return parseKeyLine(text.slice(1))
  if (!text.startsWith(KEY_LINE_START)) return null
  try {
    const parsed = JSON.parse(text) as { subjectKey?: unknown; wrapped?: unknown }
    const { subjectKey, wrapped } = parsed
    if (typeof subjectKey !== 'string' || subjectKey === '') return null
    if (wrapped === null) return { subject: subjectKey, wrapped: null }
    return typeof wrapped === 'string'
      ? { subject: subjectKey, wrapped: Uint8Array.from(Buffer.from(wrapped, 'base64')) }
      : null
  } catch {
    return null
  }
}

/** An import's lines with their persons' keys made, and how to tell it which lines were checked. */
export interface KeyedLines {
  readonly source: JsonLinesSource
  /**
   * Every line up to `line` was checked (kernel `ImportOptions.onChecked`): their keys may go; the
   * caller tells it `Infinity` once the import is over, whatever its outcome.
   */
  readonly checked: (line: number) => void
}

/**
 * An import's lines, with the keys of the persons whose personal fields they hold made (and loaded)
 * before the importer reads them, in blocks of lines, and held until the importer says it checked
 * them (`checked`): the keyring keeps no more than the lines being checked need. The keys go into the
 * import's transaction (both stores, while it is open), so a failed import leaves none; a key made for
 * a line refused in an import that otherwise commits stays, unused. Key lines (`keyLine`, an export of
 * an encrypted store) give their keys to the store as they are, and reach the importer blank (their
 * line numbers kept). A line
 * longer than `maxLineBytes` goes on as its bytes come, not kept whole (the importer refuses it).
 * `failed` receives the keyring's error, and the source then throws: nothing has been committed, and
 * the import fails whole.
 * @internal
 */
export const makingKeys = (
  lines: JsonLinesSource,
  keyring: Keyring,
  keys: KeyStore,
  failed: (error: KeyringError) => void,
  forgets: (person: string) => void,
  maxLineBytes: number,
): KeyedLines => {
  const fail = (error: KeyringError): never => {
    failed(error)
    throw new Error(`the keys of the persons could not be made: ${asStoreError(error)._tag}`)
  }
  // The blocks read ahead, each with its last line's number and the keys it holds.
  const blocks: Array<{ readonly last: number; readonly releases: Array<() => void> }> = []
  let lineCount = 0
  const checked = (line: number): void => {
    for (let first = blocks[0]; first !== undefined && first.last <= line; first = blocks[0]) {
      blocks.shift()
      for (const release of first.releases) release()
    }
  }
  const make = async (block: ReadonlyArray<string>): Promise<void> => {
    lineCount += block.length
    const releases: Array<() => void> = []
    blocks.push({ last: lineCount, releases })
    const restored = block.flatMap((text) => {
      const key = parseKeyLine(text)
      return key === null ? [] : [key]
    })
    if (restored.length > 0) {
      const added = await keys.addKeys(restored)
      if (E.isLeft(added)) fail(added.left)
    }
    for (const person of personsOfLines(block, FORGOTTEN_TEXT)) forgets(person)
    const hold = async (persons: ReadonlyArray<string>, create: boolean): Promise<void> => {
      if (persons.length === 0) return
      const held = await keyring.hold(persons, create)
      if (E.isLeft(held)) fail(held.left)
      else releases.push(held.right.release)
    }
    await hold(personsOfLines(block, PERSONAL_TYPE_TEXT), true)
    await hold(personsOfLines(block, RULE_READ_TEXT), false)
  }
  const blank = (line: string): string => (parseKeyLine(line) === null ? line : '')
  async function* text(items: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
    let block: string[] = []
    for await (const item of items) {
      // Numbered as the importer numbers them, so that `checked` releases the right blocks.
      for (const line of linesOfText(item)) {
        block.push(line)
        if (block.length >= LINES_AHEAD) {
          await make(block)
          yield `${block.map(blank).join('\n')}\n`
          block = []
        }
      }
    }
    if (block.length > 0) {
      await make(block)
      yield `${block.map(blank).join('\n')}\n`
    }
  }
  /** Complete lines as bytes in blocks: keys made, key lines blanked; other lines' bytes as they are. */
  async function* blocksOf(buffer: Buffer): AsyncGenerator<Uint8Array> {
    for (let start = 0; start < buffer.length;) {
      const parts: Buffer[] = []
      let end = start
      while (parts.length < LINES_AHEAD && end < buffer.length) {
        const newline = buffer.indexOf(0x0a, end)
        const stop = newline < 0 ? buffer.length : newline
        parts.push(buffer.subarray(end, stop))
        end = newline < 0 ? buffer.length : newline + 1
      }
      const texts = parts.map((part) => part.toString('utf8'))
      await make(texts)
      const whole = buffer.subarray(start, end)
      start = end
      if (!texts.some((t) => parseKeyLine(t) !== null)) {
        yield whole
        continue
      }
      const kept = parts.map((part, i) => (parseKeyLine(texts[i] ?? '') === null ? part : Buffer.alloc(0)))
      const joined = Buffer.concat(kept.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from('\n'), part])))
      yield whole[whole.length - 1] === 0x0a ? Buffer.concat([joined, Buffer.from('\n')]) : joined
    }
  }
  async function* bytes(items: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
    // The start of a line not ended yet, within the limit; past it, the line's bytes go on as they
    // come (the importer refuses it, `line-too-long`) and are not kept.
    let rest = Buffer.alloc(0)
    let passing = false
    for await (const item of items) {
      let read = typeof item === 'string' ? Buffer.from(item, 'utf8') : item
      if (passing) {
        const newline = read.indexOf(0x0a)
        if (newline < 0) {
          yield read
          continue
        }
        yield read.subarray(0, newline + 1)
        lineCount += 1
        passing = false
        read = read.subarray(newline + 1)
      }
      // A copy: the stream may reuse its buffer for the next chunk.
      const whole = Buffer.concat([rest, read])
      const cut = whole.lastIndexOf(0x0a)
      if (cut >= 0) yield* blocksOf(whole.subarray(0, cut + 1))
      rest = whole.subarray(cut + 1)
      if (rest.length > maxLineBytes) {
        yield rest
        rest = Buffer.alloc(0)
        passing = true
      }
    }
    if (rest.length > 0) yield* blocksOf(rest)
    if (passing) lineCount += 1
  }
  const source: JsonLinesSource =
    typeof lines === 'string' ? text([lines]) : 'bytes' in lines ? { bytes: bytes(lines.bytes) } : text(lines)
  return { source, checked }
}
