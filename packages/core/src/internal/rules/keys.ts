/**
 * The keys of the world's keyed part that checking and folding an event read or change: what the
 * kernel loads before the rules see the event (see `world.ts`).
 * @internal
 */
import type { DomainEvent } from '../../events'
import { streamOf } from '../../streams'
import { KEY_PREFIX, quotaKey, type WorldState } from '../world'

const { persons, orgMembers, classes, lastDates, quotas } = KEY_PREFIX

/**
 * The keyed entries an event needs: its person's record (which holds its stream's last date) and the
 * member sets it adds to, or, for the other streams, the stream's last date and its class. Dissolving an organization reads its members' records: they are named once
 * its member set is loaded (the kernel asks again until nothing new is named).
 * @internal
 */
export const keysOf = (world: WorldState, event: DomainEvent): ReadonlyArray<string> => {
  switch (event.type) {
    case 'OrganizationDissolved': {
      const { orgId } = event.data
      const members = world.orgMembers.get(orgId)
      const keys = [lastDates + streamOf(event), orgMembers + orgId]
      for (const personId of members ?? []) keys.push(persons + personId)
      return keys
    }
    case 'AwarenessClassHeld':
      return [lastDates + streamOf(event), classes + event.data.classId]
    case 'OrganizationRegistered':
    case 'OrganizationMoved':
    case 'OrganizationRated':
    case 'UnitRegistered':
    case 'UnitMoved':
    case 'UnitRetired':
    case 'VillageRegistered':
    case 'VillageRetired':
    case 'VillageHeadAppointed':
    case 'TargetSet':
      return [lastDates + streamOf(event)]
    case 'QuotaAssigned':
    case 'QuotaRevised': {
      const { orgId, period, occupation } = event.data
      return [lastDates + streamOf(event), quotas + quotaKey(orgId, period, occupation)]
    }
    case 'MemberAdmitted':
    case 'ExistingMemberRegistered':
      return [persons + event.data.personId, orgMembers + event.data.orgId]
    case 'MemberTransferred':
      return [persons + event.data.personId, orgMembers + event.data.toOrgId]
    default:
      return [persons + event.data.personId]
  }
}
