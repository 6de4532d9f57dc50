/**
 * The party development domain over an encrypted store: the same rules, with personal fields stored in
 * their encrypted form (personalData.ts, docs/encrypted-events.md). Events with personal fields are
 * stored at schema version 2, sealed by `encode` before they are planned and hashed (the importer and
 * the command handler both store what `encode` gives); a line that cannot be sealed is refused when it
 * is decoded, a command when it is decided, so a forgotten person's data is never written. Reading opens them with the person's key; a
 * clear event of version 1 (a store encrypted after some events, which `openKeyring` refuses, or a
 * test) reads as it is.
 *
 * The rules' state keeps a person's birth date sealed under the same key (`sealedBirthDates`), so that
 * its rows beside the log hold none in clear; the age window opens it at the cell vote (D40).
 *
 * The cipher answers synchronously from keys already loaded (kernel `subjectCipher` over a keyring whose
 * `keysFor` was asked for the persons concerned): loading them is the caller's job, also for a cell
 * vote (`KEYS_READ_BY_RULES`).
 */
import type { Json, Upcaster } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { decodeEvent } from './decode'
import { encryptedReportsReadModel, reportsReadModel } from './readModel/reportsReadModel'
import type { PartyDevelopment } from './domain'
import type { BirthDateKeeping } from './internal/world'
import { validator } from './validator'
import {
  ENCRYPTED_SCHEMA_VERSION,
  ERASED_FIELD,
  PERSONAL_FIELDS,
  hasPersonalFields,
  holdsSealedField,
  openPersonalData,
  sealPersonalData,
  type PersonalCipher,
} from './personalData'

/** Clear data of version 1 is valid data of version 2 (its objects just hold no `sealed`). */
const clearIsVersion2: ReadonlyArray<Upcaster> = Object.keys(PERSONAL_FIELDS).map((type) => ({
  type,
  fromSchemaVersion: 1,
  upcast: (data: Json) => E.right(data),
}))

type JsonObject = { readonly [k: string]: Json }

const isObject = (x: Json | undefined): x is JsonObject =>
  typeof x === 'object' && x !== null && !Array.isArray(x)

/** Drops the personal fields of data that could not be sealed: what is stored is never clear. */
const withoutPersonalFields = (type: string, data: Json): Json => {
  const spec = PERSONAL_FIELDS[type]
  if (spec === undefined || !isObject(data)) return data
  const strip = (o: JsonObject, path: ReadonlyArray<string>): Json => {
    const [head, ...rest] = path
    if (head === undefined) {
      const kept: Record<string, Json> = { [ERASED_FIELD]: true }
      for (const [k, v] of Object.entries(o)) if (!spec.fields.includes(k)) kept[k] = v
      return kept
    }
    const inner = o[head]
    return isObject(inner) ? { ...o, [head]: strip(inner, rest) } : o
  }
  return strip(data, spec.at)
}

/** The context a birth date kept by the rules is sealed in: no event type's (`ketnap:<type>:<person>`). */
const birthDateContext = (personId: string): string => `ketnap:rules.birthDate:${personId}`

/**
 * The rules' keeping of birth dates on an encrypted store: sealed under the person's key (the synthetic
 * IV of `cipher.seal`, so that a state folded twice holds the same bytes), opened when the age window
 * reads it. A key not loaded when a birth date is kept is the caller's mistake, and nothing is kept in
 * clear: it throws.
 */
export const sealedBirthDates = (cipher: PersonalCipher): BirthDateKeeping => ({
  keep: (personId, birthDate) => {
    const sealed = cipher.seal(personId, birthDate, birthDateContext(personId))
    if (sealed === null)
      throw new Error(`no key of ${personId} is loaded to seal the birth date the rules keep of them`)
    return sealed === 'erased' ? 'erased' : { sealedBirthDate: sealed }
  },
  read: (personId, kept) =>
    'sealedBirthDate' in kept
      ? cipher.open(personId, kept.sealedBirthDate, birthDateContext(personId))
      : kept.birthDate,
})

/**
 * The event types whose check reads a personal value the rules keep sealed (the cell vote's age window):
 * the key of the event's person must be loaded before it is checked, as for the types with personal
 * fields (`hasPersonalFields`), though none is made for it.
 */
export const KEYS_READ_BY_RULES: ReadonlyArray<string> = ['CellVoted']

/** The domain `domain`, storing personal fields sealed with `cipher`. */
export const withEncryptedPersonalData = (
  domain: PartyDevelopment,
  cipher: PersonalCipher,
): PartyDevelopment => {
  // The sealed data of the events `decode` checked, so that `encode` does not seal them twice.
  const sealedOf = new WeakMap<object, Json>()
  return {
    ...domain,
    // The derived tables keep no person's personal fields in clear (docs/security.md).
    readModels: [encryptedReportsReadModel(domain.readModel)],
    readModel: encryptedReportsReadModel(domain.readModel),
    reporting: {
      ...domain.reporting,
      readModel: {
        ...encryptedReportsReadModel(domain.reporting.readModel),
        // The roll's members' profiles from the log (D58).
        load: (name, query, bounds, tail) =>
          reportsReadModel.load(name, query, bounds, domain.policies, tail, true),
      },
    },
    // The rules' state keeps birth dates sealed too (its rows are beside the log).
    validator: validator(domain.policies, sealedBirthDates(cipher)),
    schemaVersionOf: (type) =>
      hasPersonalFields(type) ? ENCRYPTED_SCHEMA_VERSION : domain.schemaVersionOf(type),
    upcasters: [...domain.upcasters, ...clearIsVersion2],
    decode: (type, data) => {
      if (type === 'PersonForgotten') return decodeEvent(type, data)
      if (!hasPersonalFields(type)) return domain.decode(type, data)
      if (holdsSealedField(data as Json | undefined)) {
        const opened = openPersonalData(type, ENCRYPTED_SCHEMA_VERSION, data as Json, cipher)
        if (E.isLeft(opened)) return E.left([opened.left])
        // A forgotten person's fields read back as the typed mark of erased values, not as an error.
        const decoded = opened.right.erased
          ? decodeEvent(type, opened.right.data, { erased: true })
          : domain.decode(type, opened.right.data)
        // What opened under the person's key is stored as it came: a restored export keeps its bytes,
        // also for a forgotten person, whose fields cannot be sealed again.
        if (E.isRight(decoded)) sealedOf.set(decoded.right as object, data as Json)
        return decoded
      }
      // Clear data (an import line): refused here when it cannot be sealed (a forgotten person, no key),
      // so that `encode`, which the importer and the command handler store, always seals it.
      return E.flatMap(domain.decode(type, data), (event) => {
        const { data: clear } = domain.encode(event)
        const sealed = sealPersonalData(type, clear, cipher)
        if (E.isLeft(sealed)) return E.left([sealed.left])
        sealedOf.set(event as object, sealed.right)
        return E.right(event)
      })
    },
    encode: (event) => {
      const known = sealedOf.get(event as object)
      if (known !== undefined) return { type: event.type, data: known }
      const { type, data } = domain.encode(event)
      const sealed = sealPersonalData(type, data, cipher)
      // `decide` checked that every decided event seals; should one not, nothing personal is stored.
      return { type, data: E.isRight(sealed) ? sealed.right : withoutPersonalFields(type, data) }
    },
    decide: (command, world, context) =>
      E.flatMap(domain.decide(command, world, context), (events) => {
        for (const event of events) {
          const { type, data } = domain.encode(event)
          const sealed = sealPersonalData(type, data, cipher)
          if (E.isLeft(sealed)) return E.left(sealed.left)
          // `encode` stores what was checked here (not sealed again, nor changed by a key destroyed since).
          sealedOf.set(event as object, sealed.right)
        }
        return E.right(events)
      }),
  }
}
