/**
 * Display width of a string in a monospaced terminal: code points after NFC, combining marks (the
 * tone marks of decomposed Vietnamese) taking no column. What `TEXT_WIDTH` is measured in.
 */
export const displayWidth = (s: string): number =>
  [...s.normalize('NFC')].filter((c) => !/\p{M}/u.test(c)).length

/** @internal Pads to a display width, on the right (`left` alignment) or on the left. */
export const pad = (s: string, width: number, align: 'left' | 'right'): string => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)))
  return align === 'left' ? s + fill : fill + s
}
