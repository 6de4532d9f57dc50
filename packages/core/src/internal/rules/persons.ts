/**
 * Rules of a person's life: nomination (and readmission), the candidacy steps in order, the votes,
 * the age window, admission, probation, transfers, moves, departures and annulment.
 * @internal
 */
import { domainError } from '@ketnap/kernel'
import type { EventOf } from '../../events'
import type { PersonalDataCode } from '../../errorCodes'
import { addMonths, ageInMonths } from '../../calendar'
import { policyOn } from '../../policy'
import type { PersonRecord } from '../world'
import { fail, requireOrg, requireVillage, type CheckContext } from './check'

const PERSON = 'data.personId'

/** The person, when known; `person-exists` otherwise. */
const known = (ctx: CheckContext, personId: string): PersonRecord | undefined => {
  const p = ctx.world.persons.get(personId)
  if (p === undefined) fail(ctx, 'person-exists', `person ${personId} is not known`, PERSON)
  return p
}

/** The person with an open candidacy; `person-exists` or `not-a-candidate` otherwise. */
const candidate = (ctx: CheckContext, personId: string): PersonRecord | undefined => {
  const p = known(ctx, personId)
  if (p !== undefined && p.phase !== 'candidate') {
    fail(ctx, 'not-a-candidate', `person ${personId} has no open candidacy (${p.phase})`, PERSON)
    return undefined
  }
  return p
}

/** The person as an active member; `person-exists` or `not-a-member` otherwise. */
const member = (ctx: CheckContext, personId: string): PersonRecord | undefined => {
  const p = known(ctx, personId)
  if (p !== undefined && p.phase !== 'member') {
    fail(ctx, 'not-a-member', `person ${personId} is not an active member (${p.phase})`, PERSON)
    return undefined
  }
  return p
}

const notDecided = (ctx: CheckContext, p: PersonRecord, step: string): boolean => {
  if (p.decidedOn === null) return true
  fail(ctx, 'lifecycle-order', `${step} after the admission decision`, PERSON)
  return false
}

const voteCounts = (ctx: CheckContext, inFavour: number, eligible: number): void => {
  if (eligible < 1) fail(ctx, 'vote-counts', 'eligible must be at least 1', 'data.eligible')
  else if (inFavour > eligible)
    fail(ctx, 'vote-counts', `inFavour ${inFavour} exceeds eligible ${eligible}`, 'data.inFavour')
}

const passedCellVote = (ctx: CheckContext, p: PersonRecord, step: string): boolean => {
  if (p.cellVote === null) fail(ctx, 'lifecycle-order', `${step} before the cell vote`, PERSON)
  else if (!p.cellVote)
    fail(ctx, 'cell-vote-majority', `${step} after a cell vote without the policy's majority`, PERSON)
  return p.cellVote === true
}

/**
 * A forgotten person (`PersonForgotten`) has nothing personal recorded about them again: an event with
 * personal fields about them is `person-erased`, whatever keys a process still holds (one that loaded
 * the person's key before another process destroyed it would otherwise seal the fields with it).
 */
const refuseForgotten = (ctx: CheckContext, p: PersonRecord | undefined, personId: string): void => {
  if (p?.forgotten === true)
    ctx.errors.push(
      domainError(
        'person-erased' satisfies PersonalDataCode,
        `${personId} was forgotten: personal data about them is not recorded again`,
        PERSON,
      ),
    )
}

/** @internal */
export const checkCandidateNominated = (ctx: CheckContext, e: EventOf<'CandidateNominated'>): void => {
  const { personId, orgId, villageId, readmissionApproval, on } = e.data
  const p = ctx.world.persons.get(personId)
  refuseForgotten(ctx, p, personId)
  if (p?.phase === 'candidate')
    fail(ctx, 'candidacy-open', `person ${personId} already has an open candidacy`, PERSON)
  else if (p?.phase === 'member')
    fail(ctx, 'already-member', `person ${personId} is an active member`, PERSON)
  const former = p?.lastDeparture ?? null
  if (p !== undefined && former !== null && p.phase !== 'member' && p.phase !== 'candidate') {
    const path = 'data.readmissionApproval'
    if (readmissionApproval === undefined) {
      fail(
        ctx,
        'readmission',
        `former member ${personId} needs the province's consent (readmissionApproval)`,
        path,
      )
    } else if (former.reason === 'resigned' || former.reason === 'expelled') {
      fail(
        ctx,
        'readmission',
        `a member who ${former.reason === 'resigned' ? 'resigned' : 'was expelled'} cannot be admitted again`,
        path,
      )
    } else if (p.readmitted) {
      fail(ctx, 'readmission', `person ${personId} was already admitted again once`, path)
    } else if (addMonths(former.on, ctx.policy.readmissionMinMonths) > on) {
      fail(
        ctx,
        'readmission',
        `less than ${ctx.policy.readmissionMinMonths} months since leaving on ${former.on}`,
        'data.on',
      )
    }
  }
  requireOrg(ctx, orgId, on, 'data.orgId')
  if (villageId !== undefined) requireVillage(ctx, villageId, on, 'data.villageId')
}

/** @internal */
export const checkAwarenessClassCompleted = (
  ctx: CheckContext,
  e: EventOf<'AwarenessClassCompleted'>,
): void => {
  const p = candidate(ctx, e.data.personId)
  if (p !== undefined) notDecided(ctx, p, 'the awareness class')
}

/** @internal */
export const checkBackgroundVerified = (ctx: CheckContext, e: EventOf<'BackgroundVerified'>): void => {
  const p = candidate(ctx, e.data.personId)
  if (p === undefined || !notDecided(ctx, p, 'the background verification')) return
  if (!p.classCompleted)
    fail(ctx, 'lifecycle-order', 'background verification before the awareness class', PERSON)
}

/** @internal */
export const checkCellVoted = (ctx: CheckContext, e: EventOf<'CellVoted'>): void => {
  const { personId, inFavour, eligible, on } = e.data
  voteCounts(ctx, inFavour, eligible)
  const p = candidate(ctx, personId)
  if (p === undefined || !notDecided(ctx, p, 'a cell vote')) return
  if (p.verification === null)
    fail(ctx, 'lifecycle-order', 'cell vote before the background verification', PERSON)
  else if (p.verification === 'not-cleared')
    fail(ctx, 'not-cleared', 'the last background verification did not clear', PERSON)
  // A forgotten person's birth date is erased: their age was checked when their events were recorded.
  // On an encrypted store it is kept sealed and opened here, the one rule that reads it.
  const kept =
    p.profile === undefined || 'erased' in p.profile
      ? undefined
      : ctx.world.birthDates.read(personId, p.profile)
  if (kept === null) {
    ctx.errors.push(
      domainError(
        'sealed-unreadable' satisfies PersonalDataCode,
        `the birth date the rules keep of ${personId} does not open: their key is not at hand`,
        PERSON,
      ),
    )
    return
  }
  const birthDate = kept === 'erased' ? undefined : kept
  if (birthDate !== undefined) {
    const age = ageInMonths(birthDate, on)
    const { minAgeMonths, maxAgeMonths } = ctx.policy
    if (age < minAgeMonths)
      fail(ctx, 'age-window', `aged ${age} months, under ${minAgeMonths}, on ${on}`, 'data.on')
    else if (age > maxAgeMonths && !p.ageException) {
      fail(
        ctx,
        'age-window',
        `aged ${age} months, over ${maxAgeMonths}, on ${on}, without an age exception`,
        'data.on',
      )
    }
  }
}

/** @internal */
export const checkCommitteeVoted = (ctx: CheckContext, e: EventOf<'CommitteeVoted'>): void => {
  voteCounts(ctx, e.data.inFavour, e.data.eligible)
  const p = candidate(ctx, e.data.personId)
  if (p === undefined || !notDecided(ctx, p, 'a committee vote')) return
  passedCellVote(ctx, p, 'a committee vote')
}

/** @internal */
export const checkAdmissionDecided = (ctx: CheckContext, e: EventOf<'AdmissionDecided'>): void => {
  const p = candidate(ctx, e.data.personId)
  if (p !== undefined && notDecided(ctx, p, 'a second decision') && passedCellVote(ctx, p, 'the decision')) {
    if (p.committeeVote === false) {
      fail(ctx, 'committee-vote-majority', "the committee vote did not reach the policy's majority", PERSON)
    }
  }
  requireOrg(ctx, e.data.decidedBy, e.data.on, 'data.decidedBy')
}

/** @internal */
export const checkMemberAdmitted = (ctx: CheckContext, e: EventOf<'MemberAdmitted'>): void => {
  const { personId, orgId, on } = e.data
  const p = candidate(ctx, personId)
  if (p !== undefined) {
    if (p.decidedOn === null) fail(ctx, 'lifecycle-order', 'admission before the admission decision', PERSON)
    if (p.orgId !== orgId) {
      fail(ctx, 'admission-org', `the candidacy is held by ${p.orgId}, not ${orgId}`, 'data.orgId')
      return
    }
  }
  requireOrg(ctx, orgId, on, 'data.orgId')
}

/** @internal */
export const checkMembershipConfirmed = (ctx: CheckContext, e: EventOf<'MembershipConfirmed'>): void => {
  const p = member(ctx, e.data.personId)
  if (p === undefined) return
  if (p.official) {
    fail(ctx, 'not-probationary', `person ${e.data.personId} is already an official member`, PERSON)
    return
  }
  const admitted = p.admittedOn ?? e.data.on
  const end = addMonths(admitted, policyOn(ctx.policies, admitted).probationMonths)
  if (e.data.on < end) fail(ctx, 'probation-not-over', `probation ends on ${end}`, 'data.on')
}

/** @internal */
export const checkCandidacyClosed = (ctx: CheckContext, e: EventOf<'CandidacyClosed'>): void => {
  candidate(ctx, e.data.personId)
}

/** @internal */
export const checkAdmissionAnnulled = (ctx: CheckContext, e: EventOf<'AdmissionAnnulled'>): void => {
  const p = known(ctx, e.data.personId)
  refuseForgotten(ctx, p, e.data.personId)
  if (p !== undefined && p.phase !== 'member' && p.phase !== 'left') {
    fail(ctx, 'not-admitted', `person ${e.data.personId} has no admission to annul (${p.phase})`, PERSON)
  }
}

/** @internal */
export const checkExistingMemberRegistered = (
  ctx: CheckContext,
  e: EventOf<'ExistingMemberRegistered'>,
): void => {
  const { personId, orgId, admittedOn, villageId, on } = e.data
  if (ctx.world.persons.has(personId))
    fail(ctx, 'person-duplicate', `person ${personId} is already known`, PERSON)
  if (admittedOn > on) fail(ctx, 'admitted-on', `admittedOn ${admittedOn} is after ${on}`, 'data.admittedOn')
  requireOrg(ctx, orgId, on, 'data.orgId')
  if (villageId !== undefined) requireVillage(ctx, villageId, on, 'data.villageId')
}

/** @internal */
export const checkMemberTransferred = (ctx: CheckContext, e: EventOf<'MemberTransferred'>): void => {
  member(ctx, e.data.personId)
  requireOrg(ctx, e.data.toOrgId, e.data.on, 'data.toOrgId')
}

/** @internal */
export const checkMemberMoved = (ctx: CheckContext, e: EventOf<'MemberMoved'>): void => {
  const p = known(ctx, e.data.personId)
  if (p !== undefined && p.phase !== 'member' && p.phase !== 'candidate') {
    fail(
      ctx,
      'not-a-member-or-candidate',
      `person ${e.data.personId} is neither a member nor a candidate (${p.phase})`,
      PERSON,
    )
  }
  if (e.data.villageId !== null) requireVillage(ctx, e.data.villageId, e.data.on, 'data.villageId')
}

/** @internal */
export const checkPersonForgotten = (ctx: CheckContext, e: EventOf<'PersonForgotten'>): void => {
  const p = known(ctx, e.data.personId)
  if (p?.forgotten === true)
    ctx.errors.push(
      domainError(
        'person-erased' satisfies PersonalDataCode,
        `person ${e.data.personId} was already forgotten`,
        PERSON,
      ),
    )
}

/** @internal */
export const checkMemberLeft = (ctx: CheckContext, e: EventOf<'MemberLeft'>): void => {
  const { personId, reason, on } = e.data
  const p = member(ctx, personId)
  if (p === undefined) return
  if (reason === 'not-confirmed') {
    const admitted = p.admittedOn ?? on
    const end = addMonths(admitted, policyOn(ctx.policies, admitted).probationMonths)
    if (p.official)
      fail(ctx, 'leave-reason', 'an official member cannot leave as not-confirmed', 'data.reason')
    else if (on < end)
      fail(ctx, 'leave-reason', `not-confirmed before probation ends on ${end}`, 'data.reason')
  } else if (reason === 'expelled' && !p.official) {
    fail(
      ctx,
      'leave-reason',
      'only an official member is expelled; a probationary member is struck off',
      'data.reason',
    )
  }
}
