import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { partyDevelopment } from './domain'
import { defaultPolicy, votePasses } from './policy'
import { EXAMPLE_EVENTS } from './internal/rules/examples'

describe('partyDevelopment', () => {
  const domain = partyDevelopment()
  it('decodes what it encodes, at schema version 1, on the event stream', () => {
    for (const e of EXAMPLE_EVENTS) {
      const { type, data } = domain.encode(e)
      // A clear store cannot forget anyone: it refuses the erasure (docs/security.md).
      if (type === 'PersonForgotten') {
        expect(E.isLeft(domain.decode(type, data)) && domain.decode(type, data)).toMatchObject({
          left: [{ code: 'no-master-key' }],
        })
        continue
      }
      expect(domain.decode(type, JSON.parse(JSON.stringify(data)))).toEqual(E.right(e))
      expect(domain.schemaVersionOf(type)).toBe(1)
      expect(domain.streamOf(e)).toMatch(/^(org|unit|village|person|quota|target|class)-/)
    }
    expect(domain.upcasters).toEqual([])
  })
  it('carries the reports projection, which folds what the domain accepts', () => {
    const { projection } = domain.reporting
    expect(projection.name).toBe('ketnap.reports')
    const state = EXAMPLE_EVENTS.slice(0, 5).reduce(
      (s, e, i) => projection.apply(s, e, { position: i + 1, recordedAt: '2030-01-01T00:00:00.000Z' }),
      projection.init(),
    )
    expect(projection.serialize?.(state)).toBeDefined()
  })
  it('validates with the policy it is given', () => {
    const strict = partyDevelopment({
      policy: { ...defaultPolicy, majority: { numerator: 3, denominator: 4 } },
    })
    const world = strict.validator.initialState()
    expect(world.orgs.size).toBe(0)
    const e = EXAMPLE_EVENTS.find((x) => x.type === 'TargetSet')
    if (e === undefined) throw new Error('fixture')
    expect(
      strict.validator
        .validate(world, e, { stream: 's', recordedAt: '2030-01-01T00:00:00Z' })
        .map((x) => x.code),
    ).toEqual(['org-exists'])
  })
})

describe('votePasses', () => {
  it('needs two thirds of all eligible members', () => {
    expect(votePasses(defaultPolicy, 10, 15)).toBe(true)
    expect(votePasses(defaultPolicy, 9, 15)).toBe(false)
    expect(votePasses(defaultPolicy, 2, 3)).toBe(true)
    expect(votePasses(defaultPolicy, 0, 0)).toBe(false)
  })
})
