import { fc, test } from '@fast-check/vitest'
import { createHash } from 'node:crypto'
import canonicalize from 'canonicalize'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import type { Envelope, Json, UnsealedEnvelope } from './envelope'
import { canonicalJson, hashEnvelope, normalizeInstant, sealEnvelope, verifyChain } from './hashChain'

/** Seals a log of (stream, data) pairs into a valid chain. */
const sealLog = (events: ReadonlyArray<{ stream: string; data: Json }>): Envelope[] => {
  const log: Envelope[] = []
  const versions = new Map<string, number>()
  events.forEach(({ stream, data }, i) => {
    const version = (versions.get(stream) ?? 0) + 1
    versions.set(stream, version)
    log.push(
      sealEnvelope({
        position: i + 1,
        stream,
        version,
        id: `e-${i + 1}`,
        type: 'Thing',
        schemaVersion: 1,
        data,
        recordedAt: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
        actor: i % 2 === 0 ? null : 'clerk',
        prevHash: log[i - 1]?.hash ?? '',
      }),
    )
  })
  return log
}

const logArb = (minLength: number) =>
  fc
    .array(
      fc.record({ stream: fc.constantFrom('a', 'b', 'c'), data: fc.jsonValue() as fc.Arbitrary<Json> }),
      {
        minLength,
        maxLength: 12,
      },
    )
    .map(sealLog)

/** The 1-based position of the first place where two logs differ. */
const firstDifference = (original: ReadonlyArray<Envelope>, tampered: ReadonlyArray<Envelope>): number => {
  const length = Math.max(original.length, tampered.length)
  for (let i = 0; i < length; i++) {
    const a = original[i]
    const b = tampered[i]
    if (a === undefined || b === undefined || canonicalJson({ ...a }) !== canonicalJson({ ...b }))
      return i + 1
  }
  return length + 1
}

type Field = keyof Envelope
const editArb = fc.constantFrom<Field>(
  'position',
  'stream',
  'version',
  'id',
  'type',
  'schemaVersion',
  'data',
  'recordedAt',
  'actor',
  'prevHash',
  'hash',
)

const edit = (e: Envelope, field: Field): Envelope => {
  switch (field) {
    case 'position':
    case 'version':
    case 'schemaVersion':
      return { ...e, [field]: e[field] + 1 }
    case 'actor':
      return { ...e, actor: e.actor === null ? 'intruder' : null }
    case 'data':
      return { ...e, data: { tampered: e.data } }
    case 'recordedAt':
      return { ...e, recordedAt: new Date(Date.parse(e.recordedAt) + 1).toISOString() }
    default:
      return { ...e, [field]: `${e[field]}x` }
  }
}

describe('canonicalJson', () => {
  it('sorts keys and drops whitespace (RFC 8785)', () => {
    expect(canonicalJson({ b: [1, 2, { d: 'x', c: null }], a: true })).toBe(
      '{"a":true,"b":[1,2,{"c":null,"d":"x"}]}',
    )
  })

  test.prop([
    fc.jsonValue({ maxDepth: 4 }),
    fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
  ])('writes what the canonicalize package (RFC 8785) writes', (value, record) => {
    expect(canonicalJson(value as Json)).toBe(canonicalize(value))
    expect(canonicalJson(record as Json)).toBe(canonicalize(record))
  })

  it('writes numbers as ECMAScript does, and refuses what is not a finite number', () => {
    const numbers = [0, -0, 1e21, 1e-7, 0.1 + 0.2, -123.456, Number.MAX_SAFE_INTEGER, 5e-324]
    expect(canonicalJson(numbers)).toBe(canonicalize(numbers))
    expect(() => canonicalJson(Number.NaN)).toThrow()
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow()
  })

  test.prop([fc.jsonValue()])('is independent of key order', (value) => {
    const reversed = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse())
        : v,
    ) as Json
    expect(canonicalJson(reversed)).toBe(canonicalJson(value as Json))
  })
})

describe('hashEnvelope', () => {
  it('is the SHA-256 of the canonical envelope without hash', () => {
    const [first] = sealLog([{ stream: 'a', data: { n: 1 } }])
    expect(first?.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(first?.prevHash).toBe('')
    expect(hashEnvelope({ ...first!, hash: 'ignored' } as Envelope)).toBe(first?.hash)
  })
})

describe('hashEnvelope on generated envelopes', () => {
  test.prop([logArb(1), fc.option(fc.string(), { nil: null })])(
    'is the SHA-256 of canonicalize over the envelope without hash, ignoring stray properties',
    (log, actor) => {
      for (const e of log) {
        const { hash: _hash, ...unsealed } = { ...e, actor }
        const expected = createHash('sha256').update(canonicalize(unsealed)!, 'utf8').digest('hex')
        expect(hashEnvelope({ ...unsealed, stray: 1 } as UnsealedEnvelope)).toBe(expected)
      }
    },
  )
})

describe('verifyChain', () => {
  test.prop([logArb(0)])('accepts an untouched log and reports its head', async (log) => {
    const result = await verifyChain(log)
    expect(result).toEqual({ ok: true, head: { position: log.length, hash: log.at(-1)?.hash ?? '' } })
  })

  test.prop([logArb(1), fc.nat(), editArb])(
    'names the position of an edited event',
    async (log, at, field) => {
      const i = at % log.length
      const tampered = log.map((e, j) => (j === i ? edit(e, field) : e))
      const result = await verifyChain(tampered)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.firstBrokenPosition).toBe(i + 1)
    },
  )

  test.prop([logArb(1), fc.nat(), fc.nat()])(
    'names the first position touched by an inserted event',
    async (log, at, from) => {
      const i = at % (log.length + 1)
      const copy = log[from % log.length]!
      const tampered = [...log.slice(0, i), copy, ...log.slice(i)]
      const result = await verifyChain(tampered)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.firstBrokenPosition).toBe(firstDifference(log, tampered))
    },
  )

  test.prop([logArb(2), fc.nat()])('names the position of a deleted event', async (log, at) => {
    const i = at % (log.length - 1) // deleting the last one is a truncation, tested below
    const tampered = [...log.slice(0, i), ...log.slice(i + 1)]
    const result = await verifyChain(tampered)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.firstBrokenPosition).toBe(i + 1)
  })

  test.prop([logArb(2), fc.nat(), fc.nat()])(
    'names the first of two swapped positions',
    async (log, a, b) => {
      const i = a % log.length
      const j = b % log.length
      fc.pre(i !== j)
      const tampered = [...log]
      tampered[i] = log[j]!
      tampered[j] = log[i]!
      const result = await verifyChain(tampered)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.firstBrokenPosition).toBe(Math.min(i, j) + 1)
    },
  )

  test.prop([logArb(1), fc.nat(), fc.nat({ max: 12 })])(
    'catches a cut-off tail against a head kept earlier',
    async (log, keep, cut) => {
      const kept = log[keep % log.length]!
      const remaining = Math.max(0, kept.position - 1 - (cut % kept.position))
      const result = await verifyChain(log.slice(0, remaining), {
        head: { position: kept.position, hash: kept.hash },
      })
      expect(result).toMatchObject({ ok: false, code: 'truncated', firstBrokenPosition: remaining + 1 })
      const intact = await verifyChain(log, { head: { position: kept.position, hash: kept.hash } })
      expect(intact.ok).toBe(true)
    },
  )

  test.prop([logArb(1), fc.nat()])(
    'catches a rewritten (re-hashed) log against a kept head',
    async (log, at) => {
      const kept = log.at(-1)!
      const i = at % log.length
      // An intruder who recomputes every hash after the edit leaves a valid chain that no longer ends in the kept head.
      const rewritten = sealLog(
        log.map((e, j) => ({ stream: e.stream, data: j === i ? { forged: true } : e.data })),
      )
      fc.pre(canonicalJson(log[i]!.data) !== canonicalJson({ forged: true }))
      expect((await verifyChain(rewritten)).ok).toBe(true)
      const result = await verifyChain(rewritten, { head: { position: kept.position, hash: kept.hash } })
      expect(result).toMatchObject({ ok: false, code: 'head-mismatch', firstBrokenPosition: kept.position })
    },
  )

  test.prop([logArb(1), fc.nat()])(
    'catches an edit of one prevHash alone, its own hash recomputed, at that position (prev-hash-mismatch)',
    async (log, at) => {
      const i = at % log.length
      const tampered = log.map((e, j) => {
        if (j !== i) return e
        const { hash: _hash, ...rest } = e
        return sealEnvelope({ ...rest, prevHash: 'f'.repeat(64) })
      })
      expect(await verifyChain(tampered)).toMatchObject({
        ok: false,
        firstBrokenPosition: i + 1,
        code: 'prev-hash-mismatch',
      })
    },
  )

  test.prop([logArb(1), fc.nat(), fc.integer({ min: 2, max: 5 })])(
    'catches a stream-version gap in a chain otherwise sealed and linked (version-gap)',
    async (log, at, skip) => {
      const i = at % log.length
      // Re-seal the log from i on, with every later version of that stream moved up by `skip - 1`.
      const stream = log[i]?.stream
      const resealed: Envelope[] = log.slice(0, i)
      for (const e of log.slice(i)) {
        const { hash: _hash, ...rest } = e
        const version = e.stream === stream ? e.version + skip - 1 : e.version
        resealed.push(sealEnvelope({ ...rest, version, prevHash: resealed.at(-1)?.hash ?? '' }))
      }
      expect(await verifyChain(resealed)).toMatchObject({
        ok: false,
        firstBrokenPosition: i + 1,
        code: 'version-gap',
      })
    },
  )

  it('reads readAll batches and stops at a read error', async () => {
    const log = sealLog([
      { stream: 'a', data: 1 },
      { stream: 'a', data: 2 },
    ])
    async function* batches() {
      yield E.right(log.slice(0, 1))
      yield E.left({ _tag: 'StorageError' as const, message: 'disk gone' })
    }
    const result = await verifyChain(batches())
    expect(result).toMatchObject({
      ok: false,
      code: 'read-error',
      firstBrokenPosition: 2,
      head: { position: 1 },
    })
  })
})

describe('normalizeInstant', () => {
  it.each([
    ['2016-06-05T08:00:00Z', '2016-06-05T08:00:00.000Z'],
    ['2016-06-05T08:00:00+07:00', '2016-06-05T01:00:00.000Z'],
    ['2016-06-05T08:00Z', '2016-06-05T08:00:00.000Z'],
    ['2024-02-29T23:59:59.5-01:00', '2024-03-01T00:59:59.500Z'],
  ])('normalizes %s', (input, output) => {
    expect(normalizeInstant(input)).toEqual(E.right(output))
  })

  it.each([
    '2016-06-05T08:00:00',
    '2016-06-05',
    '2021-02-29T00:00:00Z',
    '2016-13-01T00:00:00Z',
    '2016-06-05T24:00:00Z',
    'x',
  ])('rejects %s', (input) => {
    expect(normalizeInstant(input)).toMatchObject(
      E.left({ _tag: 'InvalidEventError', code: 'invalid-instant' }),
    )
  })

  test.prop([
    fc.date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
  ])('is the identity on toISOString output', (date) => {
    expect(normalizeInstant(date.toISOString())).toEqual(E.right(date.toISOString()))
  })

  // The fast path reads the normal form character by character: it must accept exactly what a Date
  // writes back unchanged, including impossible days, hours and leap days written in that shape.
  const pad = (n: number, width: number): string => String(n).padStart(width, '0')
  test.prop([
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 999 }),
  ])('keeps an instant of the normal shape exactly when a Date writes it back', (y, mo, d, h, mi, s, ms) => {
    const text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`
    const date = new Date(text)
    const writtenBack = !Number.isNaN(date.getTime()) && date.toISOString() === text
    const normalized = normalizeInstant(text)
    expect(E.isRight(normalized) && normalized.right === text).toBe(writtenBack)
  })
})
