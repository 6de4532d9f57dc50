import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { linesOfChunks, numberedLines } from './jsonl'

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
    expect(await collect(numberedLines(linesOfChunks(chunks())))).toEqual(await collect(numberedLines(text)))
  })

  it('joins one long line read in many small chunks, and keeps blank lines', async () => {
    const long = 'x'.repeat(200_000)
    async function* chunks() {
      yield '\n'
      for (let i = 0; i < long.length; i += 7) yield long.slice(i, i + 7)
      yield '\n\nlast'
    }
    expect(await collect(linesOfChunks(chunks()))).toEqual(['', long, '', 'last'])
  })
})
