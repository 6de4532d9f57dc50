/**
 * Stream routing: the stream an event belongs to, derived from its data as EVENTS.md says.
 */
import type { DomainEvent } from './events'

/**
 * The stream of an event: `org-<orgId>`, `unit-<unitId>`, `village-<villageId>`, `person-<personId>`,
 * `quota-<orgId>-<period>[-<occupation>]`, `target-<orgId>-<indicator>-<period>` or `class-<classId>`.
 */
export const streamOf = (event: DomainEvent): string => {
  switch (event.type) {
    case 'OrganizationRegistered':
    case 'OrganizationMoved':
    case 'OrganizationDissolved':
    case 'OrganizationRated':
      return `org-${event.data.orgId}`
    case 'UnitRegistered':
    case 'UnitMoved':
    case 'UnitRetired':
      return `unit-${event.data.unitId}`
    case 'VillageRegistered':
    case 'VillageRetired':
    case 'VillageHeadAppointed':
      return `village-${event.data.villageId}`
    case 'QuotaAssigned':
    case 'QuotaRevised': {
      const { orgId, period, occupation } = event.data
      return occupation === undefined ? `quota-${orgId}-${period}` : `quota-${orgId}-${period}-${occupation}`
    }
    case 'TargetSet':
      return `target-${event.data.orgId}-${event.data.indicator}-${event.data.period}`
    case 'AwarenessClassHeld':
      return `class-${event.data.classId}`
    default:
      return `person-${event.data.personId}`
  }
}

/**
 * The person whose stream an event is in (`person-<personId>`), `undefined` for the other streams: as
 * `streamOf` routes them.
 * @internal
 */
export const streamPersonOf = (event: DomainEvent): string | undefined => {
  switch (event.type) {
    case 'OrganizationRegistered':
    case 'OrganizationMoved':
    case 'OrganizationDissolved':
    case 'OrganizationRated':
    case 'UnitRegistered':
    case 'UnitMoved':
    case 'UnitRetired':
    case 'VillageRegistered':
    case 'VillageRetired':
    case 'VillageHeadAppointed':
    case 'QuotaAssigned':
    case 'QuotaRevised':
    case 'TargetSet':
    case 'AwarenessClassHeld':
      return undefined
    default:
      return event.data.personId
  }
}

/** The business date of an event: `on`, or `from` for an awareness class. */
export const businessDateOf = (event: DomainEvent): string =>
  event.type === 'AwarenessClassHeld' ? event.data.from : event.data.on
