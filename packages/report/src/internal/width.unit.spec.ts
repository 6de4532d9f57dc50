import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { displayWidth } from './width'

/** The definition: code points after NFC, combining marks taking no column. */
const reference = (s: string): number => [...s.normalize('NFC').replace(/\p{M}/gu, '')].length

const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i))

// Every code point of the ranges measured without normalizing, the combining marks, and others.
const ALPHABET = [
  ...range(0x20, 0x2ff),
  ...range(0x300, 0x36f),
  ...range(0x1e00, 0x1eff),
  ...range(0x1f00, 0x1fff),
  ...['\u0958', '\u212b', '\u{1d15e}', '\uac00', '\u1100', '\u1161', '\u00e9', 'e\u0301'],
]

describe('display width', () => {
  it('is the count of code points after NFC without the marks, for any text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }), (chars) => {
        const s = chars.join('')
        expect(displayWidth(s)).toBe(reference(s))
      }),
      { numRuns: 5000 },
    )
  })

  it('counts each letter of U+1E00-U+1EFF and below U+0300 as one column, decomposed ones too', () => {
    for (const ch of [...range(0x20, 0x2ff), ...range(0x1e00, 0x1eff)]) {
      expect(displayWidth(ch)).toBe(reference(ch))
      expect(displayWidth(ch.normalize('NFD'))).toBe(reference(ch))
    }
    expect(displayWidth('Đảng bộ xã Mường Định')).toBe(21)
  })
})
