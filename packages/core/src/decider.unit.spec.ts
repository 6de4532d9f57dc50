import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import type { Command } from './commands'
import { decide, partyDecider } from './decider'
import { defaultPolicy } from './policy'
import { GEOGRAPHY, PROFILE, outcome, pipeline, registerOrg, run } from './internal/rules/fixtures'
import { RULES } from './rules'
import { validator } from './validator'

const G = GEOGRAPHY
const p1 = pipeline('p1')
/** The pipeline of p1 up to (not including) step `n`: 1 nominated ... 7 admitted, 8 confirmed. */
const upTo = (n: number): Command[] => [...G, ...p1.slice(0, n)]
const step = (n: number): Command => p1[n] as Command
const nominate = (personId: string, on: string, extra: Partial<Command> = {}): Command =>
  ({ ...step(0), personId, on, ...extra }) as Command
const leave = (reason: string, on: string): Command =>
  ({ kind: 'RecordDeparture', personId: 'p1', reason, on }) as Command

interface Case {
  readonly name: string
  readonly given: ReadonlyArray<Command>
  readonly when: Command
  readonly expected: string
}

const cases: ReadonlyArray<Case> = [
  // Organizations
  {
    name: 'a cell under an active grassroots organization',
    given: G,
    when: registerOrg('cb3', 'cell', 'du1'),
    expected: 'ok',
  },
  {
    name: 'an id registered twice',
    given: G,
    when: registerOrg('cb1', 'cell', 'du1'),
    expected: 'org-duplicate',
  },
  {
    name: 'a district without parent',
    given: G,
    when: registerOrg('d3', 'district', null),
    expected: 'parent-required',
  },
  { name: 'an unknown parent', given: G, when: registerOrg('cb3', 'cell', 'nope'), expected: 'org-exists' },
  {
    name: 'a parent not yet registered on the date',
    given: G,
    when: registerOrg('cb3', 'cell', 'du1', { on: '2017-12-31' }),
    expected: 'org-not-active',
  },
  {
    name: 'a parent dissolved',
    given: [...G, { kind: 'DissolveOrganization', orgId: 'cb2', on: '2019-01-01' }],
    when: registerOrg('x', 'cell', 'cb2', { on: '2019-02-01' }),
    expected: 'org-not-active',
  },
  {
    name: 'an unknown unit',
    given: G,
    when: registerOrg('du2', 'grassroots', 'd1', { unitId: 'nope' }),
    expected: 'unit-exists',
  },
  {
    name: 'a retired village',
    given: [...G, { kind: 'RetireVillage', villageId: 't3', on: '2019-01-01' }],
    when: registerOrg('cb3', 'cell', 'du1', { villageId: 't3', on: '2019-06-01' }),
    expected: 'village-not-active',
  },
  {
    name: 'a move',
    given: G,
    when: { kind: 'MoveOrganization', orgId: 'du1', parentId: 'd2', on: '2019-01-01' },
    expected: 'ok',
  },
  {
    name: 'a move under a descendant',
    given: G,
    when: { kind: 'MoveOrganization', orgId: 'd1', parentId: 'cb1', on: '2019-01-01' },
    expected: 'org-cycle',
  },
  {
    name: 'a move making a cycle from a later recorded move on',
    given: [...G, { kind: 'MoveOrganization', orgId: 'd1', parentId: 'd2', on: '2020-01-01' }],
    when: { kind: 'MoveOrganization', orgId: 'd2', parentId: 'd1', on: '2019-01-01' },
    expected: 'org-cycle',
  },
  {
    name: 'a move of an unknown organization',
    given: G,
    when: { kind: 'MoveOrganization', orgId: 'x', parentId: 'd2', on: '2019-01-01' },
    expected: 'org-exists',
  },
  {
    name: 'a dissolution',
    given: G,
    when: { kind: 'DissolveOrganization', orgId: 'cb2', mergedInto: 'cb1', on: '2019-01-01' },
    expected: 'ok',
  },
  {
    name: 'a dissolution with children',
    given: G,
    when: { kind: 'DissolveOrganization', orgId: 'du1', on: '2019-01-01' },
    expected: 'dissolve-has-children',
  },
  {
    name: 'a dissolution with a child moved in later',
    given: [
      ...G,
      registerOrg('du2', 'grassroots', 'd2'),
      { kind: 'MoveOrganization', orgId: 'du2', parentId: 'd1', on: '2021-01-01' },
    ],
    when: { kind: 'DissolveOrganization', orgId: 'd1', on: '2019-01-01' },
    expected: 'dissolve-has-children',
  },
  {
    name: 'a dissolution with members',
    given: upTo(7),
    when: { kind: 'DissolveOrganization', orgId: 'cb1', on: '2020-07-01' },
    expected: 'dissolve-has-members',
  },
  {
    name: 'a dissolution after the members were transferred',
    given: [...upTo(7), { kind: 'TransferMember', personId: 'p1', toOrgId: 'cb2', on: '2020-06-15' }],
    when: { kind: 'DissolveOrganization', orgId: 'cb1', on: '2020-07-01' },
    expected: 'ok',
  },
  {
    name: 'a dissolution after a temporary transfer',
    given: [
      ...upTo(7),
      { kind: 'TransferMember', personId: 'p1', toOrgId: 'cb2', temporary: true, on: '2020-06-15' },
    ],
    when: { kind: 'DissolveOrganization', orgId: 'cb1', on: '2020-07-01' },
    expected: 'dissolve-has-members',
  },
  {
    name: 'a merger into itself',
    given: G,
    when: { kind: 'DissolveOrganization', orgId: 'cb2', mergedInto: 'cb2', on: '2019-01-01' },
    expected: 'merge-into-self',
  },
  {
    name: 'a rating',
    given: G,
    when: { kind: 'RateOrganization', orgId: 'du1', year: 2018, rating: 'good', on: '2019-01-15' },
    expected: 'ok',
  },
  {
    name: 'a rating of nobody',
    given: G,
    when: { kind: 'RateOrganization', orgId: 'x', year: 2018, rating: 'good', on: '2019-01-15' },
    expected: 'org-exists',
  },
  // Units and villages
  {
    name: 'a unit',
    given: G,
    when: { kind: 'RegisterUnit', unitId: 'xa2', name: 'Xã 2', unitKind: 'commune', orgId: 'd2', on: D1() },
    expected: 'ok',
  },
  {
    name: 'a unit twice',
    given: G,
    when: { kind: 'RegisterUnit', unitId: 'xa1', name: 'Xã 1', unitKind: 'commune', orgId: 'd2', on: D1() },
    expected: 'unit-duplicate',
  },
  {
    name: 'a unit under nobody',
    given: G,
    when: { kind: 'RegisterUnit', unitId: 'xa2', name: 'Xã 2', unitKind: 'school', orgId: 'x', on: D1() },
    expected: 'org-exists',
  },
  {
    name: 'a unit move',
    given: G,
    when: { kind: 'MoveUnit', unitId: 'xa1', orgId: 'd2', on: D1() },
    expected: 'ok',
  },
  {
    name: 'a move of no unit',
    given: G,
    when: { kind: 'MoveUnit', unitId: 'x', orgId: 'd2', on: D1() },
    expected: 'unit-exists',
  },
  { name: 'a unit retired', given: G, when: { kind: 'RetireUnit', unitId: 'xa1', on: D1() }, expected: 'ok' },
  {
    name: 'a unit retired twice',
    given: [...G, { kind: 'RetireUnit', unitId: 'xa1', on: D1() }],
    when: { kind: 'RetireUnit', unitId: 'xa1', on: '2019-02-01' },
    expected: 'unit-not-active',
  },
  {
    name: 'a village',
    given: G,
    when: { kind: 'RegisterVillage', villageId: 't4', name: 'Thôn 4', unitId: 'xa1', on: D1() },
    expected: 'ok',
  },
  {
    name: 'a village twice',
    given: G,
    when: { kind: 'RegisterVillage', villageId: 't1', name: 'Thôn 1', unitId: 'xa1', on: D1() },
    expected: 'village-duplicate',
  },
  {
    name: 'a village in a retired unit',
    given: [...G, { kind: 'RetireUnit', unitId: 'xa1', on: D1() }],
    when: { kind: 'RegisterVillage', villageId: 't4', name: 'Thôn 4', unitId: 'xa1', on: '2019-02-01' },
    expected: 'unit-not-active',
  },
  {
    name: 'a village retired',
    given: G,
    when: { kind: 'RetireVillage', villageId: 't3', mergedInto: 't2', on: D1() },
    expected: 'ok',
  },
  {
    name: 'no village retired',
    given: G,
    when: { kind: 'RetireVillage', villageId: 'x', on: D1() },
    expected: 'village-exists',
  },
  // A person: nomination
  { name: 'a nomination', given: G, when: step(0), expected: 'ok' },
  {
    name: 'a second open candidacy',
    given: upTo(1),
    when: nominate('p1', '2020-02-01'),
    expected: 'candidacy-open',
  },
  {
    name: 'a nomination of a member',
    given: upTo(7),
    when: nominate('p1', '2020-07-01'),
    expected: 'already-member',
  },
  {
    name: 'a nomination after a closed candidacy',
    given: [...upTo(1), { kind: 'CloseCandidacy', personId: 'p1', reason: 'withdrawn', on: '2020-01-20' }],
    when: nominate('p1', '2020-02-01'),
    expected: 'ok',
  },
  {
    name: 'a nomination into a dissolved cell',
    given: [...G, { kind: 'DissolveOrganization', orgId: 'cb2', on: D1() }],
    when: nominate('p1', '2020-01-10', { orgId: 'cb2' } as Partial<Command>),
    expected: 'org-not-active',
  },
  {
    name: 'a nomination in no village',
    given: G,
    when: nominate('p1', '2020-01-10', { villageId: 'x' } as Partial<Command>),
    expected: 'village-exists',
  },
  // Readmission
  {
    name: 'readmission without consent',
    given: [...upTo(8), leave('struck-off', '2022-01-01')],
    when: nominate('p1', '2025-01-02'),
    expected: 'readmission',
  },
  {
    name: 'readmission too soon',
    given: [...upTo(8), leave('struck-off', '2022-01-01')],
    when: nominate('p1', '2024-12-31', { readmissionApproval: 'CV 1' } as Partial<Command>),
    expected: 'readmission',
  },
  {
    name: 'readmission after 36 months with consent',
    given: [...upTo(8), leave('struck-off', '2022-01-01')],
    when: nominate('p1', '2025-01-01', { readmissionApproval: 'CV 1' } as Partial<Command>),
    expected: 'ok',
  },
  {
    name: 'readmission after resigning',
    given: [...upTo(8), leave('resigned', '2022-01-01')],
    when: nominate('p1', '2026-01-01', { readmissionApproval: 'CV 1' } as Partial<Command>),
    expected: 'readmission',
  },
  {
    name: 'readmission after expulsion',
    given: [...upTo(8), leave('expelled', '2022-01-01')],
    when: nominate('p1', '2026-01-01', { readmissionApproval: 'CV 1' } as Partial<Command>),
    expected: 'readmission',
  },
  {
    name: 'a second readmission',
    given: [
      ...upTo(8),
      leave('struck-off', '2022-01-01'),
      ...p1.slice(0, 7).map(
        (c, i) =>
          ({
            ...c,
            on: `2025-0${i + 1}-10`,
            ...(i === 0 ? { readmissionApproval: 'CV 1' } : {}),
          }) as Command,
      ),
      leave('struck-off', '2025-09-01'),
    ],
    when: nominate('p1', '2029-01-01', { readmissionApproval: 'CV 2' } as Partial<Command>),
    expected: 'readmission',
  },
  // The candidacy steps
  { name: 'a class', given: upTo(1), when: step(1), expected: 'ok' },
  { name: 'a class of nobody', given: G, when: step(1), expected: 'person-exists' },
  {
    name: 'a class after the candidacy closed',
    given: [...upTo(1), { kind: 'CloseCandidacy', personId: 'p1', reason: 'rejected', on: '2020-01-20' }],
    when: step(1),
    expected: 'not-a-candidate',
  },
  { name: 'a verification', given: upTo(2), when: step(2), expected: 'ok' },
  { name: 'a verification before the class', given: upTo(1), when: step(2), expected: 'lifecycle-order' },
  { name: 'a cell vote', given: upTo(3), when: step(3), expected: 'ok' },
  { name: 'a cell vote before verification', given: upTo(2), when: step(3), expected: 'lifecycle-order' },
  {
    name: 'a cell vote after a verification that did not clear',
    given: [...upTo(2), { ...step(2), outcome: 'not-cleared' } as Command],
    when: step(3),
    expected: 'not-cleared',
  },
  {
    name: 'a verification again after one that did not clear',
    given: [
      ...upTo(2),
      { ...step(2), outcome: 'not-cleared' } as Command,
      { ...step(2), on: '2020-03-20' } as Command,
    ],
    when: step(3),
    expected: 'ok',
  },
  {
    name: 'more in favour than eligible',
    given: upTo(3),
    when: { ...step(3), inFavour: 16 } as Command,
    expected: 'vote-counts',
  },
  {
    name: 'nobody eligible',
    given: upTo(3),
    when: { ...step(3), inFavour: 0, eligible: 0 } as Command,
    expected: 'vote-counts',
  },
  {
    name: 'a failing cell vote is recorded',
    given: upTo(3),
    when: { ...step(3), inFavour: 9 } as Command,
    expected: 'ok',
  },
  {
    name: 'a full 18 on the vote day',
    given: [...G, ...pipeline('p1', { ...PROFILE, birthDate: '2002-04-10' }).slice(0, 3)],
    when: step(3),
    expected: 'ok',
  },
  {
    name: 'one day short of 18',
    given: [...G, ...pipeline('p1', { ...PROFILE, birthDate: '2002-04-11' }).slice(0, 3)],
    when: step(3),
    expected: 'age-window',
  },
  {
    name: 'over 60 without exception',
    given: [...G, ...pipeline('p1', { ...PROFILE, birthDate: '1960-03-09' }).slice(0, 3)],
    when: step(3),
    expected: 'age-window',
  },
  {
    name: 'a full 60 and some days',
    given: [...G, ...pipeline('p1', { ...PROFILE, birthDate: '1960-03-11' }).slice(0, 3)],
    when: step(3),
    expected: 'ok',
  },
  {
    name: 'over 60 with the exception',
    given: [
      ...G,
      { ...step(0), profile: { ...PROFILE, birthDate: '1950-01-01' }, ageException: 'CV 12-BTV' } as Command,
      step(1),
      step(2),
    ],
    when: step(3),
    expected: 'ok',
  },
  { name: 'a committee vote', given: upTo(4), when: step(4), expected: 'ok' },
  {
    name: 'a committee vote before the cell vote',
    given: upTo(3),
    when: step(4),
    expected: 'lifecycle-order',
  },
  {
    name: 'a committee vote after a failing cell vote',
    given: [...upTo(3), { ...step(3), inFavour: 9 } as Command],
    when: step(4),
    expected: 'cell-vote-majority',
  },
  {
    name: 'a cell vote again after a failing one',
    given: [...upTo(3), { ...step(3), inFavour: 9 } as Command, { ...step(3), on: '2020-04-12' } as Command],
    when: step(4),
    expected: 'ok',
  },
  {
    name: 'more in favour than eligible in committee',
    given: upTo(4),
    when: { ...step(4), inFavour: 8 } as Command,
    expected: 'vote-counts',
  },
  { name: 'a decision', given: upTo(5), when: step(5), expected: 'ok' },
  { name: 'a decision without committee vote', given: upTo(4), when: step(5), expected: 'ok' },
  {
    name: 'a decision after a failing committee vote',
    given: [...upTo(4), { ...step(4), inFavour: 4 } as Command],
    when: step(5),
    expected: 'committee-vote-majority',
  },
  {
    name: 'a decision after a failing cell vote',
    given: [...upTo(3), { ...step(3), inFavour: 9 } as Command],
    when: step(5),
    expected: 'cell-vote-majority',
  },
  {
    name: 'a second decision',
    given: upTo(6),
    when: { ...step(5), on: '2020-05-11' } as Command,
    expected: 'lifecycle-order',
  },
  {
    name: 'a decision by nobody',
    given: upTo(5),
    when: { ...step(5), decidedBy: 'x' } as Command,
    expected: 'org-exists',
  },
  { name: 'an admission', given: upTo(6), when: step(6), expected: 'ok' },
  { name: 'an admission before the decision', given: upTo(5), when: step(6), expected: 'lifecycle-order' },
  {
    name: 'an admission into another cell',
    given: upTo(6),
    when: { ...step(6), orgId: 'cb2' } as Command,
    expected: 'admission-org',
  },
  { name: 'a confirmation after 12 months', given: upTo(7), when: step(7), expected: 'ok' },
  {
    name: 'a confirmation a day early',
    given: upTo(7),
    when: { ...step(7), on: '2021-05-31' } as Command,
    expected: 'probation-not-over',
  },
  {
    name: 'a second confirmation',
    given: upTo(8),
    when: { ...step(7), on: '2021-07-01' } as Command,
    expected: 'not-probationary',
  },
  { name: 'a confirmation of a candidate', given: upTo(6), when: step(7), expected: 'not-a-member' },
  {
    name: 'a closed candidacy',
    given: upTo(3),
    when: { kind: 'CloseCandidacy', personId: 'p1', reason: 'not-eligible', on: '2020-03-20' },
    expected: 'ok',
  },
  {
    name: 'a closed candidacy of a member',
    given: upTo(7),
    when: { kind: 'CloseCandidacy', personId: 'p1', reason: 'withdrawn', on: '2020-07-01' },
    expected: 'not-a-candidate',
  },
  // Annulment
  {
    name: 'an annulment',
    given: upTo(7),
    when: { kind: 'AnnulAdmission', personId: 'p1', reason: 'hồ sơ sai', on: '2020-09-01' },
    expected: 'ok',
  },
  {
    name: 'an annulment of a candidate',
    given: upTo(6),
    when: { kind: 'AnnulAdmission', personId: 'p1', reason: 'x', on: '2020-09-01' },
    expected: 'not-admitted',
  },
  {
    name: 'a nomination after an annulment',
    given: [...upTo(7), { kind: 'AnnulAdmission', personId: 'p1', reason: 'x', on: '2020-09-01' }],
    when: nominate('p1', '2020-10-01'),
    expected: 'ok',
  },
  {
    name: 'a second annulment',
    given: [...upTo(7), { kind: 'AnnulAdmission', personId: 'p1', reason: 'x', on: '2020-09-01' }],
    when: { kind: 'AnnulAdmission', personId: 'p1', reason: 'x', on: '2020-10-01' },
    expected: 'not-admitted',
  },
  // A forgotten person: nothing personal recorded again, whatever keys a process holds
  {
    name: 'an annulment of a forgotten member',
    given: [...upTo(7), { kind: 'ForgetPerson', personId: 'p1', on: '2020-09-01' }],
    when: { kind: 'AnnulAdmission', personId: 'p1', reason: 'x', on: '2020-10-01' },
    expected: 'person-erased',
  },
  {
    name: 'a nomination of a forgotten person after an annulment',
    given: [
      ...upTo(7),
      { kind: 'AnnulAdmission', personId: 'p1', reason: 'x', on: '2020-09-01' },
      { kind: 'ForgetPerson', personId: 'p1', on: '2020-09-15' },
    ],
    when: nominate('p1', '2020-10-01'),
    expected: 'person-erased',
  },
  // Existing members
  {
    name: 'an existing member admitted before the organization existed',
    given: G,
    when: {
      kind: 'RegisterExistingMember',
      personId: 'm1',
      orgId: 'cb1',
      status: 'official',
      admittedOn: '2001-05-01',
      villageId: 't1',
      on: '2018-01-02',
    },
    expected: 'ok',
  },
  {
    name: 'an existing member already known',
    given: upTo(1),
    when: {
      kind: 'RegisterExistingMember',
      personId: 'p1',
      orgId: 'cb1',
      status: 'official',
      admittedOn: '2001-05-01',
      on: '2020-02-01',
    },
    expected: 'person-duplicate',
  },
  {
    name: 'an existing member admitted after registration',
    given: G,
    when: {
      kind: 'RegisterExistingMember',
      personId: 'm1',
      orgId: 'cb1',
      status: 'probationary',
      admittedOn: '2018-03-01',
      on: '2018-02-01',
    },
    expected: 'admitted-on',
  },
  {
    name: 'an existing member registered before the organization existed',
    given: G,
    when: {
      kind: 'RegisterExistingMember',
      personId: 'm1',
      orgId: 'cb1',
      status: 'official',
      admittedOn: '2001-05-01',
      on: '2017-06-01',
    },
    expected: 'org-not-active',
  },
  // Members
  {
    name: 'a transfer',
    given: upTo(7),
    when: { kind: 'TransferMember', personId: 'p1', toOrgId: 'cb2', on: '2020-07-01' },
    expected: 'ok',
  },
  {
    name: 'a transfer of a candidate',
    given: upTo(6),
    when: { kind: 'TransferMember', personId: 'p1', toOrgId: 'cb2', on: '2020-07-01' },
    expected: 'not-a-member',
  },
  {
    name: 'a transfer to nowhere',
    given: upTo(7),
    when: { kind: 'TransferMember', personId: 'p1', toOrgId: 'x', on: '2020-07-01' },
    expected: 'org-exists',
  },
  {
    name: 'a member moves',
    given: upTo(7),
    when: { kind: 'MoveMember', personId: 'p1', villageId: 't2', on: '2020-07-01' },
    expected: 'ok',
  },
  {
    name: 'a candidate moves out of any village',
    given: upTo(1),
    when: { kind: 'MoveMember', personId: 'p1', villageId: null, on: '2020-01-20' },
    expected: 'ok',
  },
  {
    name: 'a former member moves',
    given: [...upTo(8), leave('deceased', '2022-01-01')],
    when: { kind: 'MoveMember', personId: 'p1', villageId: 't2', on: '2022-02-01' },
    expected: 'not-a-member-or-candidate',
  },
  {
    name: 'a move into a retired village',
    given: [...upTo(7), { kind: 'RetireVillage', villageId: 't3', on: '2019-01-01' }],
    when: { kind: 'MoveMember', personId: 'p1', villageId: 't3', on: '2020-07-01' },
    expected: 'village-not-active',
  },
  { name: 'a death', given: upTo(7), when: leave('deceased', '2020-07-01'), expected: 'ok' },
  {
    name: 'a departure of a candidate',
    given: upTo(6),
    when: leave('deceased', '2020-07-01'),
    expected: 'not-a-member',
  },
  {
    name: 'an expelled probationary member',
    given: upTo(7),
    when: leave('expelled', '2020-07-01'),
    expected: 'leave-reason',
  },
  {
    name: 'an expelled official member',
    given: upTo(8),
    when: leave('expelled', '2021-07-01'),
    expected: 'ok',
  },
  {
    name: 'not confirmed during probation',
    given: upTo(7),
    when: leave('not-confirmed', '2021-05-31'),
    expected: 'leave-reason',
  },
  {
    name: 'not confirmed after probation',
    given: upTo(7),
    when: leave('not-confirmed', '2021-06-01'),
    expected: 'ok',
  },
  {
    name: 'not confirmed though official',
    given: upTo(8),
    when: leave('not-confirmed', '2021-07-01'),
    expected: 'leave-reason',
  },
  // Quotas, targets, classes, village heads
  { name: 'a quota from the parent', given: G, when: quota('d1', 'prov'), expected: 'ok' },
  { name: 'an own quota', given: G, when: quota('du1', 'du1'), expected: 'ok' },
  { name: 'a quota from an ancestor two levels up', given: G, when: quota('du1', 'prov'), expected: 'ok' },
  { name: 'a quota from a sibling', given: G, when: quota('du1', 'd2'), expected: 'quota-assigner' },
  { name: 'a quota from a descendant', given: G, when: quota('d1', 'du1'), expected: 'quota-assigner' },
  {
    name: 'a quota twice',
    given: [...G, quota('du1', 'd1')],
    when: { ...quota('du1', 'd1'), on: '2020-02-01' } as Command,
    expected: 'quota-duplicate',
  },
  {
    name: "the own and the superior's quota",
    given: [...G, quota('du1', 'd1')],
    when: quota('du1', 'du1'),
    expected: 'ok',
  },
  {
    name: 'a student quota beside the general one',
    given: [...G, quota('du1', 'd1')],
    when: { ...quota('du1', 'd1'), occupation: 'student' } as Command,
    expected: 'ok',
  },
  { name: 'a quota for nobody', given: G, when: quota('x', 'prov'), expected: 'org-exists' },
  { name: 'a revision', given: [...G, quota('du1', 'd1')], when: revise('du1'), expected: 'ok' },
  { name: 'a revision of nothing', given: G, when: revise('du1'), expected: 'quota-unknown' },
  {
    name: 'a revision of an unknown assigner',
    given: [...G, quota('du1', 'd1')],
    when: { ...revise('du1'), assignedBy: 'prov' } as Command,
    expected: 'quota-unknown',
  },
  {
    name: 'an ambiguous revision',
    given: [...G, quota('du1', 'd1'), quota('du1', 'du1')],
    when: revise('du1'),
    expected: 'quota-ambiguous',
  },
  {
    name: 'a revision naming its assigner',
    given: [...G, quota('du1', 'd1'), quota('du1', 'du1')],
    when: { ...revise('du1'), assignedBy: 'du1' } as Command,
    expected: 'ok',
  },
  {
    name: 'a revision dated before its quota',
    given: [...G, quota('du1', 'd1')],
    when: { ...revise('du1'), on: '2019-01-01' } as Command,
    expected: 'date-order',
  },
  { name: 'a target', given: G, when: target('prov'), expected: 'ok' },
  { name: 'a target for nobody', given: G, when: target('x'), expected: 'org-exists' },
  { name: 'a class held', given: G, when: heldClass('k1', '2020-04-05', '2020-04-09'), expected: 'ok' },
  {
    name: 'a class ending before it starts',
    given: G,
    when: heldClass('k1', '2020-04-05', '2020-04-04'),
    expected: 'class-dates',
  },
  {
    name: 'a class twice',
    given: [...G, heldClass('k1', '2020-04-05', '2020-04-09')],
    when: heldClass('k1', '2020-05-05', '2020-05-09'),
    expected: 'class-duplicate',
  },
  {
    name: 'a class before its organization',
    given: G,
    when: heldClass('k1', '2017-04-05', '2017-04-09'),
    expected: 'org-not-active',
  },
  {
    name: 'a village head',
    given: G,
    when: { kind: 'AppointVillageHead', villageId: 't1', personId: 'h1', on: D1() },
    expected: 'ok',
  },
  {
    name: 'a head of no village',
    given: G,
    when: { kind: 'AppointVillageHead', villageId: 'x', personId: 'h1', on: D1() },
    expected: 'village-exists',
  },
  // Dates in a stream
  {
    name: 'a step dated before the previous one',
    given: upTo(1),
    when: { ...step(1), on: '2020-01-09' } as Command,
    expected: 'date-order',
  },
]

function D1(): string {
  return '2019-01-01'
}
function quota(orgId: string, assignedBy: string): Command {
  return {
    kind: 'AssignQuota',
    orgId,
    period: '2020',
    target: 10,
    assignedBy,
    ref: 'NQ 04',
    on: '2020-01-10',
  }
}
function revise(orgId: string): Command {
  return { kind: 'ReviseQuota', orgId, period: '2020', target: 8, reason: 'điều chỉnh', on: '2020-09-01' }
}
function target(orgId: string): Command {
  return {
    kind: 'SetTarget',
    orgId,
    indicator: 'village-heads-members-share',
    period: '2020-2025',
    value: 0.9,
    on: '2020-01-10',
  }
}
function heldClass(classId: string, from: string, to: string): Command {
  return { kind: 'HoldAwarenessClass', classId, orgId: 'du1', from, to, trainees: 54 }
}

describe('decide: one accepted and one rejected example per rule', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(outcome(c.given, c.when)).toBe(c.expected)
  })
  it('covers every rule code with a rejected example', () => {
    const rejected = new Set(cases.map((c) => c.expected))
    const missing = Object.keys(RULES).filter((code) => code !== 'record-clock' && !rejected.has(code))
    expect(missing).toEqual([])
  })
  it('covers every command kind with an accepted example', () => {
    const accepted = new Set(cases.filter((c) => c.expected === 'ok').map((c) => c.when.kind))
    expect(accepted.size).toBe(28)
  })
})

describe('record clock', () => {
  const when = step(0)
  it('rejects a fact recorded before its day began in Vietnam', () => {
    expect(outcome(G, when, defaultPolicy, '2020-01-09T16:59:59Z')).toBe('record-clock')
    expect(outcome(G, when, defaultPolicy, '2020-01-09T17:00:00Z')).toBe('ok')
    expect(outcome(G, when, defaultPolicy, '2020-01-10T00:00:00+07:00')).toBe('ok')
  })
  it('uses `from` for a class', () => {
    expect(
      outcome(G, heldClass('k1', '2020-04-05', '2020-04-09'), defaultPolicy, '2020-04-05T01:00:00Z'),
    ).toBe('ok')
    expect(
      outcome(G, heldClass('k1', '2020-04-05', '2020-04-09'), defaultPolicy, '2020-04-04T01:00:00Z'),
    ).toBe('record-clock')
  })
  it('rejects a recordedAt earlier than the log last', () => {
    const v = validator(defaultPolicy)
    const world = run(G)
    const event = {
      type: 'TargetSet',
      data: {
        orgId: 'prov',
        indicator: 'villages-with-members-share',
        period: '2020',
        value: 0.5,
        on: '2020-01-01',
      },
    } as const
    v.evolve(world, event, { stream: 's', recordedAt: '2020-02-01T00:00:00Z' })
    const late = { ...event, data: { ...event.data, orgId: 'd1' } }
    expect(
      v.validate(world, late, { stream: 's', recordedAt: '2020-01-31T00:00:00Z' }).map((e) => e.code),
    ).toEqual(['record-clock'])
    expect(v.validate(world, late, { stream: 's', recordedAt: '2020-02-01T00:00:00Z' })).toEqual([])
  })
})

describe('moves at national scale', () => {
  it('keeps each move date once, so that a cycle check walks the distinct later dates, not every move', () => {
    const cells = Array.from({ length: 50 }, (_, i) => registerOrg(`cb-${i}`, 'cell', 'd1'))
    const moves = cells.map((_, i): Command => ({
      kind: 'MoveOrganization',
      orgId: `cb-${i}`,
      parentId: 'd2',
      on: '2025-07-01',
    }))
    const world = run([...G, ...cells, ...moves])
    expect(world.moveDates).toEqual(['2025-07-01'])
    expect(
      outcome([...G, ...cells, ...moves], {
        kind: 'MoveOrganization',
        orgId: 'd2',
        parentId: 'cb-0',
        on: '2019-01-01',
      }),
    ).toBe('org-cycle')
  })
})

describe('policy is passed in', () => {
  it('uses the policy age window and majority', () => {
    const young = [...G, ...pipeline('p1', { ...PROFILE, birthDate: '2003-04-10' }).slice(0, 3)]
    expect(outcome(young, step(3))).toBe('age-window')
    expect(outcome(young, step(3), { ...defaultPolicy, minAgeMonths: 16 * 12 })).toBe('ok')
    const half = { ...defaultPolicy, majority: { numerator: 1, denominator: 2 } }
    const weak = [...upTo(3), { ...step(3), inFavour: 8 } as Command]
    expect(outcome(weak, step(4))).toBe('cell-vote-majority')
    expect(outcome(weak, step(4), half)).toBe('ok')
  })
})

describe('partyDecider', () => {
  it('is a kernel Decider over a fresh world', () => {
    const d = partyDecider(defaultPolicy)
    let state = d.initialState
    for (const c of G) {
      const r = d.decide(c, state)
      if (E.isLeft(r)) throw new Error(r.left.code)
      for (const e of r.right) state = d.evolve(state, e)
    }
    expect(state.orgs.size).toBe(6)
    expect(d.initialState.orgs.size).toBe(0)
    expect(E.isLeft(decide({ kind: 'Nope' } as unknown as Command, state, defaultPolicy))).toBe(true)
  })
})
