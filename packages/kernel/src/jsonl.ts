/**
 * JSON Lines input: text, lines or chunks in, numbered non-blank lines out (1-based physical line
 * numbers; blank lines are skipped but counted).
 */

/** One non-blank line of a JSON Lines input. */
export interface NumberedLine {
  /** 1-based physical line number. */
  readonly line: number
  readonly text: string
}

/** A JSON Lines source: whole text, or lines (an item holding newlines counts as several lines). */
export type JsonLinesSource = string | Iterable<string> | AsyncIterable<string>

const isAsync = (source: Iterable<string> | AsyncIterable<string>): source is AsyncIterable<string> =>
  Symbol.asyncIterator in source

/** The non-blank lines of a source with their physical line numbers (a leading BOM and `\r` endings are dropped). */
export async function* numberedLines(source: JsonLinesSource): AsyncGenerator<NumberedLine> {
  const items: Iterable<string> | AsyncIterable<string> = typeof source === 'string' ? [source] : source
  let line = 0
  const split = function* (item: string): Generator<NumberedLine> {
    // A text item ending in a newline does not open one more line.
    const parts = item.split('\n')
    if (parts.length > 1 && parts.at(-1) === '') parts.pop()
    for (const part of parts) {
      line += 1
      const text = (line === 1 ? part.replace(/^\uFEFF/, '') : part).replace(/\r$/, '')
      if (text.trim() !== '') yield { line, text }
    }
  }
  if (isAsync(items)) {
    for await (const item of items) yield* split(item)
  } else {
    for (const item of items) yield* split(item)
  }
}

/** Splits a stream of text or byte chunks (e.g. a file stream) into lines, decoding UTF-8 across chunk boundaries. */
export async function* linesOfChunks(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false })
  // The pieces of the line not yet ended: each chunk is searched once, so a very long line costs time
  // in proportion to its length (re-splitting the whole pending text per chunk was quadratic).
  let pieces: string[] = []
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    let start = 0
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      pieces.push(text.slice(start, nl))
      yield pieces.join('')
      pieces = []
      start = nl + 1
    }
    if (start < text.length) pieces.push(text.slice(start))
  }
  const rest = pieces.join('') + decoder.decode()
  if (rest !== '') yield rest
}
