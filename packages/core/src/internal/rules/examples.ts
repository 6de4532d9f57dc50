/**
 * One well-formed example of every event type (not a valid history), for codec and routing tests.
 * @internal
 */
import type { DomainEvent } from '../../events'

const profile = {
  birthDate: '2000-01-01',
  sex: 'female',
  ethnicMinority: true,
  occupation: 'student',
} as const
const p = 'p1'
const on = '2021-03-01'

/** @internal */
export const EXAMPLE_EVENTS: ReadonlyArray<DomainEvent> = [
  {
    type: 'OrganizationRegistered',
    data: { orgId: 'cb1', name: 'Chi bộ 1', level: 'cell', parentId: 'du1', villageId: 't1', on },
  },
  { type: 'OrganizationMoved', data: { orgId: 'cb1', parentId: 'du2', on } },
  { type: 'OrganizationDissolved', data: { orgId: 'cb1', mergedInto: 'cb2', on } },
  { type: 'UnitRegistered', data: { unitId: 'xa1', name: 'Xã 1', kind: 'commune', orgId: 'h1', on } },
  { type: 'UnitMoved', data: { unitId: 'xa1', orgId: 'h2', on } },
  { type: 'UnitRetired', data: { unitId: 'xa1', on } },
  { type: 'VillageRegistered', data: { villageId: 't1', name: 'Thôn 1', unitId: 'xa1', on } },
  { type: 'VillageRetired', data: { villageId: 't1', mergedInto: 't2', on } },
  {
    type: 'CandidateNominated',
    data: {
      personId: p,
      orgId: 'cb1',
      nominatedBy: 'youth-union',
      villageId: 't1',
      profile: { ...profile, ethnicity: 'Thái' },
      on,
    },
  },
  { type: 'AwarenessClassCompleted', data: { personId: p, certificateNo: 'GCN-1', classId: 'k1', on } },
  { type: 'BackgroundVerified', data: { personId: p, outcome: 'cleared', on } },
  { type: 'CellVoted', data: { personId: p, inFavour: 10, eligible: 15, on } },
  { type: 'CommitteeVoted', data: { personId: p, inFavour: 5, eligible: 7, on } },
  { type: 'AdmissionDecided', data: { personId: p, decisionNo: 'QĐ 1', decidedBy: 'h1', on } },
  { type: 'MemberAdmitted', data: { personId: p, orgId: 'cb1', on } },
  { type: 'MembershipConfirmed', data: { personId: p, decisionNo: 'QĐ 2', on } },
  { type: 'CandidacyClosed', data: { personId: p, reason: 'withdrawn', on } },
  { type: 'AdmissionAnnulled', data: { personId: p, reason: 'hồ sơ sai', on } },
  {
    type: 'ExistingMemberRegistered',
    data: {
      personId: p,
      orgId: 'cb1',
      status: 'official',
      admittedOn: '2001-01-01',
      profile,
      villageId: 't1',
      on,
    },
  },
  { type: 'MemberTransferred', data: { personId: p, toOrgId: 'cb2', temporary: true, on } },
  { type: 'MemberMoved', data: { personId: p, villageId: null, on } },
  { type: 'MemberLeft', data: { personId: p, reason: 'deceased', on } },
  {
    type: 'QuotaAssigned',
    data: { orgId: 'du1', period: '2021', target: 9, assignedBy: 'h1', ref: 'NQ 02', on },
  },
  {
    type: 'QuotaRevised',
    data: {
      orgId: 'du1',
      period: '2021',
      target: 8,
      reason: 'điều chỉnh',
      assignedBy: 'h1',
      occupation: 'student',
      on,
    },
  },
  {
    type: 'TargetSet',
    data: { orgId: 'du1', indicator: 'village-heads-members-share', period: '2021-2025', value: 0.9, on },
  },
  {
    type: 'AwarenessClassHeld',
    data: { classId: 'k1', orgId: 'du1', from: on, to: '2021-03-05', trainees: 54, audience: 'sinh viên' },
  },
  { type: 'VillageHeadAppointed', data: { villageId: 't1', personId: p, on } },
  { type: 'OrganizationRated', data: { orgId: 'cb1', year: 2020, rating: 'excellent', on } },
  { type: 'PersonForgotten', data: { personId: p, on, reason: 'the person asked to be forgotten' } },
]
