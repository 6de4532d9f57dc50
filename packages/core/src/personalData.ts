/**
 * Personal data (dữ liệu cá nhân) and its encrypted stored form: which fields of which events describe a
 * person in a way Decree 13/2023/NĐ-CP protects, and how an encrypted store holds them (docs/encrypted-
 * events.md, D29). The domain decides the fields and the shape; the cipher (AES-256-GCM under the
 * person's key, kernel `keyStore.ts`) is passed in, so this module stays pure.
 *
 * The encrypted form of an event is schema version 2 of its type: the personal fields of the object that
 * holds them are replaced by one `sealed` string (base64), the ciphertext of the canonical JSON of those
 * fields, bound to the event type and the person. One ciphertext per object hides which optional fields
 * were given. Reading it back with the person's key gives the clear form (version 1, EVENTS.md); with a
 * destroyed key the object reads back with `erased: true` in place of the fields (`Erased`).
 */
import { canonicalJson, domainError, type DomainError, type Json } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import type { PersonalDataCode } from './errorCodes'

// ---------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------

/** Where an event type holds personal fields: the object (by its path in `data`) and its fields. */
export interface PersonalFields {
  /** The path of the object holding them in `data` (`[]`: data itself). */
  readonly at: ReadonlyArray<string>
  /** The personal fields of that object. */
  readonly fields: ReadonlyArray<string>
}

/**
 * The personal fields of the catalog (D29). A profile's birth date, ethnic-minority flag, ethnicity and
 * religion; an annulment's reason (free text about the person's admission). Sex and occupation stay in
 * clear: reports count them and quotas target occupations. References of approvals (`ageException`,
 * `readmissionApproval`, decision numbers) are document numbers, not facts about the person.
 */
export const PERSONAL_FIELDS: Readonly<Record<string, PersonalFields>> = {
  CandidateNominated: { at: ['profile'], fields: ['birthDate', 'ethnicMinority', 'ethnicity', 'religion'] },
  ExistingMemberRegistered: {
    at: ['profile'],
    fields: ['birthDate', 'ethnicMinority', 'ethnicity', 'religion'],
  },
  AdmissionAnnulled: { at: [], fields: ['reason'] },
}

/** The schema version of an event type's encrypted form. */
export const ENCRYPTED_SCHEMA_VERSION = 2

/** The field holding the ciphertext in the encrypted form. */
export const SEALED_FIELD = 'sealed'

/** The field that marks an object whose personal fields were erased (their key destroyed). */
export const ERASED_FIELD = 'erased'

/** The typed value an erased object carries in place of its personal fields: `erased: true`. */
export const Erased = t.type({ erased: t.literal(true) }, 'Erased')
/** The mark of erased personal fields. */
export type Erased = t.TypeOf<typeof Erased>

/** How personal fields are sealed and opened: the kernel's AES-256-GCM under the person's key. */
export interface PersonalCipher {
  /**
   * Seals a text of `personId` bound to `context`: `'erased'` when the person's key was destroyed,
   * `null` when no key of the person is at hand.
   */
  readonly seal: (personId: string, plain: string, context: string) => string | 'erased' | null
  /**
   * Opens a sealed text of `personId`: the text, `'erased'` when the person's key was destroyed, `null`
   * when it does not open (damaged, or another key).
   */
  readonly open: (personId: string, sealed: string, context: string) => string | 'erased' | null
}

/** What reading an event's stored data gives: its clear data, and whether personal fields were erased. */
export interface OpenedData {
  readonly data: Json
  readonly erased: boolean
}

// ---------------------------------------------------------------------------------------------------
// destructors
// ---------------------------------------------------------------------------------------------------

type JsonObject = { readonly [k: string]: Json }

const isObject = (x: Json | undefined): x is JsonObject =>
  typeof x === 'object' && x !== null && !Array.isArray(x)

/** The person an event with personal fields is about (`data.personId`). */
export const personOfData = (data: Json): string | null =>
  isObject(data) && typeof data['personId'] === 'string' ? data['personId'] : null

/** The context a ciphertext is bound to: the event type and the person, so it cannot be moved. */
const contextOf = (type: string, personId: string): string => `ketnap:${type}:${personId}`

/** Rewrites the object at `path` in `data` (unchanged when it is not there). */
const rewriteAt = (
  data: Json,
  path: ReadonlyArray<string>,
  f: (o: JsonObject) => E.Either<DomainError, JsonObject>,
): E.Either<DomainError, Json> => {
  if (!isObject(data)) return E.right(data)
  const [head, ...rest] = path
  if (head === undefined) return f(data)
  const inner = data[head]
  if (inner === undefined) return E.right(data)
  return E.map((next: Json) => ({ ...data, [head]: next }))(rewriteAt(inner, rest, f))
}

/** Whether an event type has personal fields (and so an encrypted form). */
export const hasPersonalFields = (type: string): boolean => PERSONAL_FIELDS[type] !== undefined

/**
 * Whether `data` holds an object with a `sealed` field at any depth: the encrypted form (or a line that
 * claims it, which then has to open). Walks the data instead of searching its JSON text: a serialization
 * per event was a tenth of the encrypted import's decoding.
 */
export const holdsSealedField = (data: Json | undefined): boolean => {
  if (typeof data !== 'object' || data === null) return false
  if (Array.isArray(data)) return data.some(holdsSealedField)
  for (const k in data) if (k === SEALED_FIELD || holdsSealedField((data as JsonObject)[k])) return true
  return false
}

/**
 * The encrypted stored form of an event's clear data (schema version 2): its personal fields sealed
 * under its person's key. An event type without personal fields, or data whose object holds none of
 * them, is returned as it is. `person-erased` when the person's key was destroyed: nothing personal
 * is recorded about a forgotten person again; `sealed-unreadable` when no key of the person is at hand.
 */
export const sealPersonalData = (
  type: string,
  data: Json,
  cipher: PersonalCipher,
): E.Either<DomainError, Json> => {
  const spec = PERSONAL_FIELDS[type]
  const personId = personOfData(data)
  if (spec === undefined || personId === null) return E.right(data)
  return rewriteAt(data, spec.at, (o) => {
    const personal: Record<string, Json> = {}
    const rest: Record<string, Json> = {}
    let any = false
    for (const k in o) {
      const v = o[k] as Json
      if (spec.fields.includes(k)) {
        personal[k] = v
        any = true
      } else rest[k] = v
    }
    if (!any) return E.right(o)
    const sealed = cipher.seal(personId, canonicalJson(personal), contextOf(type, personId))
    if (sealed === null)
      return E.left(
        domainError(
          'sealed-unreadable' satisfies PersonalDataCode,
          `no key of ${personId} is at hand to seal their personal fields`,
          'data.personId',
        ),
      )
    if (sealed === 'erased')
      return E.left(
        domainError(
          'person-erased' satisfies PersonalDataCode,
          `${personId} was forgotten: personal data about them is not recorded again`,
          'data.personId',
        ),
      )
    return E.right({ ...rest, [SEALED_FIELD]: sealed })
  })
}

/**
 * The clear data of an event's stored data: version 2 opened with its person's key (version 1 is clear
 * already). With a destroyed key the object reads back with `erased: true` in place of its personal
 * fields. `sealed-unreadable` when a ciphertext does not open (damaged, or another store's key).
 */
export const openPersonalData = (
  type: string,
  schemaVersion: number,
  data: Json,
  cipher: PersonalCipher,
): E.Either<DomainError, OpenedData> => {
  const spec = PERSONAL_FIELDS[type]
  const personId = personOfData(data)
  if (schemaVersion < ENCRYPTED_SCHEMA_VERSION || spec === undefined || personId === null)
    return E.right({ data, erased: false })
  let erased = false
  const opened = rewriteAt(data, spec.at, (o) => {
    const sealed = o[SEALED_FIELD]
    if (sealed === undefined) return E.right(o)
    const { [SEALED_FIELD]: _, ...rest } = o
    const unreadable = domainError(
      'sealed-unreadable' satisfies PersonalDataCode,
      `the personal fields of ${type} about ${personId} do not open with this store's key`,
      `data.${[...spec.at, SEALED_FIELD].join('.')}`,
    )
    if (typeof sealed !== 'string') return E.left(unreadable)
    const plain = cipher.open(personId, sealed, contextOf(type, personId))
    if (plain === null) return E.left(unreadable)
    if (plain === 'erased') {
      erased = true
      return E.right({ ...rest, [ERASED_FIELD]: true })
    }
    let fields: unknown
    try {
      fields = JSON.parse(plain)
    } catch {
      return E.left(unreadable)
    }
    return isObject(fields as Json) ? E.right({ ...rest, ...(fields as JsonObject) }) : E.left(unreadable)
  })
  return E.map((clear: Json) => ({ data: clear, erased }))(opened)
}
