/**
 * The JSON Lines interchange line codec: one event per line, `type` and `data` required, the rest of
 * the envelope optional (an export being restored carries it all).
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import type { ImportLineParseCode } from './errorCodes'
import { Instant, NonEmptyString, refine } from './primitives'

const PositiveInt = refine(t.number, (n) => Number.isSafeInteger(n) && n >= 1, 'PositiveInt')

/** One line of an import or export file. */
export const ImportLine = t.exact(
  t.intersection([
    t.type({ type: NonEmptyString, data: t.unknown }),
    t.partial({
      recordedAt: Instant,
      actor: t.union([t.string, t.null]),
      id: NonEmptyString,
      stream: NonEmptyString,
      version: PositiveInt,
      position: PositiveInt,
      schemaVersion: PositiveInt,
      prevHash: t.string,
      hash: t.string,
    }),
  ]),
  'ImportLine',
)
/** One line of an import or export file. */
export type ImportLine = t.TypeOf<typeof ImportLine>

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'type',
  'data',
  'recordedAt',
  'actor',
  'id',
  'stream',
  'version',
  'position',
  'schemaVersion',
  'prevHash',
  'hash',
])

/** An error in one line of a JSON Lines file: the 1-based physical line number, a code, a path. */
export interface LineError {
  readonly line: number
  readonly code: string
  readonly message: string
  readonly path?: string
}

const lineError = (line: number, code: ImportLineParseCode, message: string, path?: string): LineError =>
  path === undefined ? { line, code, message } : { line, code, message, path }

const CODE_OF: Readonly<Record<string, readonly [ImportLineParseCode, string]>> = {
  Instant: ['invalid-instant', 'string'],
  NonEmptyString: ['empty-string', 'string'],
  PositiveInt: ['invalid-count', 'number'],
}

/**
 * Parses one line: `invalid-json` for a syntax error, `invalid-type` when it is not an object,
 * `missing-field`, `unknown-field` or a value code (`invalid-instant`, `empty-string`...) otherwise.
 */
export const parseImportLine = (
  text: string,
  lineNo: number,
): E.Either<ReadonlyArray<LineError>, ImportLine> => {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    return E.left([lineError(lineNo, 'invalid-json', `line ${lineNo}: ${(e as Error).message}`)])
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return E.left([lineError(lineNo, 'invalid-type', `line ${lineNo}: a line must be a JSON object`)])
  }
  const errors: LineError[] = []
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key))
      errors.push(lineError(lineNo, 'unknown-field', `line ${lineNo}: unknown field ${key}`, key))
  }
  const obj = raw as Record<string, unknown>
  for (const key of ['type', 'data']) {
    if (!(key in obj) || obj[key] === undefined) {
      errors.push(lineError(lineNo, 'missing-field', `line ${lineNo}: ${key} is required`, key))
    }
  }
  const result = ImportLine.decode(raw)
  if (result._tag === 'Left') {
    const seen = new Set(errors.map((e) => e.path))
    for (const err of result.left) {
      const key = err.context.find((c, i) => i > 0 && /^[a-zA-Z]/.test(c.key))?.key ?? ''
      if (seen.has(key) || err.context[err.context.length - 1]?.type.name === 'null') continue
      seen.add(key)
      const name = err.context[err.context.length - 1]?.type.name ?? ''
      const known = CODE_OF[name]
      const code = known !== undefined && typeof err.value === known[1] ? known[0] : 'invalid-type'
      errors.push(lineError(lineNo, code, `line ${lineNo}: ${key} is not a valid ${name}`, key))
    }
  }
  if (errors.length > 0) return E.left(errors)
  return E.right(obj as ImportLine)
}
