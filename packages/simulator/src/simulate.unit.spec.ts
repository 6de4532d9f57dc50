/**
 * The simulator's promises on the tiny scale: every line passes the validator that every import goes
 * through, in order; the same options give the same bytes; the record clock never runs backwards.
 */
import { createHash } from 'node:crypto'
import { decodeEvent, defaultPolicy, streamOf, validator } from '@ketnap/core'
import { describe, expect, it } from 'vitest'
import { SCALES, simulate, simulateOptionsError } from './index'

const sha256 = (lines: Iterable<string>): string => {
  const hash = createHash('sha256')
  for (const line of lines) hash.update(`${line}\n`)
  return hash.digest('hex')
}

describe('simulate', () => {
  it('writes a tiny history whose every line the validator accepts, in order', () => {
    const check = validator(defaultPolicy)
    let world = check.initialState()
    const problems: string[] = []
    const types = new Set<string>()
    let lines = 0
    let last = ''
    for (const text of simulate({ scale: 'tiny' })) {
      lines++
      const line = JSON.parse(text) as { type: string; data: unknown; recordedAt: string }
      expect(Object.keys(line)).toEqual(['type', 'data', 'recordedAt', 'id'])
      const event = decodeEvent(line.type, line.data)
      if (event._tag === 'Left') {
        problems.push(`${lines}: ${JSON.stringify(event.left)}`)
        continue
      }
      const recordedAt = line.recordedAt
      expect(recordedAt >= last).toBe(true)
      last = recordedAt
      const context = { stream: streamOf(event.right), recordedAt }
      const errors = check.validate(world, event.right, context)
      if (errors.length > 0) problems.push(`${lines}: ${JSON.stringify(errors)} ${text}`)
      else world = check.evolve(world, event.right, context)
      types.add(event.right.type)
    }
    expect(problems.slice(0, 5)).toEqual([])
    expect(lines).toBe(SCALES.tiny.events)
    // Every kind of fact the catalog has, but a village retired (villages follow their commune).
    expect([...types].sort()).toEqual(
      [
        'AdmissionAnnulled',
        'AdmissionDecided',
        'AwarenessClassCompleted',
        'AwarenessClassHeld',
        'BackgroundVerified',
        'CandidacyClosed',
        'CandidateNominated',
        'CellVoted',
        'CommitteeVoted',
        'ExistingMemberRegistered',
        'MemberAdmitted',
        'MemberLeft',
        'MemberMoved',
        'MemberTransferred',
        'MembershipConfirmed',
        'OrganizationDissolved',
        'OrganizationMoved',
        'OrganizationRated',
        'OrganizationRegistered',
        'QuotaAssigned',
        'QuotaRevised',
        'TargetSet',
        'UnitMoved',
        'UnitRegistered',
        'UnitRetired',
        'VillageHeadAppointed',
        'VillageRegistered',
      ].sort(),
    )
  })

  it("writes a valid history where a province's quota for students is revised (seed 3), naming it by its occupation", () => {
    const check = validator(defaultPolicy)
    let world = check.initialState()
    const problems: string[] = []
    let revisedForStudents = 0
    for (const text of simulate({ scale: 'tiny', seed: 3 })) {
      const line = JSON.parse(text) as { type: string; data: { occupation?: string }; recordedAt: string }
      const event = decodeEvent(line.type, line.data)
      if (event._tag === 'Left') {
        problems.push(JSON.stringify(event.left))
        continue
      }
      if (line.type === 'QuotaRevised' && line.data.occupation === 'student') revisedForStudents++
      const context = { stream: streamOf(event.right), recordedAt: line.recordedAt }
      const errors = check.validate(world, event.right, context)
      if (errors.length > 0) problems.push(`${JSON.stringify(errors)} ${text}`)
      else world = check.evolve(world, event.right, context)
    }
    expect(problems.slice(0, 3)).toEqual([])
    expect(revisedForStudents).toBeGreaterThan(0)
  })

  it('gives the bytes recorded for the default tiny history (a change of output must update SCALES and docs)', () => {
    expect(sha256(simulate({ scale: 'tiny' }))).toBe(
      '317c8867e39f0c1ccf832eb5fcf38ff655ba519387d9ec8d3e64ebb06e21d3a4',
    )
  })

  it('gives every line an id of its own, named after the options and the line', () => {
    const ids = [...simulate({ scale: 'tiny', years: 3 })].map(
      (line) => (JSON.parse(line) as { id: string }).id,
    )
    expect(ids[0]).toBe('tiny-1-2016-3-0')
    expect(ids[36]).toBe('tiny-1-2016-3-10')
    expect(new Set(ids).size).toBe(ids.length)
    const other = (JSON.parse([...simulate({ scale: 'tiny', years: 3, seed: 2 })][0] ?? '') as { id: string })
      .id
    expect(other).toBe('tiny-2-2016-3-0')
  })

  it('gives the same bytes for the same options, and other bytes for another seed', () => {
    const first = sha256(simulate({ scale: 'tiny', years: 3 }))
    expect(sha256(simulate({ scale: 'tiny', years: 3 }))).toBe(first)
    expect(sha256(simulate({ scale: 'tiny', years: 3, seed: 2 }))).not.toBe(first)
  })

  it('is lazy: the first national line comes without simulating the country', () => {
    const started = Date.now()
    for (const line of simulate({ scale: 'national' })) {
      expect(JSON.parse(line)).toMatchObject({ type: 'OrganizationRegistered', data: { orgId: 'tw' } })
      break
    }
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('refuses options it cannot simulate', () => {
    expect(simulateOptionsError({ scale: 'tiny' })).toBeNull()
    expect(simulateOptionsError({ scale: 'tiny', years: 0 })).toMatch(/years/)
    expect(simulateOptionsError({ scale: 'tiny', from: 1800 })).toMatch(/between/)
    expect(simulateOptionsError({ scale: 'huge' as 'tiny' })).toMatch(/unknown scale/)
    expect(() => simulate({ scale: 'tiny', years: 1.5 })).toThrow(RangeError)
  })
})
