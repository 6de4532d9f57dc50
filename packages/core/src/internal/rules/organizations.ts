/**
 * Rules of organizations and geography: registration, moves without cycles, dissolution only once
 * children and members are gone, units and villages active where referenced.
 * @internal
 */
import type { EventOf } from '../../events'
import { activeOn, headcountOn, parentOn, type WorldState } from '../world'
import { fail, requireOrg, requireUnit, requireVillage, type CheckContext } from './check'

const MAX_DEPTH = 64

/** True when `orgId` is reached walking up from `start` on `on`, with `orgId`'s parent set to `start`. */
const reaches = (world: WorldState, start: string, orgId: string, on: string): boolean => {
  let current: string | null = start
  for (let depth = 0; current !== null && depth < MAX_DEPTH; depth++) {
    if (current === orgId) return true
    const org = world.orgs.get(current)
    if (org === undefined) return false
    current = parentOn(org, on)
  }
  // A chain deeper than MAX_DEPTH only arises from a cycle already there.
  return current !== null
}

/** @internal */
export const checkOrganizationRegistered = (
  ctx: CheckContext,
  e: EventOf<'OrganizationRegistered'>,
): void => {
  const { orgId, level, parentId, unitId, villageId, on } = e.data
  if (ctx.world.orgs.has(orgId))
    fail(ctx, 'org-duplicate', `organization ${orgId} is already registered`, 'data.orgId')
  if (parentId === null) {
    if (level !== 'central' && level !== 'province') {
      fail(ctx, 'parent-required', `a ${level} organization needs a parent`, 'data.parentId')
    }
  } else requireOrg(ctx, parentId, on, 'data.parentId')
  if (unitId !== undefined) requireUnit(ctx, unitId, on, 'data.unitId')
  if (villageId !== undefined) requireVillage(ctx, villageId, on, 'data.villageId')
}

/** @internal */
export const checkOrganizationMoved = (ctx: CheckContext, e: EventOf<'OrganizationMoved'>): void => {
  const { orgId, parentId, on } = e.data
  const okOrg = requireOrg(ctx, orgId, on, 'data.orgId')
  const okParent = requireOrg(ctx, parentId, on, 'data.parentId')
  if (!okOrg || !okParent) return
  // The new link holds from `on`; check that day and every later day some other link changes.
  const dates = [on, ...ctx.world.moveDates.filter((d) => d > on)]
  if (dates.some((d) => reaches(ctx.world, parentId, orgId, d))) {
    fail(
      ctx,
      'org-cycle',
      `moving ${orgId} under ${parentId} would make it its own ancestor`,
      'data.parentId',
    )
  }
}

/** @internal */
export const checkOrganizationDissolved = (ctx: CheckContext, e: EventOf<'OrganizationDissolved'>): void => {
  const { orgId, mergedInto, on } = e.data
  const { world } = ctx
  if (mergedInto !== undefined) {
    if (mergedInto === orgId)
      fail(ctx, 'merge-into-self', `${orgId} cannot merge into itself`, 'data.mergedInto')
    else requireOrg(ctx, mergedInto, on, 'data.mergedInto')
  }
  if (!requireOrg(ctx, orgId, on, 'data.orgId')) return
  for (const childId of world.children.get(orgId) ?? []) {
    const child = world.orgs.get(childId)
    if (child === undefined) continue
    const links = child.parents
    for (let i = 0; i < links.length; i++) {
      const link = links[i]
      if (link === undefined || link.parentId !== orgId) continue
      const start = link.from > on ? link.from : on
      const end = links[i + 1]?.from ?? null
      if ((end === null || start < end) && (child.dissolvedOn === null || start < child.dissolvedOn)) {
        fail(
          ctx,
          'dissolve-has-children',
          `${orgId} still has the active child organization ${childId}`,
          'data.orgId',
        )
        return
      }
    }
  }
  for (const personId of world.orgMembers.get(orgId) ?? []) {
    const p = world.persons.get(personId)
    if (p === undefined || (p.phase !== 'member' && p.phase !== 'left')) continue
    // Active on some day from `on` on with the headcount here: on `on`, or from a later link.
    const endOfMembership = p.leftOn
    const held =
      (headcountOn(p, on) === orgId && activeOn(p.admittedOn ?? on, endOfMembership, on)) ||
      p.headcount.some(
        (l) => l.orgId === orgId && l.from > on && (endOfMembership === null || l.from < endOfMembership),
      )
    if (held) {
      fail(ctx, 'dissolve-has-members', `${orgId} still holds the active member ${personId}`, 'data.orgId')
      return
    }
  }
}

/** @internal */
export const checkOrganizationRated = (ctx: CheckContext, e: EventOf<'OrganizationRated'>): void => {
  const org = ctx.world.orgs.get(e.data.orgId)
  if (org === undefined)
    fail(ctx, 'org-exists', `organization ${e.data.orgId} is not registered`, 'data.orgId')
  else if (e.data.on < org.registeredOn) {
    fail(
      ctx,
      'org-not-active',
      `organization ${e.data.orgId} is not registered on ${e.data.on}`,
      'data.orgId',
    )
  }
}

/** @internal */
export const checkUnitRegistered = (ctx: CheckContext, e: EventOf<'UnitRegistered'>): void => {
  if (ctx.world.units.has(e.data.unitId)) {
    fail(ctx, 'unit-duplicate', `unit ${e.data.unitId} is already registered`, 'data.unitId')
  }
  requireOrg(ctx, e.data.orgId, e.data.on, 'data.orgId')
}

/** @internal */
export const checkUnitMoved = (ctx: CheckContext, e: EventOf<'UnitMoved'>): void => {
  requireUnit(ctx, e.data.unitId, e.data.on, 'data.unitId')
  requireOrg(ctx, e.data.orgId, e.data.on, 'data.orgId')
}

/** @internal */
export const checkUnitRetired = (ctx: CheckContext, e: EventOf<'UnitRetired'>): void => {
  const { unitId, mergedInto, on } = e.data
  requireUnit(ctx, unitId, on, 'data.unitId')
  if (mergedInto === unitId)
    fail(ctx, 'merge-into-self', `${unitId} cannot merge into itself`, 'data.mergedInto')
  else if (mergedInto !== undefined) requireUnit(ctx, mergedInto, on, 'data.mergedInto')
}

/** @internal */
export const checkVillageRegistered = (ctx: CheckContext, e: EventOf<'VillageRegistered'>): void => {
  if (ctx.world.villages.has(e.data.villageId)) {
    fail(ctx, 'village-duplicate', `village ${e.data.villageId} is already registered`, 'data.villageId')
  }
  requireUnit(ctx, e.data.unitId, e.data.on, 'data.unitId')
}

/** @internal */
export const checkVillageRetired = (ctx: CheckContext, e: EventOf<'VillageRetired'>): void => {
  const { villageId, mergedInto, on } = e.data
  requireVillage(ctx, villageId, on, 'data.villageId')
  if (mergedInto === villageId)
    fail(ctx, 'merge-into-self', `${villageId} cannot merge into itself`, 'data.mergedInto')
  else if (mergedInto !== undefined) requireVillage(ctx, mergedInto, on, 'data.mergedInto')
}
