/**
 * Codecs of the command line's option values: every string from outside is decoded before use.
 */
import type { Head } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'

/** A kept head, written `POSITION:HASH` (as `ketnap verify` prints it). */
export const HeadArg = new t.Type<Head, string, unknown>(
  'HeadArg',
  (u): u is Head => typeof u === 'object' && u !== null && 'position' in u && 'hash' in u,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c)
    const m = /^(\d+):([0-9a-f]{64})?$/.exec(u)
    const position = m === null ? NaN : Number(m[1])
    const hash = m?.[2] ?? ''
    if (m === null || !Number.isSafeInteger(position) || (position === 0) !== (hash === '')) {
      return t.failure(
        u,
        c,
        `--head must be POSITION:HASH (a position and its 64-hex-digit hash), not ${JSON.stringify(u)}`,
      )
    }
    return t.success({ position, hash })
  },
  (h) => `${h.position}:${h.hash}`,
)

/**
 * The organization `--actor` binds a run to: an organization id (a non-empty string without spaces or
 * control characters, as ids are written in the log).
 */
export const ActorArg = new t.Type<string, string, unknown>(
  'ActorArg',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string' && /^[^\s\p{Cc}]+$/u.test(u)
      ? t.success(u)
      : t.failure(u, c, `--actor takes an organization id, not ${JSON.stringify(u)}`),
  (s) => s,
)

/** An output format of `ketnap report`. */
export const Format = t.keyof({ text: null, json: null, csv: null, html: null, xlsx: null }, 'Format')
/** An output format of `ketnap report`. */
export type Format = t.TypeOf<typeof Format>

/** A language of `ketnap report`. */
export const Lang = t.keyof({ vi: null, en: null }, 'Lang')
/** A language of `ketnap report`. */
export type Lang = t.TypeOf<typeof Lang>

/** The message of the first decoding error, or a generic one naming the option and what it takes. */
const messageOf = (option: string, value: unknown, errors: t.Errors, expected?: string): string => {
  const own = errors.find((e) => e.message !== undefined)?.message
  return (
    own ??
    `${option}: invalid value ${JSON.stringify(value)}${expected === undefined ? '' : `: expected ${expected}`}`
  )
}

/** Decodes one option value, failing with a message that names the option and, when given, what it takes. */
export const decodeArg =
  <A, O>(codec: t.Type<A, O, unknown>, option: string, expected?: string) =>
  (value: unknown): E.Either<string, A> =>
    pipe(
      codec.decode(value),
      E.mapLeft((errors) => messageOf(option, value, errors, expected)),
    )
