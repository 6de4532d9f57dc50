import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { PERSON_FIELDS, personOf, personRow, worldRows } from './internal/rows'
import { newPerson, type PersonRecord } from './internal/world'

const date = fc.constantFrom('2019-01-01', '2020-02-29', '2025-07-01', '1990-12-31')
const text = fc.string({ maxLength: 12 })
// Records as the rules make them, with Object's prototype (the store's JSON gives no other).
const plain = { noNullPrototype: true } as const
const departure = fc.record(
  { on: date, reason: fc.constantFrom('died', 'transferred-out', 'expelled') },
  plain,
)

const profile = fc.oneof(
  fc.constant(undefined),
  fc.record({ birthDate: date, sex: fc.constantFrom('male', 'female'), occupation: text }, plain),
  fc.record({ sealedBirthDate: text, sex: fc.constantFrom('male', 'female'), occupation: text }, plain),
  fc.record(
    { erased: fc.constant(true as const), sex: fc.constantFrom('male', 'female'), occupation: text },
    plain,
  ),
)

/** Person records of every shape the rules give (`forgotten` present or not). */
const person: fc.Arbitrary<PersonRecord> = fc.record(
  {
    phase: fc.constantFrom('candidate', 'closed', 'member', 'left', 'annulled'),
    orgId: text,
    profile,
    ageException: fc.boolean(),
    readmission: fc.boolean(),
    classCompleted: fc.boolean(),
    verification: fc.constantFrom('cleared', 'not-cleared', null),
    cellVote: fc.constantFrom(true, false, null),
    committeeVote: fc.constantFrom(true, false, null),
    decidedOn: fc.option(date),
    admittedOn: fc.option(date),
    official: fc.boolean(),
    headcount: fc.array(fc.record({ from: date, orgId: text }, plain), { maxLength: 4 }),
    leftOn: fc.option(date),
    lastDeparture: fc.option(departure),
    readmitted: fc.boolean(),
    before: fc.record({ lastDeparture: fc.option(departure), readmitted: fc.boolean() }, plain),
    lastDate: date,
    forgotten: fc.boolean(),
  },
  {
    ...plain,
    requiredKeys: [...PERSON_FIELDS],
  },
) as fc.Arbitrary<PersonRecord>

/** A row as the store gives it back: through JSON text. */
const throughText = (row: unknown): unknown => JSON.parse(JSON.stringify(row))

describe('the world keyed rows', () => {
  it('keep every person record positionally and read it back equal', () => {
    fc.assert(
      fc.property(person, (record) => {
        const row = worldRows.toRow('p:ng1', record)
        expect(Array.isArray(row)).toBe(true)
        expect(worldRows.fromRow('p:ng1', throughText(row))).toStrictEqual(record)
      }),
    )
  })

  it('keep a record of another shape as it is, read back equal', () => {
    const changed = fc.tuple(person, fc.nat(30), fc.anything()).map(([record, which, value]) => {
      const copy: Record<string, unknown> = { ...record }
      const keys = Object.keys(copy)
      const key = keys[which % keys.length] as string
      if (which % 3 === 0) delete copy[key]
      else if (which % 3 === 1) copy[`${key}2`] = value
      else copy[key] = value
      return copy
    })
    fc.assert(
      fc.property(fc.oneof(changed, fc.anything()), (value) => {
        const row = personRow(value)
        const back = worldRows.fromRow(
          'p:ng1',
          row === undefined ? worldRows.toRow('p:ng1', value) : throughText(row),
        )
        expect(back).toStrictEqual(value)
      }),
    )
  })

  it('write a new person a third of the size of the record', () => {
    const record = newPerson('candidate', 'du-ha-noi-h01-x09-c03', '2024-05-06')
    record.profile = { birthDate: '2001-03-04', sex: 'female', occupation: 'student' }
    record.headcount.push({ from: '2024-05-06', orgId: 'du-ha-noi-h01-x09-c03' })
    const row = JSON.stringify(worldRows.toRow('p:ng1', record))
    expect(row.length * 2).toBeLessThan(JSON.stringify(record).length)
    expect(personOf(JSON.parse(row) as unknown[])).toStrictEqual(record)
  })

  it('keep a member set as an array, and any other value under its key as it is', () => {
    fc.assert(
      fc.property(fc.array(text), fc.anything(), (ids, other) => {
        const set = new Set(ids)
        expect(worldRows.fromRow('m:o1', throughText(worldRows.toRow('m:o1', set)))).toStrictEqual(set)
        expect(worldRows.fromRow('m:o1', worldRows.toRow('m:o1', other))).toStrictEqual(other)
        expect(worldRows.fromRow('d:s', worldRows.toRow('d:s', other))).toStrictEqual(other)
      }),
    )
  })
})
