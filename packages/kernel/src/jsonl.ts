/**
 * JSON Lines input, the one place lines are read: text, lines, chunks or bytes in, numbered non-blank
 * lines out (1-based physical line numbers; blank lines are skipped but counted). Bytes are split at
 * newlines before they are decoded, so that a line that is not UTF-8 is named (`invalid-utf8`) instead
 * of being silently repaired, and a line longer than the limit is named (`line-too-long`) without
 * being held whole.
 */

/** What is wrong with a line before its text is read: not UTF-8, or longer than the limit. */
export interface LineDefect {
  readonly code: 'invalid-utf8' | 'line-too-long'
  readonly message: string
}

/** One non-blank line of a JSON Lines input (or a line that could not be read, with its defect). */
export interface NumberedLine {
  /** 1-based physical line number. */
  readonly line: number
  /** The line without its ending (empty when it has a defect). */
  readonly text: string
  /** Set when the line could not be read as text. */
  readonly defect?: LineDefect
}

/**
 * Raw bytes of a JSON Lines file (e.g. a file or standard input stream): split at newlines, each line
 * decoded as strict UTF-8.
 */
export interface JsonLinesBytes {
  readonly bytes: AsyncIterable<Uint8Array | string>
}

/** A JSON Lines source: whole text, lines (an item holding newlines counts as several lines), or bytes. */
export type JsonLinesSource = string | Iterable<string> | AsyncIterable<string> | JsonLinesBytes

/**
 * The default longest line, in bytes of UTF-8 without its `\n` or `\r\n` ending (1 MiB): an event is a
 * few hundred bytes.
 */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024

/** Options of `numberedLines`. */
export interface NumberedLinesOptions {
  /** The longest line accepted, in bytes of UTF-8; default `DEFAULT_MAX_LINE_BYTES`. */
  readonly maxLineBytes?: number
}

const isBytes = (source: JsonLinesSource): source is JsonLinesBytes =>
  typeof source === 'object' && 'bytes' in source

const isAsync = (source: Iterable<string> | AsyncIterable<string>): source is AsyncIterable<string> =>
  Symbol.asyncIterator in source

const tooLong = (max: number): LineDefect => ({
  code: 'line-too-long',
  message: `the line is longer than ${max} bytes (the import's line limit)`,
})

/**
 * Whether a line is blank: JSON's whitespace only (space, tab, CR, LF). Other spaces (no-break space,
 * U+3000, form feed) are not JSON whitespace: such a line is read, and refused as `invalid-json`.
 */
const isBlank = (text: string): boolean => /^[ \t\r\n]*$/.test(text)

/** The text of a line as read: a leading BOM on the first line and a `\r` ending dropped. */
const cleaned = (line: number, text: string): string => {
  const read = line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text
  // 13: a carriage return.
  return read.charCodeAt(read.length - 1) === 13 ? read.slice(0, -1) : read
}

/**
 * The lines of one text item, as the import numbers them: split at newlines, an item ending in a newline
 * opening no more line (an empty item is one blank line).
 */
export const linesOfText = (item: string): string[] => {
  const parts = item.split('\n')
  if (parts.length > 1 && parts.at(-1) === '') parts.pop()
  return parts
}

/** Lines of text items (each item may hold several lines), the lines of an item together. */
async function* textLines(
  items: Iterable<string> | AsyncIterable<string>,
  max: number,
): AsyncGenerator<ReadonlyArray<NumberedLine>> {
  let line = 0
  const split = (item: string): NumberedLine[] => {
    const lines: NumberedLine[] = []
    for (const part of linesOfText(item)) {
      line += 1
      // A UTF-16 length within max / 3 is within max bytes of UTF-8: only longer lines are measured
      // (without a `\r` ending: the limit is the line's, not its ending's).
      if (part.length > max / 3 && Buffer.byteLength(part, 'utf8') - (part.endsWith('\r') ? 1 : 0) > max) {
        lines.push({ line, text: '', defect: tooLong(max) })
        continue
      }
      const text = cleaned(line, part)
      if (!isBlank(text)) lines.push({ line, text })
    }
    return lines
  }
  if (isAsync(items)) {
    for await (const item of items) yield split(item)
  } else {
    for (const item of items) yield split(item)
  }
}

const NEWLINE = 0x0a

/**
 * Lines of a byte stream, the lines ended in a chunk together. Each chunk is searched once for
 * newlines; the pieces of a line not yet ended are kept until its newline, unless they pass the limit,
 * after which the rest of that line is only skipped over.
 */
async function* byteLines(
  chunks: AsyncIterable<Uint8Array | string>,
  max: number,
): AsyncGenerator<ReadonlyArray<NumberedLine>> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
  let line = 0
  let pieces: Uint8Array[] = []
  let length = 0
  let overLimit = false

  const finish = (last: Uint8Array): NumberedLine | null => {
    line += 1
    const total = length + last.length
    // The limit is the line's, without a `\r` ending.
    const final = last.length > 0 ? last[last.length - 1] : pieces.at(-1)?.at(-1)
    const over = overLimit || total - (final === 0x0d ? 1 : 0) > max
    const bytes = over ? null : pieces.length === 0 ? last : Buffer.concat([...pieces, last], total)
    pieces = []
    length = 0
    overLimit = false
    if (bytes === null) return { line, text: '', defect: tooLong(max) }
    let text: string
    try {
      text = decoder.decode(bytes)
    } catch {
      return { line, text: '', defect: { code: 'invalid-utf8', message: 'the line is not valid UTF-8' } }
    }
    text = cleaned(line, text)
    return isBlank(text) ? null : { line, text }
  }

  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    const lines: NumberedLine[] = []
    let start = 0
    for (let nl = bytes.indexOf(NEWLINE); nl !== -1; nl = bytes.indexOf(NEWLINE, start)) {
      const done = finish(bytes.subarray(start, nl))
      if (done !== null) lines.push(done)
      start = nl + 1
    }
    if (lines.length > 0) yield lines
    if (start < bytes.length && !overLimit) {
      const rest = bytes.subarray(start)
      // One byte more than the limit may be the line's `\r` ending.
      if (length + rest.length > max + 1) {
        overLimit = true
        pieces = []
        length = 0
      } else {
        // A copy: the stream may reuse its buffer for the next chunk.
        pieces.push(Uint8Array.prototype.slice.call(rest))
        length += rest.length
      }
    }
  }
  if (length > 0 || overLimit) {
    const done = finish(new Uint8Array(0))
    if (done !== null) yield [done]
  }
}

/**
 * The non-blank lines of a source with their physical line numbers (a leading BOM and `\r` endings
 * are dropped); a line that is not UTF-8 or longer than the limit comes with its defect.
 */
export async function* numberedLines(
  source: JsonLinesSource,
  options: NumberedLinesOptions = {},
): AsyncGenerator<NumberedLine> {
  for await (const lines of numberedLineBatches(source, options)) yield* lines
}

/**
 * `numberedLines` in batches as they come (the lines of a chunk of bytes, or of a text item): an
 * importer pays one turn of the event loop per batch rather than per line. @internal
 */
export const numberedLineBatches = (
  source: JsonLinesSource,
  options: NumberedLinesOptions = {},
): AsyncGenerator<ReadonlyArray<NumberedLine>> => {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
  if (isBytes(source)) return byteLines(source.bytes, max)
  return textLines(typeof source === 'string' ? [source] : source, max)
}

/** How many names of one object the duplicate scan keeps in a list before it takes a set. */
const LIST_NAMES = 16

/**
 * The first name that appears twice in one object of a line's JSON text (which `JSON.parse` accepted),
 * or null: `JSON.parse` keeps the last of them and drops the others, which would change the input
 * silently. Names are compared as JSON reads them (`"a"` and `"\u0061"` are the same).
 */
export const firstDuplicateName = (text: string): string | null => {
  // The names seen in each open object (null for an array), innermost last: a list while short, a set
  // past `LIST_NAMES` (an object of 100,000 names took 13 s with a list).
  const open: Array<string[] | Set<string> | null> = []
  let nameNext = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // The closing quote: the next one not escaped (preceded by an even run of backslashes).
      let end = text.indexOf('"', i + 1)
      for (;;) {
        let slashes = 0
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes += 1
        if (slashes % 2 === 0) break
        end = text.indexOf('"', end + 1)
      }
      const names = open[open.length - 1]
      if (nameNext && names !== undefined && names !== null) {
        const raw = text.slice(i + 1, end)
        const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw
        if (Array.isArray(names)) {
          if (names.includes(name)) return name
          names.push(name)
          if (names.length > LIST_NAMES) open[open.length - 1] = new Set(names)
        } else {
          if (names.has(name)) return name
          names.add(name)
        }
        nameNext = false
      }
      i = end
    } else if (c === 0x7b) {
      open.push([])
      nameNext = true
    } else if (c === 0x5b) {
      open.push(null)
      nameNext = false
    } else if (c === 0x7d || c === 0x5d) {
      open.pop()
      nameNext = false
    } else if (c === 0x2c) {
      nameNext = open[open.length - 1] !== null
    }
  }
  return null
}
