const MARKS = /\p{M}/gu

/**
 * Display width of a string in a monospaced terminal: code points after NFC, combining marks (the
 * tone marks of decomposed Vietnamese) taking no column. What `TEXT_WIDTH` is measured in.
 */
export const displayWidth = (s: string): number => {
  // Code points below U+0300 and the precomposed letters of U+1E00-U+1EFF (Vietnamese's, with their
  // tone marks) are each their own NFC form and no mark: a column each, no normalizing (an id or a
  // name of a national table is measured at every width tried).
  let plain = true
  for (let i = 0; i < s.length && plain; i++) {
    const c = s.charCodeAt(i)
    plain = c < 0x300 || (c >= 0x1e00 && c <= 0x1eff)
  }
  if (plain) return s.length
  let width = 0
  // counts code points, not UTF-16 units; called for every cell at every width tried, so no arrays
  for (const _ of s.normalize('NFC').replace(MARKS, '')) width++
  return width
}

/** @internal Pads to a display width, on the right (`left` alignment) or on the left. */
export const pad = (s: string, width: number, align: 'left' | 'right'): string => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)))
  return align === 'left' ? s + fill : fill + s
}
