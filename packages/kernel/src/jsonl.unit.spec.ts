import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { firstDuplicateName, numberedLines } from './jsonl'

const collect = async <A>(items: AsyncIterable<A>): Promise<A[]> => {
  const out: A[] = []
  for await (const item of items) out.push(item)
  return out
}

describe('numberedLines', () => {
  it('numbers physical lines, skipping blank ones, dropping a BOM and CR', async () => {
    expect(await collect(numberedLines('\uFEFF{"a":1}\r\n\n  \n{"b":2}\n'))).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 4, text: '{"b":2}' },
    ])
  })

  it("skips only JSON's whitespace as blank: a line of other spaces is read (and refused as JSON)", async () => {
    const text = ' \t\n\u00a0\n\u3000\n\f\n{"a":1}\n'
    const expected = [
      { line: 2, text: '\u00a0' },
      { line: 3, text: '\u3000' },
      { line: 4, text: '\f' },
      { line: 5, text: '{"a":1}' },
    ]
    expect(await collect(numberedLines(text))).toEqual(expected)
    expect(
      await collect(
        numberedLines({
          bytes: (async function* () {
            yield Buffer.from(text)
          })(),
        }),
      ),
    ).toEqual(expected)
  })

  it('takes an iterable of lines the same way', async () => {
    expect(await collect(numberedLines(['x', '', 'y']))).toEqual([
      { line: 1, text: 'x' },
      { line: 3, text: 'y' },
    ])
  })

  test.prop([
    fc.array(fc.stringMatching(/^[a-z {}é"]*$/), { maxLength: 8 }),
    fc.array(fc.nat({ max: 20 }), { maxLength: 5 }),
  ])('gives the same lines from whole text and from byte chunks split anywhere', async (lines, cuts) => {
    const text = lines.join('\n')
    const bytes = new TextEncoder().encode(text)
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
    async function* chunks() {
      let start = 0
      for (const p of [...points, bytes.length]) {
        yield bytes.slice(start, p)
        start = p
      }
    }
    expect(await collect(numberedLines({ bytes: chunks() }))).toEqual(await collect(numberedLines(text)))
  })

  it('joins one long line read in many small chunks, and counts blank lines', async () => {
    const long = 'x'.repeat(200_000)
    async function* chunks() {
      yield '\n'
      for (let i = 0; i < long.length; i += 7) yield long.slice(i, i + 7)
      yield '\n\nlast'
    }
    expect(await collect(numberedLines({ bytes: chunks() }))).toEqual([
      { line: 2, text: long },
      { line: 4, text: 'last' },
    ])
  })
})

describe('numberedLines over bytes', () => {
  /** The bytes of a text cut into chunks at the given offsets. */
  const chunked = (bytes: Buffer, cuts: ReadonlyArray<number>) =>
    async function* () {
      let start = 0
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        yield bytes.subarray(start, cut)
        start = cut
      }
      yield bytes.subarray(start)
    }

  test.prop([
    fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constant(''), fc.constant(' \r')), {
      maxLength: 12,
    }),
    fc.boolean(),
    fc.array(fc.nat(), { maxLength: 8 }),
  ])(
    'gives the lines the text gives, however the bytes are cut (even inside a character)',
    async (lines, bom, cuts) => {
      const text = (bom ? '\uFEFF' : '') + lines.map((l) => l.replace(/\n/g, ' ')).join('\n')
      const bytes = Buffer.from(text, 'utf8')
      const at = cuts.map((c) => c % (bytes.length + 1))
      expect(await collect(numberedLines({ bytes: chunked(bytes, at)() }))).toEqual(
        await collect(numberedLines(text)),
      )
    },
  )

  it('names a line that is not UTF-8 and goes on with the next', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":1}\n{"b":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n{"c":3}'),
    ])
    expect(await collect(numberedLines({ bytes: chunked(bytes, [9, 16])() }))).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '', defect: { code: 'invalid-utf8', message: 'the line is not valid UTF-8' } },
      { line: 3, text: '{"c":3}' },
    ])
  })

  it('names a line longer than the limit, in bytes of UTF-8, whether it spans chunks or ends the input', async () => {
    const max = 10
    const bytes = Buffer.from('ok\nđđđđđđ\n0123456789\n' + 'x'.repeat(25) + '\nok\n' + 'y'.repeat(11))
    const lines = await collect(
      numberedLines({ bytes: chunked(bytes, [5, 12, 30, 33])() }, { maxLineBytes: max }),
    )
    expect(lines.map((l) => [l.line, l.defect?.code ?? l.text])).toEqual([
      [1, 'ok'],
      [2, 'line-too-long'], // six two-byte letters: 12 bytes
      [3, '0123456789'],
      [4, 'line-too-long'],
      [5, 'ok'],
      [6, 'line-too-long'],
    ])
    // The text path measures the same way.
    const text = await collect(numberedLines(bytes.toString('utf8'), { maxLineBytes: max }))
    expect(text.map((l) => [l.line, l.defect?.code ?? l.text])).toEqual(
      lines.map((l) => [l.line, l.defect?.code ?? l.text]),
    )
  })

  test.prop([fc.array(fc.nat({ max: 40 }), { maxLength: 6 })])(
    'measures a line without its \r ending: CRLF and LF files take the same lines, cut anywhere',
    async (cuts) => {
      const max = 10
      const body = ['0123456789', '01234567890', 'đđđđđ', 'ok', 'x'.repeat(10)]
      const forms = [body.join('\n'), body.join('\r\n'), `${body.join('\r\n')}\r\n`]
      const seen = []
      for (const form of forms) {
        const bytes = Buffer.from(form, 'utf8')
        const at = cuts.map((c) => c % (bytes.length + 1))
        for (const source of [form, { bytes: chunked(bytes, at)() }]) {
          const read = await collect(numberedLines(source, { maxLineBytes: max }))
          seen.push(read.map((l) => [l.line, l.defect?.code ?? l.text]))
        }
      }
      for (const s of seen)
        expect(s).toEqual([
          [1, '0123456789'],
          [2, 'line-too-long'],
          [3, 'đđđđđ'],
          [4, 'ok'],
          [5, 'xxxxxxxxxx'],
        ])
    },
  )
})

describe('firstDuplicateName', () => {
  it.each([
    ['{"a":1,"b":2}', null],
    ['{"a":{"a":1},"b":[{"a":1},{"a":2}]}', null],
    ['{"a":"x,\\"a\\":","b":1}', null],
    ['{"a":1,"a":2}', 'a'],
    ['{"type":"X","data":{"name":"P","name":"Q"}}', 'name'],
    ['{"a":1,"\\u0061":2}', 'a'],
    ['{"d":[1,{"x":1,"y":[{"z":1}],"x":2}]}', 'x'],
    ['{"k":[{"q":1},{"q":2}],"k":3}', 'k'],
    ['{}', null],
    ['{"a":[]}', null],
  ])('%s: %s', (text, twice) => {
    expect(firstDuplicateName(text)).toBe(twice)
  })

  it('finds a name repeated in any object of generated JSON, and none where every object has distinct names', () => {
    // Objects built from entries: JSON.stringify of an object cannot repeat a name; a text joined by
    // hand from the same entries twice can.
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), (o) => {
        const text = JSON.stringify({ outer: o, list: [o, { nested: o }] })
        expect(firstDuplicateName(text)).toBeNull()
        const [first] = Object.keys(o)
        const doubled = `{"x":${JSON.stringify(o).slice(0, -1)},${JSON.stringify(first)}:0}}`
        expect(firstDuplicateName(doubled)).toBe(first)
      }),
    )
  })
})

describe('firstDuplicateName on a wide object', () => {
  it('finds the repeated name among 100,000 (kept in a set past a few: a list took 13 s a line)', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `"n${i}":0`)
    expect(firstDuplicateName(`{${names.join(',')}}`)).toBeNull()
    expect(firstDuplicateName(`{${names.join(',')},"n99999":1}`)).toBe('n99999')
    expect(
      firstDuplicateName(
        `{"a":{${names.slice(0, 20).join(',')}},"b":{${names.slice(0, 20).join(',')},"n3":1}}`,
      ),
    ).toBe('n3')
  })
})
