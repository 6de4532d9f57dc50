/**
 * @internal
 * What a ledger over an encrypted store adds (docs/security.md): the persons' keys loaded before
 * anything is sealed or opened. The domain's cipher is synchronous (kernel `subjectCipher`), so the keys
 * of the persons an operation touches are loaded first: for the events a read yields (the store is
 * wrapped so that every batch it reads has its persons' keys loaded before the batch is handed on), for
 * the lines an import reads (made, when a person has none yet, before the line reaches the importer),
 * and for the person of a command.
 */
import { ENCRYPTED_SCHEMA_VERSION, hasPersonalFields, personOfData } from '@ketnap/core'
import {
  storageError,
  type Envelope,
  type EventStore,
  type JsonLinesSource,
  type Keyring,
  type KeyringError,
  type StoreError,
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
 * An import's lines, with the keys of the persons whose personal fields they hold made (and loaded)
 * before the importer reads them. A key made for a line the import then refuses stays, unused.
 * `failed` receives the keyring's error, and the source then throws: the importer reads every line
 * before it writes any, so nothing is written.
 * @internal
 */
export const makingKeys = (
  lines: JsonLinesSource,
  keyring: Keyring,
  failed: (error: KeyringError) => void,
  forgets: (person: string) => void,
): JsonLinesSource => {
  const make = async (chunk: ReadonlyArray<string>): Promise<true> => {
    for (const person of personsOfLines(chunk, FORGOTTEN_TEXT)) forgets(person)
    const persons = personsOfLines(chunk, PERSONAL_TYPE_TEXT).filter((p) => keyring.cached(p) === undefined)
    if (persons.length === 0) return true
    const made = await keyring.keysFor(persons, true)
    if (E.isRight(made)) return true
    failed(made.left)
    throw new Error(`the keys of the persons could not be made: ${asStoreError(made.left)._tag}`)
  }
  async function* text(items: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
    let chunk: string[] = []
    for await (const item of items) {
      chunk.push(item)
      if (chunk.length >= LINES_AHEAD) {
        if (!(await make(chunk.flatMap((c) => c.split('\n'))))) return
        yield* chunk
        chunk = []
      }
    }
    if (!(await make(chunk.flatMap((c) => c.split('\n'))))) return
    yield* chunk
  }
  async function* bytes(items: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
    const decoder = new TextDecoder('utf-8', { fatal: false })
    let rest = ''
    for await (const item of items) {
      const read = rest + (typeof item === 'string' ? item : decoder.decode(item, { stream: true }))
      const cut = read.lastIndexOf('\n')
      rest = cut < 0 ? read : read.slice(cut + 1)
      if (cut >= 0 && !(await make(read.slice(0, cut).split('\n')))) return
      yield item
    }
    if (!(await make([rest + decoder.decode()]))) return
  }
  if (typeof lines === 'string') return text([lines])
  if ('bytes' in lines) return { bytes: bytes(lines.bytes) }
  return text(lines)
}
