import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { planAppend, type AppendView } from './appendPlan'
import type { Envelope, Json, NewEvent } from './envelope'
import type { StreamAppend } from './eventStore'
import { canonicalDataJson, canonicalJson, emptyHead, hashEnvelope, verifyChain } from './hashChain'

/** A view over envelopes already stored (the planner's own output, as an adapter would have written it). */
const viewOf = (log: ReadonlyArray<Envelope>): AppendView => ({
  head: log.length === 0 ? emptyHead : { position: log.at(-1)!.position, hash: log.at(-1)!.hash },
  lastRecordedAt: log.at(-1)?.recordedAt ?? null,
  streamVersion: (stream) => log.filter((e) => e.stream === stream).length,
  hasId: (id) => log.some((e) => e.id === id),
})

const fixedClock = (iso = '2024-05-01T00:00:00.000Z') => {
  let n = 0
  return { now: () => new Date(iso), newId: () => `gen-${++n}` }
}

const newEventArb: fc.Arbitrary<NewEvent> = fc.record(
  {
    type: fc.constantFrom('Lent', 'Returned'),
    data: fc.jsonValue() as fc.Arbitrary<Json>,
    id: fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i5', 'i6'),
    actor: fc.constantFrom(null, 'clerk'),
    schemaVersion: fc.integer({ min: 1, max: 3 }),
  },
  { requiredKeys: ['type', 'data'] },
)

const partArb: fc.Arbitrary<StreamAppend> = fc.record({
  stream: fc.constantFrom('book-1', 'book-2', 'member-1'),
  events: fc.array(newEventArb, { maxLength: 4 }),
  expectedVersion: fc.constant('any' as const),
})

/** Applies plans one after another, as a store would. */
const runPlans = (batches: ReadonlyArray<ReadonlyArray<StreamAppend>>, clock = fixedClock()) => {
  const log: Envelope[] = []
  for (const batch of batches) {
    const plan = planAppend(viewOf(log), batch, clock)
    if (E.isLeft(plan)) throw new Error(JSON.stringify(plan.left))
    log.push(...plan.right.envelopes)
  }
  return log
}

describe('planAppend', () => {
  test.prop([fc.array(fc.array(partArb, { maxLength: 3 }), { maxLength: 5 })])(
    'continues a valid chain, gapless positions and versions, each id once',
    async (batches) => {
      const log = runPlans(batches)
      expect((await verifyChain(log)).ok).toBe(true)
      expect(new Set(log.map((e) => e.id)).size).toBe(log.length)
      const wanted = new Set(batches.flat().flatMap((p) => p.events.map((e) => e.id ?? null)))
      wanted.delete(null)
      for (const id of wanted) expect(log.some((e) => e.id === id)).toBe(true)
    },
  )

  test.prop([fc.array(partArb, { maxLength: 3 }), fc.array(partArb, { maxLength: 3 })])(
    'planning two batches one after the other equals planning them as one',
    (a, b) => {
      const split = runPlans([a, b])
      const joined = runPlans([[...a, ...b]])
      expect(joined).toEqual(split)
    },
  )

  test.prop([fc.array(partArb, { minLength: 1, maxLength: 3 })])(
    'a retried batch is skipped entirely',
    (batch) => {
      const withIds = batch.map((p, i) => ({
        ...p,
        events: p.events.map((e, j) => ({ ...e, id: `r-${i}-${j}` })),
      }))
      const log = runPlans([withIds])
      const retry = planAppend(
        viewOf(log),
        withIds.map((p) => ({ ...p, expectedVersion: 0 })),
        fixedClock(),
      )
      expect(retry).toEqual(
        E.right({ envelopes: [], skipped: withIds.flatMap((p) => p.events.map((e) => e.id)) }),
      )
    },
  )

  test.prop([fc.nat({ max: 4 }), fc.nat({ max: 6 })])(
    'checks the expected version of a stream that still has events',
    (stored, expected) => {
      const clock = fixedClock()
      const log = runPlans(
        [
          [
            {
              stream: 's',
              expectedVersion: 'any',
              events: Array.from({ length: stored }, () => ({ type: 't', data: null })),
            },
          ],
        ],
        clock,
      )
      const plan = planAppend(
        viewOf(log),
        [{ stream: 's', expectedVersion: expected, events: [{ type: 't', data: 1 }] }],
        clock,
      )
      if (expected === stored) expect(E.isRight(plan)).toBe(true)
      else
        expect(plan).toEqual(
          E.left({ _tag: 'ConcurrencyError', stream: 's', expectedVersion: expected, actualVersion: stored }),
        )
    },
  )

  test.prop([fc.array(partArb, { maxLength: 3 })])(
    "remembers the canonical JSON of each sealed envelope's data, and hashes with it",
    (batch) => {
      for (const e of runPlans([batch])) {
        expect(canonicalDataJson(e)).toBe(canonicalJson(e.data))
        expect(e.hash).toBe(hashEnvelope(e))
      }
      const copy = { ...runPlans([batch])[0]!, data: { other: true } }
      expect(canonicalDataJson(copy)).toBe('{"other":true}')
    },
  )

  test.prop([fc.array(partArb, { maxLength: 3 })])(
    "with owned data, gives each envelope's data as canonical JSON beside it, and plans the same envelopes",
    (batch) => {
      const shared = planAppend(viewOf([]), batch, fixedClock())
      const owned = planAppend(viewOf([]), structuredClone(batch), fixedClock(), { ownedData: true })
      if (E.isLeft(shared) || E.isLeft(owned)) throw new Error('a plan failed')
      expect(owned.right.envelopes).toEqual(shared.right.envelopes)
      expect(owned.right.dataJson).toEqual(owned.right.envelopes.map((e) => canonicalJson(e.data)))
      for (const e of owned.right.envelopes) expect(e.hash).toBe(hashEnvelope(e))
    },
  )

  it('with owned data holding -0, keeps 0 in the envelope, as its canonical text reads back', () => {
    const batch: StreamAppend[] = [
      { stream: 'book-1', events: [{ type: 'Lent', data: [-0, { n: -0 }] }], expectedVersion: 'any' },
    ]
    const owned = planAppend(viewOf([]), batch, fixedClock(), { ownedData: true })
    const shared = planAppend(viewOf([]), batch, fixedClock())
    if (E.isLeft(owned) || E.isLeft(shared)) throw new Error('a plan failed')
    expect(owned.right.envelopes).toEqual(shared.right.envelopes)
    expect(Object.is((owned.right.envelopes[0]?.data as unknown[])[0], 0)).toBe(true)
    expect(owned.right.dataJson).toEqual(['[0,{"n":0}]'])
  })

  it('checks a stream named twice in a batch against its version after the first part', () => {
    const part = (expectedVersion: number): StreamAppend => ({
      stream: 's',
      expectedVersion,
      events: [{ type: 't', data: 1 }],
    })
    expect(E.isRight(planAppend(viewOf([]), [part(0), part(1)], fixedClock()))).toBe(true)
    expect(planAppend(viewOf([]), [part(0), part(0)], fixedClock())).toMatchObject(
      E.left({ _tag: 'ConcurrencyError', expectedVersion: 0, actualVersion: 1 }),
    )
  })

  test.prop([
    fc.array(fc.option(fc.integer({ min: -5_000, max: 5_000 }), { nil: undefined }), { maxLength: 8 }),
  ])(
    'keeps the record clock non-decreasing: defaults never run back, explicit earlier instants are refused',
    (offsets) => {
      const base = Date.parse('2024-05-01T00:00:00.000Z')
      const events: NewEvent[] = offsets.map((o) =>
        o === undefined
          ? { type: 't', data: null }
          : { type: 't', data: null, recordedAt: new Date(base + o).toISOString() },
      )
      const plan = planAppend(viewOf([]), [{ stream: 's', expectedVersion: 'any', events }], fixedClock())
      // The model: walk the instants, a default being max(now, last).
      let last: number | null = null
      let refused = false
      for (const o of offsets) {
        const t: number = o === undefined ? Math.max(base, last ?? base) : base + o
        if (o !== undefined && last !== null && t < last) {
          refused = true
          break
        }
        last = t
      }
      if (refused) expect(plan).toMatchObject(E.left({ _tag: 'RecordClockError', code: 'record-clock' }))
      else {
        const instants = E.isRight(plan) ? plan.right.envelopes.map((e) => Date.parse(e.recordedAt)) : null
        expect(instants).toEqual(
          offsets.map((o, i) =>
            o === undefined ? Math.max(base, ...offsets.slice(0, i).map((x) => base + (x ?? 0))) : base + o,
          ),
        )
      }
    },
  )

  it('refuses an explicit instant earlier than the stored log', () => {
    const clock = fixedClock()
    const log = runPlans(
      [
        [
          {
            stream: 's',
            expectedVersion: 0,
            events: [{ type: 't', data: 1, recordedAt: '2024-06-01T00:00:00Z' }],
          },
        ],
      ],
      clock,
    )
    expect(
      planAppend(
        viewOf(log),
        [
          {
            stream: 's',
            expectedVersion: 1,
            events: [{ type: 't', data: 2, recordedAt: '2024-05-31T23:59:59Z' }],
          },
        ],
        fixedClock(),
      ),
    ).toMatchObject(E.left({ _tag: 'RecordClockError', lastRecordedAt: '2024-06-01T00:00:00.000Z' }))
    // A default after a future-dated log stays at the log's last instant.
    const plan = planAppend(
      viewOf(log),
      [{ stream: 's', expectedVersion: 1, events: [{ type: 't', data: 2 }] }],
      clock,
    )
    expect(E.isRight(plan) && plan.right.envelopes[0]?.recordedAt).toBe('2024-06-01T00:00:00.000Z')
  })

  it('fills the defaults: id from the clock, actor null, schemaVersion 1, normalized instant', () => {
    const plan = planAppend(
      viewOf([]),
      [
        {
          stream: 's',
          expectedVersion: 0,
          events: [
            { type: 't', data: { a: 1 } },
            { type: 't', data: 2, recordedAt: '2024-05-01T07:00:00+07:00', id: 'x' },
          ],
        },
      ],
      fixedClock(),
    )
    expect(plan).toMatchObject(
      E.right({
        skipped: [],
        envelopes: [
          {
            position: 1,
            version: 1,
            id: 'gen-1',
            actor: null,
            schemaVersion: 1,
            recordedAt: '2024-05-01T00:00:00.000Z',
            prevHash: '',
          },
          { position: 2, version: 2, id: 'x', recordedAt: '2024-05-01T00:00:00.000Z' },
        ],
      }),
    )
  })

  it.each<[string, StreamAppend, string]>([
    ['an empty stream name', { stream: '', expectedVersion: 0, events: [] }, 'invalid-stream'],
    ['an empty type', { stream: 's', expectedVersion: 0, events: [{ type: '', data: 1 }] }, 'invalid-type'],
    [
      'non-JSON data',
      { stream: 's', expectedVersion: 0, events: [{ type: 't', data: { n: Number.NaN } }] },
      'invalid-data',
    ],
    [
      'undefined in data',
      { stream: 's', expectedVersion: 0, events: [{ type: 't', data: { n: undefined } as unknown as Json }] },
      'invalid-data',
    ],
    [
      'a Date in data',
      { stream: 's', expectedVersion: 0, events: [{ type: 't', data: new Date() as unknown as Json }] },
      'invalid-data',
    ],
    [
      'schemaVersion 0',
      { stream: 's', expectedVersion: 0, events: [{ type: 't', data: 1, schemaVersion: 0 }] },
      'invalid-schema-version',
    ],
    [
      'an instant without zone',
      {
        stream: 's',
        expectedVersion: 0,
        events: [{ type: 't', data: 1, recordedAt: '2024-01-01T00:00:00' }],
      },
      'invalid-instant',
    ],
    [
      'an empty id',
      { stream: 's', expectedVersion: 0, events: [{ type: 't', data: 1, id: '' }] },
      'invalid-id',
    ],
    [
      'a negative expected version',
      { stream: 's', expectedVersion: -1, events: [] },
      'invalid-expected-version',
    ],
  ])('refuses %s', (_what, part, code) => {
    expect(planAppend(viewOf([]), [part], fixedClock())).toMatchObject(
      E.left({ _tag: 'InvalidEventError', code }),
    )
  })

  it('refuses cyclic data', () => {
    const data: Record<string, unknown> = {}
    data['self'] = data
    expect(
      planAppend(
        viewOf([]),
        [{ stream: 's', expectedVersion: 0, events: [{ type: 't', data: data as Json }] }],
        fixedClock(),
      ),
    ).toMatchObject(E.left({ code: 'invalid-data' }))
  })

  it('takes data nested deeper than its one-walk check, and names a lone surrogate deep inside', () => {
    let deep: Json = 'leaf'
    for (let i = 0; i < 100; i++) deep = i % 2 === 0 ? [deep] : { k: deep }
    const plan = planAppend(
      viewOf([]),
      [{ stream: 's', expectedVersion: 0, events: [{ type: 't', data: deep }] }],
      fixedClock(),
    )
    expect(E.isRight(plan) && canonicalDataJson(plan.right.envelopes[0]!)).toBe(canonicalJson(deep))
    let bad: Json = '\ud800'
    for (let i = 0; i < 100; i++) bad = { k: bad }
    expect(
      planAppend(
        viewOf([]),
        [{ stream: 's', expectedVersion: 0, events: [{ type: 't', data: bad }] }],
        fixedClock(),
      ),
    ).toMatchObject(
      E.left({ code: 'invalid-data', message: expect.stringContaining('data.k.k.k') as unknown }),
    )
  })

  test.prop([
    fc.anything({ withSparseArray: true, withBoxedValues: true, withNullPrototype: true, withMap: true }),
  ])('takes data exactly when it is all JSON, and stores its canonical JSON', (data) => {
    const plan = planAppend(
      viewOf([]),
      [{ stream: 's', expectedVersion: 0, events: [{ type: 't', data: data as Json }] }],
      fixedClock(),
    )
    const isJson = (v: unknown): boolean =>
      v === null ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v)) ||
      (typeof v === 'string' && !/\p{Surrogate}/u.test(v)) ||
      (Array.isArray(v) && Object.keys(v).length >= v.length && v.every(isJson)) ||
      (typeof v === 'object' &&
        !Array.isArray(v) &&
        [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null) &&
        Object.entries(v as object).every(([k, x]) => !/\p{Surrogate}/u.test(k) && isJson(x)))
    if (!isJson(data)) expect(plan).toMatchObject(E.left({ code: 'invalid-data' }))
    else
      expect(E.isRight(plan) && canonicalDataJson(plan.right.envelopes[0]!)).toBe(canonicalJson(data as Json))
  })

  it('copies and freezes the data it stores', () => {
    const data = { list: [1, 2] }
    const plan = planAppend(
      viewOf([]),
      [{ stream: 's', expectedVersion: 0, events: [{ type: 't', data }] }],
      fixedClock(),
    )
    data.list.push(3)
    const stored = E.isRight(plan) ? plan.right.envelopes[0] : undefined
    expect(stored?.data).toEqual({ list: [1, 2] })
    expect(Object.isFrozen(stored?.data)).toBe(true)
  })

  it('refuses to store a generated id that is already stored or given earlier in the batch', () => {
    // An id source that repeats itself (a counter restarted after a reopen) must never yield a duplicate.
    const stored = runPlans([[{ stream: 's', expectedVersion: 'any', events: [{ type: 't', data: 1 }] }]])
    expect(stored.map((e) => e.id)).toEqual(['gen-1'])
    const again = planAppend(
      viewOf(stored),
      [{ stream: 's', expectedVersion: 1, events: [{ type: 't', data: 2 }] }],
      fixedClock(),
    )
    expect(again).toMatchObject(E.left({ _tag: 'StorageError', message: expect.stringMatching(/gen-1/) }))
    const repeating = { now: () => new Date('2024-05-01T00:00:00.000Z'), newId: () => 'same' }
    const twice = planAppend(
      viewOf([]),
      [
        {
          stream: 's',
          expectedVersion: 0,
          events: [
            { type: 't', data: 1 },
            { type: 't', data: 2 },
          ],
        },
      ],
      repeating,
    )
    expect(twice).toMatchObject(E.left({ _tag: 'StorageError' }))
    const empty = planAppend(
      viewOf([]),
      [{ stream: 's', expectedVersion: 0, events: [{ type: 't', data: 1 }] }],
      { ...repeating, newId: () => '' },
    )
    expect(empty).toMatchObject(E.left({ _tag: 'StorageError' }))
  })
})

describe('planAppend stores data in canonical key order', () => {
  it('so that every store exports the same bytes for the same events', () => {
    const view = {
      head: { position: 0, hash: '' },
      lastRecordedAt: null,
      streamVersion: () => 0,
      hasId: () => false,
    }
    const clock = { now: () => new Date('2024-01-01T00:00:00Z'), newId: () => 'id-1' }
    const planned = planAppend(
      view,
      [{ stream: 's', expectedVersion: 0, events: [{ type: 't', data: { b: 1, a: { d: 2, c: 3 } } }] }],
      clock,
    )
    if (planned._tag === 'Left') throw new Error(JSON.stringify(planned.left))
    const [envelope] = planned.right.envelopes
    expect(JSON.stringify(envelope?.data)).toBe('{"a":{"c":3,"d":2},"b":1}')
  })
})
