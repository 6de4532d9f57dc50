import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeKeyed, encodeKeyed, encodeKeyedPieces } from './keyedCodec'

/** Values the codec keeps: JSON's, undefined, any number, Maps, Sets and plain objects of them. */
const kept: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(tie('value'), { maxLength: 4 }).map((values) => new Set(values)),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('\u0000', 'v', '__proto__x')), tie('value'), {
      maxKeys: 4,
      noNullPrototype: true,
    }),
  ),
})).value

describe('keyed entries as rows', () => {
  it('read back equal whatever the value kept (Maps, Sets, undefined, -0, NaN, a key named like the tag)', () => {
    fc.assert(
      fc.property(kept, (value) => {
        expect(decodeKeyed(encodeKeyed(value, 'k'))).toStrictEqual(value)
      }),
      { numRuns: 500 },
    )
  })

  it('keeps a person-like record as JSON text', () => {
    const record = { phase: 'member', headcount: [{ from: '2020-01-01', orgId: 'c1' }], profile: undefined }
    const bytes = encodeKeyed(record, 'p:1')
    expect(Buffer.from(bytes).toString('utf8')).toBe(
      '{"phase":"member","headcount":[{"from":"2020-01-01","orgId":"c1"}],"profile":{"\\u0000":"u"}}',
    )
    expect(decodeKeyed(encodeKeyed(new Set(['a', 'b']), 'm:o'))).toEqual(new Set(['a', 'b']))
  })

  it("reads back equal a value with the tag's text in a string, or nested 100 deep", () => {
    for (const value of [
      { text: '\\u0000', nul: '\u0000', list: ['\u0000'] },
      { tagged: { '\u0000': 'u' } },
      [...Array(100).keys()].reduce<unknown>((inner) => ({ inner, set: new Set([1]) }), null),
      [...Array(100).keys()].reduce<unknown>((inner) => [inner, 'x'], null),
    ])
      expect(decodeKeyed(encodeKeyed(value, 'k'))).toStrictEqual(value)
  })

  it('refuses a value it could not read back equal, naming the entry', () => {
    expect(() => encodeKeyed({ on: new Date(0) }, 'p:1')).toThrow(/"p:1": a Date cannot be kept/)
    expect(() => encodeKeyed(10n, 'p:2')).toThrow(/"p:2": a bigint cannot be kept/)
  })

  it('writes a value in pieces that join to the bytes encodeKeyed gives', () => {
    fc.assert(
      fc.property(kept, fc.integer({ min: 1, max: 64 }), (value, pieceBytes) => {
        const pieces = [...encodeKeyedPieces(value, 'k', pieceBytes)]
        expect(Buffer.concat(pieces).toString('utf8')).toBe(
          Buffer.from(encodeKeyed(value, 'k')).toString('utf8'),
        )
        expect(pieces.every((piece) => piece.byteLength > 0)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('keeps each piece of a large Map near the bound', () => {
    const orgs = new Map(
      [...Array(10_000).keys()].map((i) => [
        `org-${i}`,
        { level: 'cell', parents: [{ from: '2016-01-01', parentId: 'c' }] },
      ]),
    )
    const pieces = [...encodeKeyedPieces({ orgs, last: Number.NEGATIVE_INFINITY }, 'g', 4096)]
    expect(pieces.length).toBeGreaterThan(100)
    expect(Math.max(...pieces.map((piece) => piece.byteLength))).toBeLessThan(4096 + 200)
    expect(decodeKeyed(Buffer.concat(pieces))).toStrictEqual({ orgs, last: Number.NEGATIVE_INFINITY })
    expect(() => [...encodeKeyedPieces(new Map([['a', new Date(0)]]), 'g', 10)]).toThrow(
      /"g": a Date cannot be kept/,
    )
  })
})
