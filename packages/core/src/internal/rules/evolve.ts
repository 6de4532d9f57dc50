/**
 * Folds an accepted event into the world. Tolerant of references it does not know (a replay of a
 * stored log is folded without being validated again): it never throws.
 * @internal
 */
import type { DomainEvent } from '../../events'
import { asPolicies, policyOn, votePasses, type Policies, type Policy } from '../../policy'
import { businessDateOf, streamOf, streamPersonOf } from '../../streams'
import { addTo, newPerson, quotaKey, rulesProfile, type PersonRecord, type WorldState } from '../world'

const person = (world: WorldState, personId: string): PersonRecord | undefined => world.persons.get(personId)

/** Folds one event into the world in place and returns it. @internal */
export const evolveWorld = (
  world: WorldState,
  event: DomainEvent,
  policy: Policy | Policies,
  recordedAtMs: number,
): WorldState => {
  const date = businessDateOf(event)
  // A person's stream keeps its last date in the person's record (set below, once the record exists).
  const streamPerson = streamPersonOf(event)
  if (streamPerson === undefined) world.lastDates.set(streamOf(event), date)
  if (recordedAtMs > world.lastRecordedAt) world.lastRecordedAt = recordedAtMs
  switch (event.type) {
    case 'OrganizationRegistered': {
      const { orgId, level, parentId, unitId, villageId, on } = event.data
      world.orgs.set(orgId, {
        level,
        registeredOn: on,
        parents: [{ from: on, parentId }],
        dissolvedOn: null,
        unitId,
        villageId,
      })
      if (parentId !== null) addTo(world.children, parentId, orgId)
      break
    }
    case 'OrganizationMoved': {
      const { orgId, parentId, on } = event.data
      const org = world.orgs.get(orgId)
      if (org === undefined) break
      const last = org.parents[org.parents.length - 1]
      if (last !== undefined && last.from === on) org.parents.pop()
      org.parents.push({ from: on, parentId })
      addTo(world.children, parentId, orgId)
      // Distinct dates: a reorganization moves thousands of organizations on one day.
      if (!world.moveDates.includes(on)) world.moveDates.push(on)
      break
    }
    case 'OrganizationDissolved': {
      const org = world.orgs.get(event.data.orgId)
      if (org !== undefined) org.dissolvedOn = event.data.on
      break
    }
    case 'UnitRegistered':
      world.units.set(event.data.unitId, {
        registeredOn: event.data.on,
        orgs: [{ from: event.data.on, orgId: event.data.orgId }],
        retiredOn: null,
      })
      break
    case 'UnitMoved':
      world.units.get(event.data.unitId)?.orgs.push({ from: event.data.on, orgId: event.data.orgId })
      break
    case 'UnitRetired': {
      const unit = world.units.get(event.data.unitId)
      if (unit !== undefined) unit.retiredOn = event.data.on
      break
    }
    case 'VillageRegistered':
      world.villages.set(event.data.villageId, {
        registeredOn: event.data.on,
        unitId: event.data.unitId,
        retiredOn: null,
      })
      break
    case 'VillageRetired': {
      const village = world.villages.get(event.data.villageId)
      if (village !== undefined) village.retiredOn = event.data.on
      break
    }
    case 'CandidateNominated': {
      const { personId, orgId, profile, ageException, readmissionApproval } = event.data
      const previous = person(world, personId)
      const p = newPerson('candidate', orgId, date)
      p.profile = rulesProfile(personId, profile, world.birthDates)
      p.ageException = ageException !== undefined
      if (previous !== undefined) {
        p.lastDeparture = previous.lastDeparture
        p.readmitted = previous.readmitted
      }
      p.readmission = p.lastDeparture !== null && readmissionApproval !== undefined
      world.persons.set(personId, p)
      break
    }
    case 'AwarenessClassCompleted': {
      const p = person(world, event.data.personId)
      if (p !== undefined) p.classCompleted = true
      break
    }
    case 'BackgroundVerified': {
      const p = person(world, event.data.personId)
      if (p === undefined) break
      p.verification = event.data.outcome
      p.cellVote = null
      p.committeeVote = null
      break
    }
    case 'CellVoted': {
      const p = person(world, event.data.personId)
      if (p === undefined) break
      p.cellVote = votePasses(
        policyOn(asPolicies(policy), event.data.on),
        event.data.inFavour,
        event.data.eligible,
      )
      p.committeeVote = null
      break
    }
    case 'CommitteeVoted': {
      const p = person(world, event.data.personId)
      if (p !== undefined)
        p.committeeVote = votePasses(
          policyOn(asPolicies(policy), event.data.on),
          event.data.inFavour,
          event.data.eligible,
        )
      break
    }
    case 'AdmissionDecided': {
      const p = person(world, event.data.personId)
      if (p !== undefined) p.decidedOn = event.data.on
      break
    }
    case 'MemberAdmitted': {
      const { personId, orgId, on } = event.data
      const p = person(world, personId)
      if (p === undefined) break
      p.before = { lastDeparture: p.lastDeparture, readmitted: p.readmitted }
      if (p.readmission) {
        p.readmitted = true
        p.lastDeparture = null
      }
      p.phase = 'member'
      p.orgId = orgId
      p.admittedOn = on
      p.official = false
      p.leftOn = null
      p.headcount = [{ from: on, orgId }]
      addTo(world.orgMembers, orgId, personId)
      break
    }
    case 'MembershipConfirmed': {
      const p = person(world, event.data.personId)
      if (p !== undefined) p.official = true
      break
    }
    case 'CandidacyClosed': {
      const p = person(world, event.data.personId)
      if (p !== undefined) p.phase = 'closed'
      break
    }
    case 'AdmissionAnnulled': {
      const p = person(world, event.data.personId)
      if (p === undefined) break
      p.phase = 'annulled'
      p.lastDeparture = p.before.lastDeparture
      p.readmitted = p.before.readmitted
      p.official = false
      break
    }
    case 'ExistingMemberRegistered': {
      const { personId, orgId, status, admittedOn, profile } = event.data
      const p = newPerson('member', orgId, date)
      p.profile = profile === undefined ? undefined : rulesProfile(personId, profile, world.birthDates)
      p.admittedOn = admittedOn
      p.official = status === 'official'
      p.headcount = [{ from: admittedOn, orgId }]
      world.persons.set(personId, p)
      addTo(world.orgMembers, orgId, personId)
      break
    }
    case 'MemberTransferred': {
      const { personId, toOrgId, temporary, on } = event.data
      const p = person(world, personId)
      if (p === undefined) break
      p.orgId = toOrgId
      if (temporary !== true) {
        p.headcount.push({ from: on, orgId: toOrgId })
        addTo(world.orgMembers, toOrgId, personId)
      }
      break
    }
    case 'MemberLeft': {
      const p = person(world, event.data.personId)
      if (p === undefined) break
      p.phase = 'left'
      p.leftOn = event.data.on
      p.lastDeparture = { on: event.data.on, reason: event.data.reason }
      break
    }
    case 'QuotaAssigned': {
      const { orgId, period, occupation, assignedBy, target } = event.data
      const key = quotaKey(orgId, period, occupation)
      const quotas = world.quotas.get(key)
      if (quotas === undefined) world.quotas.set(key, new Map([[assignedBy, target]]))
      else quotas.set(assignedBy, target)
      break
    }
    case 'QuotaRevised': {
      const { orgId, period, occupation, assignedBy, target } = event.data
      const quotas = world.quotas.get(quotaKey(orgId, period, occupation))
      if (quotas === undefined) break
      const by = assignedBy ?? [...quotas.keys()][0]
      if (by !== undefined) quotas.set(by, target)
      break
    }
    case 'AwarenessClassHeld':
      world.classes.set(event.data.classId, true)
      break
    case 'MemberMoved':
    case 'TargetSet':
    case 'VillageHeadAppointed':
    case 'OrganizationRated':
      break
    case 'PersonForgotten': {
      const p = person(world, event.data.personId)
      if (p === undefined) break
      p.forgotten = true
      // The personal fields go from the state as from the events: its rows are written again without them.
      if (p.profile !== undefined && !('erased' in p.profile))
        p.profile = { erased: true, sex: p.profile.sex, occupation: p.profile.occupation }
      break
    }
  }
  if (streamPerson !== undefined) {
    const p = person(world, streamPerson)
    if (p !== undefined) p.lastDate = date
  }
  return world
}
