/**
 * The party development domain's access policy: an actor bound to organization X records events about
 * X's subtree only, on the event's date (a commune committee cannot admit members of another commune, a
 * district cannot assign quotas to a sibling district), and reads reports of its subtree and histories
 * of persons who were in it. The owner, who is not asked, may do anything.
 */
import { forbidden, type AccessPolicy, type BoundActor, type ForbiddenError } from '@ketnap/kernel'
import type { DomainEvent } from './events'
import { businessDateOf } from './streams'
import { quotaKey, type WorldState } from './internal/world'
import {
  inSubtree,
  inSubtreeDuring,
  personOrgsOn,
  soleQuotaAssigner,
  unitInScope,
  villageInScope,
} from './internal/scope'

/** A read an actor asks for, as the access policy sees it. */
export type PartyRead =
  /** A report on an organization, as of a business date. */
  | { readonly kind: 'report'; readonly name: string; readonly orgId: string; readonly asOf: string }
  /** A person's history: the events of their stream. */
  | { readonly kind: 'history'; readonly personId: string; readonly events: ReadonlyArray<DomainEvent> }
  /** The whole log (an export): the owner's alone. */
  | { readonly kind: 'export' }

/** The refusal of `action` about `scope`, with why. */
const refuse = (actor: BoundActor, action: string, scope: string, why: string): ForbiddenError =>
  forbidden(actor.name, action, scope, `${actor.name} (acting for ${actor.scope}) may not ${action}: ${why}`)

/** Null when `orgId` is in the actor's subtree on `on`; the refusal otherwise. */
const requireSubtree = (
  world: WorldState,
  actor: BoundActor,
  action: string,
  orgId: string,
  on: string,
): ForbiddenError | null =>
  inSubtree(world, actor.scope, orgId, on)
    ? null
    : refuse(actor, action, orgId, `organization ${orgId} is not in the subtree of ${actor.scope} on ${on}`)

/** Null when the person belongs to an organization of the actor's subtree on `on`. */
const requirePerson = (
  world: WorldState,
  actor: BoundActor,
  action: string,
  personId: string,
  on: string,
): ForbiddenError | null => {
  const orgs = personOrgsOn(world, personId, on)
  if (orgs.some((orgId) => inSubtree(world, actor.scope, orgId, on))) return null
  const scope = orgs[0] ?? `person-${personId}`
  return refuse(
    actor,
    action,
    scope,
    orgs[0] === undefined
      ? `person ${personId} is not known in the subtree of ${actor.scope}`
      : `person ${personId} belongs to ${orgs.join(' and ')}, not in the subtree of ${actor.scope} on ${on}`,
  )
}

/** Why a bound actor may not record `event` on top of `world`; null when it may. */
const mayRecord = (actor: BoundActor, event: DomainEvent, world: WorldState): ForbiddenError | null => {
  const on = businessDateOf(event)
  const action = `record ${event.type}`
  const subtree = (orgId: string): ForbiddenError | null => requireSubtree(world, actor, action, orgId, on)
  switch (event.type) {
    case 'OrganizationRegistered':
      return event.data.parentId === null
        ? refuse(actor, action, event.data.orgId, 'only the owner registers an organization without a parent')
        : subtree(event.data.parentId)
    case 'OrganizationMoved':
      return subtree(event.data.orgId) ?? subtree(event.data.parentId)
    case 'OrganizationDissolved':
    case 'OrganizationRated':
    case 'TargetSet':
    case 'UnitRegistered':
      return subtree(event.data.orgId)
    case 'AwarenessClassHeld':
      return subtree(event.data.orgId)
    case 'UnitMoved':
    case 'UnitRetired': {
      const { unitId } = event.data
      const unit = unitInScope(world, actor.scope, unitId, on)
        ? null
        : refuse(actor, action, unitId, `unit ${unitId} is not in the scope of ${actor.scope} on ${on}`)
      return unit ?? (event.type === 'UnitMoved' ? subtree(event.data.orgId) : null)
    }
    case 'VillageRegistered': {
      const { unitId } = event.data
      return unitInScope(world, actor.scope, unitId, on)
        ? null
        : refuse(actor, action, unitId, `unit ${unitId} is not in the scope of ${actor.scope} on ${on}`)
    }
    case 'VillageRetired':
    case 'VillageHeadAppointed': {
      const { villageId } = event.data
      return villageInScope(world, actor.scope, villageId, on)
        ? null
        : refuse(
            actor,
            action,
            villageId,
            `village ${villageId} is not in the scope of ${actor.scope} on ${on}`,
          )
    }
    case 'QuotaAssigned':
    case 'QuotaRevised': {
      const { orgId, period, occupation } = event.data
      const assigner = event.data.assignedBy ?? soleQuotaAssigner(world, quotaKey(orgId, period, occupation))
      if (assigner !== actor.scope)
        return refuse(
          actor,
          action,
          orgId,
          assigner === undefined
            ? `the quota's assigner is not known, and only the assigning organization's own actor handles a quota`
            : `the quota is assigned by ${assigner}, and only ${assigner}'s own actor handles it`,
        )
      return subtree(orgId)
    }
    case 'CandidateNominated':
    case 'ExistingMemberRegistered':
      return subtree(event.data.orgId)
    case 'MemberAdmitted':
      return requirePerson(world, actor, action, event.data.personId, on) ?? subtree(event.data.orgId)
    default:
      return requirePerson(world, actor, action, event.data.personId, on)
  }
}

/** The organizations a person's own events place them in, each from a date on. */
const placements = (
  events: ReadonlyArray<DomainEvent>,
): ReadonlyArray<{ readonly from: string; readonly orgId: string }> =>
  events.flatMap((event) => {
    switch (event.type) {
      case 'CandidateNominated':
      case 'MemberAdmitted':
        return [{ from: event.data.on, orgId: event.data.orgId }]
      case 'ExistingMemberRegistered':
        return [{ from: event.data.admittedOn, orgId: event.data.orgId }]
      case 'MemberTransferred':
        return [{ from: event.data.on, orgId: event.data.toOrgId }]
      default:
        return []
    }
  })

/** Why a bound actor may not make `read`; null when it may. */
const mayRead = (actor: BoundActor, read: PartyRead, world: WorldState): ForbiddenError | null => {
  switch (read.kind) {
    case 'report':
      return requireSubtree(world, actor, `read the ${read.name} report`, read.orgId, read.asOf)
    case 'history': {
      // Each placement holds until the next one (sorted by date, as a stream's dates never go back).
      const placed = [...placements(read.events)].sort((a, b) =>
        a.from < b.from ? -1 : a.from > b.from ? 1 : 0,
      )
      const wasIn = placed.some((p, i) =>
        inSubtreeDuring(world, actor.scope, p.orgId, p.from, placed[i + 1]?.from ?? null),
      )
      return wasIn
        ? null
        : refuse(
            actor,
            'read a history',
            `person-${read.personId}`,
            `person ${read.personId} was never in the subtree of ${actor.scope}`,
          )
    }
    case 'export':
      return refuse(actor, 'export the log', actor.scope, 'the whole log is exported by the owner only')
  }
}

/** The access policy of the party development domain. */
export const partyAccess: AccessPolicy<DomainEvent, WorldState, PartyRead> = { mayRecord, mayRead }
