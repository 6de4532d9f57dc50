/**
 * Folding one event into the reports state. The work per event is bounded by what it touches: a
 * lookup or two in a map and an append to a timeline.
 */
import type { LogPlace } from '@ketnap/kernel'
import { isErased, type DomainEvent } from '../events'
import {
  personFacts,
  type Membership,
  type PersonFacts,
  type QuotaFacts,
  type ReportsState,
  type StampedStep,
} from './state'

const person = personFacts

const step = (p: PersonFacts, name: StampedStep, on: string, rec: number): void => {
  const list = p.steps[name]
  if (list === undefined) p.steps[name] = [{ on, rec }]
  else list.push({ on, rec })
}

const lastMembership = (s: ReportsState, personId: string): Membership | undefined => {
  const ms = s.persons.get(personId)?.memberships
  return ms === undefined ? undefined : ms[ms.length - 1]
}

const findQuota = (
  list: ReadonlyArray<QuotaFacts>,
  period: string,
  occupation: string | null,
  assignedBy: string | undefined,
): QuotaFacts | undefined => {
  const same = list.filter(
    (q) =>
      q.period === period &&
      q.occupation === occupation &&
      (assignedBy === undefined || q.assignedBy === assignedBy),
  )
  return same.length === 1 ? same[0] : undefined
}

/**
 * Folds one event (already valid: the log only holds decoded events) recorded at `rec` into `s`, in
 * place. Events of types the projection does not read are ignored.
 */
export const applyEvent = (s: ReportsState, e: DomainEvent, rec: number): void => {
  switch (e.type) {
    case 'OrganizationRegistered': {
      const d = e.data
      if (s.orgs.has(d.orgId)) return
      s.orgs.set(d.orgId, {
        id: d.orgId,
        name: d.name,
        level: d.level,
        unitId: d.unitId ?? null,
        villageId: d.villageId ?? null,
        registeredOn: d.on,
        rec,
        parents: [{ on: d.on, rec, value: d.parentId }],
        dissolved: null,
      })
      return
    }
    case 'OrganizationMoved':
      s.orgs.get(e.data.orgId)?.parents.push({ on: e.data.on, rec, value: e.data.parentId })
      return
    case 'OrganizationDissolved': {
      const o = s.orgs.get(e.data.orgId)
      if (o !== undefined && o.dissolved === null)
        o.dissolved = { on: e.data.on, rec, mergedInto: e.data.mergedInto ?? null }
      return
    }
    case 'UnitRegistered': {
      const d = e.data
      if (s.units.has(d.unitId)) return
      s.units.set(d.unitId, {
        id: d.unitId,
        kind: d.kind,
        registeredOn: d.on,
        rec,
        orgs: [{ on: d.on, rec, value: d.orgId }],
        retired: null,
        mergedInto: null,
      })
      return
    }
    case 'UnitMoved':
      s.units.get(e.data.unitId)?.orgs.push({ on: e.data.on, rec, value: e.data.orgId })
      return
    case 'UnitRetired': {
      const u = s.units.get(e.data.unitId)
      if (u !== undefined && u.retired === null) {
        u.retired = { on: e.data.on, rec }
        u.mergedInto = e.data.mergedInto ?? null
      }
      return
    }
    case 'VillageRegistered': {
      const d = e.data
      if (s.villages.has(d.villageId)) return
      s.villages.set(d.villageId, {
        id: d.villageId,
        unitId: d.unitId,
        registeredOn: d.on,
        rec,
        retired: null,
        heads: [],
      })
      return
    }
    case 'VillageRetired': {
      const v = s.villages.get(e.data.villageId)
      if (v !== undefined && v.retired === null) v.retired = { on: e.data.on, rec }
      return
    }
    case 'CandidateNominated': {
      const d = e.data
      const p = person(s, d.personId)
      p.profiles.push({ on: d.on, rec, value: d.profile })
      p.orgs.push({ on: d.on, rec, value: d.orgId })
      if (d.villageId !== undefined) p.residence.push({ on: d.on, rec, value: d.villageId })
      step(p, 'nominated', d.on, rec)
      return
    }
    case 'AwarenessClassCompleted':
      step(person(s, e.data.personId), 'trained', e.data.on, rec)
      return
    case 'BackgroundVerified':
      if (e.data.outcome === 'cleared') step(person(s, e.data.personId), 'verified', e.data.on, rec)
      return
    case 'CellVoted': {
      // Kept passing or not: whether it passes is the majority of the policy the report is run under.
      const p = person(s, e.data.personId)
      const vote = { on: e.data.on, rec, inFavour: e.data.inFavour, eligible: e.data.eligible }
      if (p.cellVotes === undefined) p.cellVotes = [vote]
      else p.cellVotes.push(vote)
      return
    }
    case 'CommitteeVoted':
      return
    case 'AdmissionDecided':
      step(person(s, e.data.personId), 'decided', e.data.on, rec)
      return
    case 'MemberAdmitted': {
      const d = e.data
      const p = person(s, d.personId)
      p.memberships.push({
        orgId: d.orgId,
        on: d.on,
        rec,
        existing: null,
        registeredOn: null,
        annulledRec: null,
        confirmedRec: null,
        left: null,
      })
      p.orgs.push({ on: d.on, rec, value: d.orgId })
      return
    }
    case 'MembershipConfirmed': {
      const m = lastMembership(s, e.data.personId)
      if (m !== undefined && m.confirmedRec === null) m.confirmedRec = rec
      step(person(s, e.data.personId), 'confirmed', e.data.on, rec)
      return
    }
    case 'CandidacyClosed':
      step(person(s, e.data.personId), 'closed', e.data.on, rec)
      return
    case 'AdmissionAnnulled': {
      const m = lastMembership(s, e.data.personId)
      if (m !== undefined && m.annulledRec === null) m.annulledRec = rec
      return
    }
    case 'ExistingMemberRegistered': {
      const d = e.data
      const p = person(s, d.personId)
      // The profile describes the member from admission on, like the residence (the registration is
      // the person's first event, so the timeline stays in date order).
      if (d.profile !== undefined) p.profiles.push({ on: d.admittedOn, rec, value: d.profile })
      p.memberships.push({
        orgId: d.orgId,
        on: d.admittedOn,
        rec,
        existing: d.status,
        registeredOn: d.on,
        annulledRec: null,
        confirmedRec: null,
        left: null,
      })
      p.orgs.push({ on: d.admittedOn, rec, value: d.orgId })
      if (d.villageId !== undefined) p.residence.push({ on: d.admittedOn, rec, value: d.villageId })
      return
    }
    case 'MemberTransferred':
      if (e.data.temporary !== true)
        person(s, e.data.personId).orgs.push({ on: e.data.on, rec, value: e.data.toOrgId })
      return
    case 'MemberMoved':
      person(s, e.data.personId).residence.push({ on: e.data.on, rec, value: e.data.villageId })
      return
    case 'MemberLeft': {
      const m = lastMembership(s, e.data.personId)
      if (m !== undefined && m.left === null) m.left = { on: e.data.on, rec }
      return
    }
    case 'QuotaAssigned': {
      const d = e.data
      const occupation = d.occupation ?? null
      let list = s.quotas.get(d.orgId)
      if (list === undefined) {
        list = []
        s.quotas.set(d.orgId, list)
      }
      if (findQuota(list, d.period, occupation, d.assignedBy) !== undefined) return
      list.push({
        orgId: d.orgId,
        period: d.period,
        occupation,
        assignedBy: d.assignedBy,
        ref: d.ref ?? null,
        targets: [{ target: d.target, rec }],
      })
      return
    }
    case 'QuotaRevised': {
      const d = e.data
      const list = s.quotas.get(d.orgId)
      const q = list === undefined ? undefined : findQuota(list, d.period, d.occupation ?? null, d.assignedBy)
      q?.targets.push({ target: d.target, rec })
      return
    }
    case 'AwarenessClassHeld': {
      const d = e.data
      const version = { classId: d.classId, orgId: d.orgId, from: d.from, trainees: d.trainees, rec }
      const list = s.classes.get(d.classId)
      if (list === undefined) s.classes.set(d.classId, [version])
      else list.push(version)
      return
    }
    case 'VillageHeadAppointed':
      s.villages.get(e.data.villageId)?.heads.push({ on: e.data.on, rec, value: e.data.personId })
      return
    case 'TargetSet': {
      const d = e.data
      const target = {
        orgId: d.orgId,
        indicator: d.indicator,
        period: d.period,
        value: d.value,
        ref: d.ref ?? null,
        on: d.on,
        rec,
      }
      const list = s.targets.get(d.orgId)
      if (list === undefined) s.targets.set(d.orgId, [target])
      else list.push(target)
      return
    }
    case 'OrganizationRated': {
      const d = e.data
      const rating = { orgId: d.orgId, year: d.year, rating: d.rating, on: d.on, rec }
      const list = s.ratings.get(d.orgId)
      if (list === undefined) s.ratings.set(d.orgId, [rating])
      else list.push(rating)
      return
    }
    case 'PersonForgotten': {
      // Erased in every entry, whatever the instant it is known at: erasure reaches back (D34).
      const p = s.persons.get(e.data.personId)
      if (p === undefined) return
      p.profiles.forEach((entry, i) => {
        if (!isErased(entry.value))
          p.profiles[i] = {
            ...entry,
            value: { erased: true, sex: entry.value.sex, occupation: entry.value.occupation },
          }
      })
      return
    }
  }
}

/**
 * The reports projection's fold: one decoded event, recorded at `at`, into `s` in place (the projection's
 * state is its own: copying it per event would cost the fold of a national log its speed).
 */
export const applyToReports = (s: ReportsState, e: DomainEvent, at: LogPlace): ReportsState => {
  applyEvent(s, e, Date.parse(at.recordedAt))
  s.position = at.position
  s.lastRecordedAt = at.recordedAt
  return s
}
