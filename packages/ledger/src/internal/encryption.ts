/**
 * @internal
 * What a ledger over an encrypted store adds (docs/security.md): the persons' keys loaded before
 * anything is sealed or opened. The domain's cipher is synchronous (kernel `subjectCipher`), so the keys
 * of the persons an operation touches are loaded first: for the events a read yields (the store is
 * wrapped so that every batch it reads has its persons' keys loaded before the batch is handed on), for
 * the lines an import reads (made, when a person has none yet, before the line reaches the importer;
 * loaded for a cell vote, whose age window opens the birth date the rules keep sealed), and for the
 * person of a command.
 */
import { ENCRYPTED_SCHEMA_VERSION, KEYS_READ_BY_RULES, hasPersonalFields, personOfData } from '@ketnap/core'
import {
  storageError,
  type Envelope,
  type EventStore,
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
 * The store, reading with the keys of the persons its events are about loaded into `keyring`. A keyring
 * opened without the master key loads nothing: the events then read as they are stored, sealed.
 * @internal
 */
export const loadingKeys = (store: EventStore, keyring: Keyring, locked: boolean): EventStore => {
  const load = async (envelopes: ReadonlyArray<Envelope>): Promise<E.Either<StoreError, void>> => {
    if (locked) return E.right(undefined)
    const persons = sealedPersonsOf(envelopes).filter((p) => keyring.cached(p) === undefined)
    if (persons.length === 0) return E.right(undefined)
    return E.bimap(asStoreError, () => undefined)(await keyring.keysFor(persons, false))
  }
  return {
    ...store,
    readAll: (options) => ({
      async *[Symbol.asyncIterator]() {
        for await (const batch of store.readAll(options)) {
          if (E.isRight(batch)) {
            const loaded = await load(batch.right)
            if (E.isLeft(loaded)) {
              yield loaded
              return
            }
          }
          yield batch
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
const FORGOTTEN_TEXT = ['"PersonForgotten"']
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
      persons.push(JSON.parse(`"${found[1]}"`) as string)
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

/**
 * An import's lines, with the keys of the persons whose personal fields they hold made (and loaded)
 * before the importer reads them. A key made for a line the import then refuses stays, unused. Key
 * lines (`keyLine`, an export of an encrypted store) give their keys to the store as they are, and
 * reach the importer blank (their line numbers kept). `failed` receives the keyring's error, and the
 * source then throws: the importer reads every line before it writes any, so nothing is written.
 * @internal
 */
export const makingKeys = (
  lines: JsonLinesSource,
  keyring: Keyring,
  keys: KeyStore,
  failed: (error: KeyringError) => void,
  forgets: (person: string) => void,
): JsonLinesSource => {
  const fail = (error: KeyringError): never => {
    failed(error)
    throw new Error(`the keys of the persons could not be made: ${asStoreError(error)._tag}`)
  }
  const make = async (chunk: ReadonlyArray<string>): Promise<void> => {
    const restored = chunk.flatMap((text) => {
      const key = parseKeyLine(text)
      return key === null ? [] : [key]
    })
    if (restored.length > 0) {
      const added = await keys.addKeys(restored)
      if (E.isLeft(added)) fail(added.left)
    }
    for (const person of personsOfLines(chunk, FORGOTTEN_TEXT)) forgets(person)
    const persons = personsOfLines(chunk, PERSONAL_TYPE_TEXT).filter((p) => keyring.cached(p) === undefined)
    if (persons.length > 0) {
      const made = await keyring.keysFor(persons, true)
      if (E.isLeft(made)) fail(made.left)
    }
    const readers = personsOfLines(chunk, RULE_READ_TEXT).filter((p) => keyring.cached(p) === undefined)
    if (readers.length > 0) {
      const loaded = await keyring.keysFor(readers, false)
      if (E.isLeft(loaded)) fail(loaded.left)
    }
  }
  const blankKeyLines = (item: string): string =>
    item.includes(KEY_LINE_START)
      ? item
          .split('\n')
          .map((l) => (parseKeyLine(l) === null ? l : ''))
          .join('\n')
      : item
  async function* text(items: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
    let chunk: string[] = []
    for await (const item of items) {
      chunk.push(item)
      if (chunk.length >= LINES_AHEAD) {
        await make(chunk.flatMap((c) => c.split('\n')))
        yield* chunk.map(blankKeyLines)
        chunk = []
      }
    }
    await make(chunk.flatMap((c) => c.split('\n')))
    yield* chunk.map(blankKeyLines)
  }
  /** Complete lines as bytes: keys made, key lines blanked; other lines' bytes kept as they are. */
  const complete = async (buffer: Buffer): Promise<Buffer> => {
    const parts: Buffer[] = []
    let from = 0
    for (let at = buffer.indexOf(0x0a); at >= 0; at = buffer.indexOf(0x0a, from)) {
      parts.push(buffer.subarray(from, at))
      from = at + 1
    }
    if (from < buffer.length) parts.push(buffer.subarray(from))
    const texts = parts.map((part) => part.toString('utf8'))
    await make(texts)
    if (!texts.some((t) => parseKeyLine(t) !== null)) return buffer
    const kept = parts.map((part, i) => (parseKeyLine(texts[i] ?? '') === null ? part : Buffer.alloc(0)))
    const joined = Buffer.concat(kept.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from('\n'), part])))
    return buffer[buffer.length - 1] === 0x0a ? Buffer.concat([joined, Buffer.from('\n')]) : joined
  }
  async function* bytes(items: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
    let rest = Buffer.alloc(0)
    for await (const item of items) {
      const read = Buffer.concat([rest, typeof item === 'string' ? Buffer.from(item, 'utf8') : item])
      const cut = read.lastIndexOf(0x0a)
      if (cut < 0) {
        rest = read
        continue
      }
      rest = read.subarray(cut + 1)
      yield await complete(read.subarray(0, cut + 1))
    }
    if (rest.length > 0) yield await complete(rest)
  }
  if (typeof lines === 'string') return text([lines])
  if ('bytes' in lines) return { bytes: bytes(lines.bytes) }
  return text(lines)
}
