import { describe, expect, it } from 'vitest'
import { streamOf } from './streams'
import { EXAMPLE_EVENTS } from './internal/rules/examples'
import type { DomainEvent } from './events'

describe('streamOf', () => {
  it('routes every event type by its data', () => {
    const byType = Object.fromEntries(EXAMPLE_EVENTS.map((e) => [e.type, streamOf(e)]))
    expect(byType).toEqual({
      OrganizationRegistered: 'org-cb1',
      OrganizationMoved: 'org-cb1',
      OrganizationDissolved: 'org-cb1',
      OrganizationRated: 'org-cb1',
      UnitRegistered: 'unit-xa1',
      UnitMoved: 'unit-xa1',
      UnitRetired: 'unit-xa1',
      VillageRegistered: 'village-t1',
      VillageRetired: 'village-t1',
      VillageHeadAppointed: 'village-t1',
      CandidateNominated: 'person-p1',
      AwarenessClassCompleted: 'person-p1',
      BackgroundVerified: 'person-p1',
      CellVoted: 'person-p1',
      CommitteeVoted: 'person-p1',
      AdmissionDecided: 'person-p1',
      MemberAdmitted: 'person-p1',
      MembershipConfirmed: 'person-p1',
      CandidacyClosed: 'person-p1',
      AdmissionAnnulled: 'person-p1',
      ExistingMemberRegistered: 'person-p1',
      MemberTransferred: 'person-p1',
      MemberMoved: 'person-p1',
      MemberLeft: 'person-p1',
      QuotaAssigned: 'quota-du1-2021',
      QuotaRevised: 'quota-du1-2021-student',
      TargetSet: 'target-du1-village-heads-members-share-2021-2025',
      AwarenessClassHeld: 'class-k1',
      PersonForgotten: 'person-p1',
    })
  })
  it('adds the occupation to a quota stream', () => {
    const e: DomainEvent = {
      type: 'QuotaAssigned',
      data: {
        orgId: 'o',
        period: '2021-2025',
        target: 1,
        assignedBy: 'o',
        occupation: 'student',
        on: '2021-01-01',
      },
    }
    expect(streamOf(e)).toBe('quota-o-2021-2025-student')
  })
})
