/**
 * A small valid world for the rule examples: a province with two districts, a commune with three
 * villages, a grassroots committee with two cells, and a candidate's pipeline step by step.
 * @internal
 */
import * as E from 'fp-ts/Either'
import type { Command } from '../../commands'
import { decide } from '../../decider'
import type { DomainEvent, Profile } from '../../events'
import { defaultPolicy, type Policies, type Policy } from '../../policy'
import { evolve } from '../../validator'
import { emptyWorld, type WorldState } from '../world'

/** @internal */
export const D0 = '2018-01-01'

/** Registers an organization. @internal */
export const registerOrg = (
  orgId: string,
  level: 'central' | 'province' | 'district' | 'bloc' | 'grassroots' | 'cell',
  parentId: string | null,
  extra: { unitId?: string; villageId?: string; on?: string } = {},
): Command => ({
  kind: 'RegisterOrganization',
  orgId,
  name: `Tổ chức ${orgId}`,
  level,
  parentId,
  on: D0,
  ...extra,
})

/** The geography every example starts from. @internal */
export const GEOGRAPHY: ReadonlyArray<Command> = [
  registerOrg('prov', 'province', null),
  registerOrg('d1', 'district', 'prov'),
  registerOrg('d2', 'district', 'prov'),
  { kind: 'RegisterUnit', unitId: 'xa1', name: 'Xã 1', unitKind: 'commune', orgId: 'd1', on: D0 },
  { kind: 'RegisterVillage', villageId: 't1', name: 'Thôn 1', unitId: 'xa1', on: D0 },
  { kind: 'RegisterVillage', villageId: 't2', name: 'Thôn 2', unitId: 'xa1', on: D0 },
  { kind: 'RegisterVillage', villageId: 't3', name: 'Thôn 3', unitId: 'xa1', on: D0 },
  registerOrg('du1', 'grassroots', 'd1', { unitId: 'xa1' }),
  registerOrg('cb1', 'cell', 'du1', { villageId: 't1' }),
  registerOrg('cb2', 'cell', 'du1', { villageId: 't2' }),
]

/** A candidate's profile: born 1995-05-20. @internal */
export const PROFILE: Profile = {
  birthDate: '1995-05-20',
  sex: 'female',
  ethnicMinority: true,
  occupation: 'farmer',
}

/** The steps of a full pipeline in cell cb1, up to confirmation. @internal */
export const pipeline = (personId: string, profile: Profile = PROFILE): Command[] => [
  {
    kind: 'NominateCandidate',
    personId,
    orgId: 'cb1',
    nominatedBy: 'youth-union',
    profile,
    villageId: 't1',
    on: '2020-01-10',
  },
  { kind: 'CompleteAwarenessClass', personId, certificateNo: `GCN-${personId}`, on: '2020-02-10' },
  { kind: 'VerifyBackground', personId, outcome: 'cleared', on: '2020-03-10' },
  { kind: 'RecordCellVote', personId, inFavour: 10, eligible: 15, on: '2020-04-10' },
  { kind: 'RecordCommitteeVote', personId, inFavour: 5, eligible: 7, on: '2020-04-20' },
  { kind: 'DecideAdmission', personId, decisionNo: `QĐ-${personId}`, decidedBy: 'd1', on: '2020-05-10' },
  { kind: 'AdmitMember', personId, orgId: 'cb1', on: '2020-06-01' },
  { kind: 'ConfirmMembership', personId, on: '2021-06-01' },
]

/** Runs commands from an empty world, failing loudly on a rejected one (a broken fixture). @internal */
export const run = (
  commands: ReadonlyArray<Command>,
  policy: Policy | Policies = defaultPolicy,
): WorldState => {
  const world = emptyWorld()
  for (const c of commands) {
    const r = decide(c, world, policy)
    if (E.isLeft(r)) throw new Error(`fixture command ${c.kind} rejected: ${r.left.code} ${r.left.message}`)
    for (const e of r.right) evolve(world, e, policy)
  }
  return world
}

/** The code a command is rejected with after `given`, or 'ok'. @internal */
export const outcome = (
  given: ReadonlyArray<Command>,
  when: Command,
  policy: Policy | Policies = defaultPolicy,
  recordedAt?: string,
): string => {
  const r = decide(when, run(given, policy), policy, recordedAt)
  return E.isLeft(r) ? r.left.code : 'ok'
}

/** The events commands produce. @internal */
export const eventsOf = (
  commands: ReadonlyArray<Command>,
  policy: Policy | Policies = defaultPolicy,
): DomainEvent[] => {
  const world = emptyWorld()
  const out: DomainEvent[] = []
  for (const c of commands) {
    const r = decide(c, world, policy)
    if (E.isLeft(r)) throw new Error(`fixture command ${c.kind} rejected: ${r.left.code}`)
    for (const e of r.right) {
      evolve(world, e, policy)
      out.push(e)
    }
  }
  return out
}
