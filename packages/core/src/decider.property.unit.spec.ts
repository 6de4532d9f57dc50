import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { addDays } from './calendar'
import { type Command, commandOf } from './commands'
import { decide } from './decider'
import type { DomainEvent } from './events'
import { defaultPolicy } from './policy'
import { streamOf } from './streams'
import { validator } from './validator'
import { emptyWorld } from './internal/world'
import { evolve } from './validator'
import { historyArb } from './internal/histories'

const policy = defaultPolicy
const v = validator(policy)

/** Decides every command in order; the events, or the first rejection. */
const decideAll = (commands: ReadonlyArray<Command>): E.Either<string, DomainEvent[]> => {
  const world = emptyWorld()
  const events: DomainEvent[] = []
  for (const c of commands) {
    const r = decide(c, world, policy)
    if (E.isLeft(r)) return E.left(`${c.kind}: ${r.left.code} ${r.left.message}`)
    for (const e of r.right) {
      evolve(world, e, policy)
      events.push(e)
    }
  }
  return E.right(events)
}

/** Replays events through the validator: the first rejected index and its codes, or null. */
const firstRejection = (events: ReadonlyArray<DomainEvent>): { index: number; codes: string[] } | null => {
  const world = v.initialState()
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as DomainEvent
    const on = e.type === 'AwarenessClassHeld' ? e.data.from : e.data.on
    const ctx = { stream: streamOf(e), recordedAt: `${on > '2030' ? on : '2030-01-01'}T00:00:00Z` }
    const errors = v.validate(world, e, ctx)
    if (errors.length > 0) return { index: i, codes: errors.map((x) => x.code) }
    v.evolve(world, e, ctx)
  }
  return null
}

const validHistory = historyArb.map((commands) => {
  const r = decideAll(commands)
  if (E.isLeft(r)) throw new Error(`generator produced an invalid history: ${r.left}`)
  return r.right
})

const personEvent = <T extends DomainEvent['type']>(events: ReadonlyArray<DomainEvent>, type: T): number[] =>
  events.flatMap((e, i) => (e.type === type ? [i] : []))

/** Replaces event `i`. */
const replace = (events: ReadonlyArray<DomainEvent>, i: number, e: DomainEvent): DomainEvent[] =>
  events.map((x, k) => (k === i ? e : x))

describe('decider and validator agree', () => {
  test.prop([historyArb])(
    'every command of a valid history is accepted, and its events pass the validator',
    (commands) => {
      const r = decideAll(commands)
      expect(r).toSatisfy(E.isRight)
      if (E.isRight(r)) {
        expect(firstRejection(r.right)).toBeNull()
        // Each event maps back to the command that produced it.
        expect(r.right.map(commandOf)).toEqual(commands)
      }
    },
  )
})

describe('a mutation that breaks a rule is rejected with its code', () => {
  test.prop([validHistory, fc.nat()])(
    'date-order: a person step dated before the previous step',
    (events, k) => {
      const candidates = events.flatMap((e, i) => {
        if (!('personId' in e.data) || e.type === 'VillageHeadAppointed') return []
        const stream = streamOf(e)
        const prev = events.slice(0, i).findLast((x) => streamOf(x) === stream)
        return prev === undefined ? [] : [{ i, prevOn: (prev.data as { on: string }).on }]
      })
      fc.pre(candidates.length > 0)
      const { i, prevOn } = candidates[k % candidates.length] as { i: number; prevOn: string }
      const e = events[i] as DomainEvent
      const mutated = { ...e, data: { ...e.data, on: addDays(prevOn, -1) } } as DomainEvent
      const r = firstRejection(replace(events, i, mutated))
      expect(r?.index).toBe(i)
      expect(r?.codes).toContain('date-order')
    },
  )

  test.prop([validHistory, fc.nat(), fc.integer({ min: 1, max: 5 })])(
    'vote-counts: more in favour than eligible',
    (events, k, extra) => {
      const votes = [...personEvent(events, 'CellVoted'), ...personEvent(events, 'CommitteeVoted')]
      fc.pre(votes.length > 0)
      const i = votes[k % votes.length] as number
      const e = events[i] as DomainEvent & { data: { eligible: number } }
      const mutated = { ...e, data: { ...e.data, inFavour: e.data.eligible + extra } } as DomainEvent
      const r = firstRejection(replace(events, i, mutated))
      expect(r?.index).toBe(i)
      expect(r?.codes).toContain('vote-counts')
    },
  )

  test.prop([validHistory, fc.nat(), fc.integer({ min: 1, max: 2000 })])(
    'age-window: a candidate under 18 at the cell vote',
    (events, k, daysShort) => {
      const votes = personEvent(events, 'CellVoted')
      fc.pre(votes.length > 0)
      const i = votes[k % votes.length] as number
      const vote = events[i] as DomainEvent & { data: { personId: string; on: string } }
      const n = events.findLastIndex(
        (e, j) => j < i && e.type === 'CandidateNominated' && e.data.personId === vote.data.personId,
      )
      const nomination = events[n] as Extract<DomainEvent, { type: 'CandidateNominated' }>
      const birthDate = addDays(`${Number(vote.data.on.slice(0, 4)) - 18}${vote.data.on.slice(4)}`, daysShort)
      const mutated = {
        ...nomination,
        data: { ...nomination.data, profile: { ...nomination.data.profile, birthDate } },
      }
      // The first vote of that candidacy is the first rejected event.
      const first = events.findIndex(
        (e, j) => j > n && e.type === 'CellVoted' && e.data.personId === vote.data.personId,
      )
      const r = firstRejection(replace(events, n, mutated))
      expect(r?.index).toBe(first)
      expect(r?.codes).toContain('age-window')
    },
  )

  test.prop([validHistory, fc.nat()])('cell-vote-majority: the passing cell vote fails', (events, k) => {
    // The passing vote is followed by a committee vote or a decision of the same person.
    const targets = personEvent(events, 'CellVoted').flatMap((i) => {
      const vote = events[i] as Extract<DomainEvent, { type: 'CellVoted' }>
      const nextIdx = events.findIndex(
        (e, j) =>
          j > i && 'personId' in e.data && e.data.personId === vote.data.personId && e.type !== 'MemberMoved',
      )
      const next = events[nextIdx]
      return next !== undefined && (next.type === 'CommitteeVoted' || next.type === 'AdmissionDecided')
        ? [{ i, nextIdx }]
        : []
    })
    fc.pre(targets.length > 0)
    const { i, nextIdx } = targets[k % targets.length] as { i: number; nextIdx: number }
    const vote = events[i] as Extract<DomainEvent, { type: 'CellVoted' }>
    const failing = Math.ceil((vote.data.eligible * 2) / 3) - 1
    fc.pre(failing >= 0)
    const r = firstRejection(replace(events, i, { ...vote, data: { ...vote.data, inFavour: failing } }))
    expect(r?.index).toBe(nextIdx)
    expect(r?.codes).toContain('cell-vote-majority')
  })

  test.prop([validHistory, fc.nat(), fc.integer({ min: 1, max: 300 })])(
    'probation-not-over: a confirmation before 12 months',
    (events, k, early) => {
      const confirmations = personEvent(events, 'MembershipConfirmed')
      fc.pre(confirmations.length > 0)
      const i = confirmations[k % confirmations.length] as number
      const e = events[i] as Extract<DomainEvent, { type: 'MembershipConfirmed' }>
      const admission = events.findLast(
        (x, j) => j < i && x.type === 'MemberAdmitted' && x.data.personId === e.data.personId,
      ) as Extract<DomainEvent, { type: 'MemberAdmitted' }>
      const on = addDays(admission.data.on, Math.max(0, 365 - early))
      const r = firstRejection(replace(events, i, { ...e, data: { ...e.data, on } }))
      expect(r?.index).toBe(i)
      expect(r?.codes).toContain('probation-not-over')
    },
  )

  test.prop([validHistory, fc.nat()])('org-exists: a nomination to an unknown cell', (events, k) => {
    const nominations = personEvent(events, 'CandidateNominated')
    const i = nominations[k % nominations.length] as number
    const e = events[i] as Extract<DomainEvent, { type: 'CandidateNominated' }>
    const r = firstRejection(replace(events, i, { ...e, data: { ...e.data, orgId: 'no-such-cell' } }))
    expect(r?.index).toBe(i)
    expect(r?.codes).toContain('org-exists')
  })

  test.prop([validHistory, fc.nat()])('leave-reason: a probationary member expelled', (events, k) => {
    const admissions = personEvent(events, 'MemberAdmitted')
    fc.pre(admissions.length > 0)
    const i = admissions[k % admissions.length] as number
    const a = events[i] as Extract<DomainEvent, { type: 'MemberAdmitted' }>
    const expelled: DomainEvent = {
      type: 'MemberLeft',
      data: { personId: a.data.personId, reason: 'expelled', on: a.data.on },
    }
    const mutated = [...events.slice(0, i + 1), expelled, ...events.slice(i + 1)]
    const r = firstRejection(mutated)
    expect(r?.index).toBe(i + 1)
    expect(r?.codes).toContain('leave-reason')
  })

  test.prop([validHistory, fc.nat()])('lifecycle-order: a candidacy step skipped', (events, k) => {
    const votes = personEvent(events, 'CellVoted')
    fc.pre(votes.length > 0)
    const vote = events[votes[k % votes.length] as number] as Extract<DomainEvent, { type: 'CellVoted' }>
    // Drop every verification of that person: the vote now comes before any verification.
    const mutated = events.filter(
      (e) => !(e.type === 'BackgroundVerified' && e.data.personId === vote.data.personId),
    )
    const r = firstRejection(mutated)
    expect(r).not.toBeNull()
    expect(mutated[r?.index ?? 0]?.type).toBe('CellVoted')
    expect(r?.codes).toContain('lifecycle-order')
  })
})
