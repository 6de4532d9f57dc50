/**
 * @internal
 * Wrapping text to a display width, for the cells and lines of the text renderer. Text breaks at
 * spaces; a word wider than the line breaks after its hyphens (an organization id, `04-NQ/TU`), so
 * the lines joined back give the word whole; only a piece still too wide is cut, anywhere.
 */
import { displayWidth } from './width'

/** The parts of a word a line may end after: each ends in its hyphens, and the last part. */
const pieces = (word: string): ReadonlyArray<string> => word.match(/[^-]*-+|[^-]+$/g) ?? [word]

/** @internal The narrowest width text wraps to without cutting a piece: its widest piece. */
export const narrowestWrap = (text: string): number =>
  Math.max(
    0,
    ...text
      .split(' ')
      .flatMap(pieces)
      .map((p) => displayWidth(p)),
  )

const words = (text: string): ReadonlyArray<string> =>
  text
    .normalize('NFC')
    .split(' ')
    .filter((w) => w !== '')

/** Cuts a string at a display width: the head (at most `width` columns) and the rest. */
const cut = (s: string, width: number): readonly [string, string] => {
  const chars = [...s.normalize('NFC')]
  let used = 0
  let i = 0
  for (; i < chars.length; i++) {
    const w = displayWidth(chars[i] ?? '')
    if (used + w > width && used > 0) break
    used += w
  }
  return [chars.slice(0, i).join(''), chars.slice(i).join('')]
}

/**
 * @internal
 * Text as lines of at most `width` columns (at least one line, `['']` for empty text). Runs of
 * spaces between words become one space.
 */
export const wrap = (text: string, width: number): ReadonlyArray<string> => {
  if (displayWidth(text) <= width) return [text]
  const lines: Array<string> = []
  let line = ''
  const add = (piece: string, joiner: string): void => {
    if (line !== '' && displayWidth(line) + displayWidth(joiner) + displayWidth(piece) <= width) {
      line += joiner + piece
      return
    }
    if (line !== '') lines.push(line)
    line = piece
    while (displayWidth(line) > width) {
      const [head, rest] = cut(line, width)
      lines.push(head)
      line = rest
    }
  }
  for (const word of words(text)) {
    if (displayWidth(word) <= width) add(word, ' ')
    else pieces(word).forEach((p, i) => add(p, i === 0 ? ' ' : ''))
  }
  if (line !== '' || lines.length === 0) lines.push(line)
  return lines
}

/**
 * @internal
 * How many of the lines of `wrap(text, …)` end inside a word (after a hyphen, or cut) rather than at
 * a space: what a reader pays most for, an id or a reference read across two lines.
 */
export const brokenWords = (text: string, lines: ReadonlyArray<string>): number => {
  const joined = words(text).join(' ')
  let at = 0
  let broken = 0
  lines.slice(0, -1).forEach((line) => {
    at += line.length
    if (joined[at] === ' ') at++
    else broken++
  })
  return broken
}
