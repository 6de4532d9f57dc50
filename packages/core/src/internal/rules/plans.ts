/**
 * Rules of quotas, targets, awareness classes and village heads.
 * @internal
 */
import type { EventOf } from '../../events'
import { isSelfOrAncestor, quotaKey } from '../world'
import { fail, requireOrg, requireVillage, type CheckContext } from './check'

/** @internal */
export const checkQuotaAssigned = (ctx: CheckContext, e: EventOf<'QuotaAssigned'>): void => {
  const { orgId, period, occupation, assignedBy, on } = e.data
  const okOrg = requireOrg(ctx, orgId, on, 'data.orgId')
  const okBy = requireOrg(ctx, assignedBy, on, 'data.assignedBy')
  if (okOrg && okBy && !isSelfOrAncestor(ctx.world, assignedBy, orgId, on)) {
    fail(
      ctx,
      'quota-assigner',
      `${assignedBy} is neither ${orgId} nor one of its ancestors on ${on}`,
      'data.assignedBy',
    )
  }
  if (ctx.world.quotas.get(quotaKey(orgId, period, occupation))?.has(assignedBy) === true) {
    fail(
      ctx,
      'quota-duplicate',
      `${assignedBy} already assigned ${orgId} a quota for ${period}`,
      'data.assignedBy',
    )
  }
}

/** @internal */
export const checkQuotaRevised = (ctx: CheckContext, e: EventOf<'QuotaRevised'>): void => {
  const { orgId, period, occupation, assignedBy } = e.data
  const quotas = ctx.world.quotas.get(quotaKey(orgId, period, occupation))
  if (assignedBy !== undefined) {
    if (quotas?.has(assignedBy) !== true) {
      fail(ctx, 'quota-unknown', `${assignedBy} assigned ${orgId} no quota for ${period}`, 'data.assignedBy')
    }
  } else if (quotas === undefined || quotas.size === 0) {
    fail(ctx, 'quota-unknown', `${orgId} holds no quota for ${period}`, 'data.orgId')
  } else if (quotas.size > 1) {
    fail(
      ctx,
      'quota-ambiguous',
      `${orgId} holds ${quotas.size} quotas for ${period}: name the assigner`,
      'data.assignedBy',
    )
  }
}

/** @internal */
export const checkTargetSet = (ctx: CheckContext, e: EventOf<'TargetSet'>): void => {
  requireOrg(ctx, e.data.orgId, e.data.on, 'data.orgId')
}

/** @internal */
export const checkAwarenessClassHeld = (ctx: CheckContext, e: EventOf<'AwarenessClassHeld'>): void => {
  const { classId, orgId, from, to } = e.data
  if (ctx.world.classes.has(classId))
    fail(ctx, 'class-duplicate', `class ${classId} is already recorded`, 'data.classId')
  if (to < from)
    fail(ctx, 'class-dates', `class ${classId} ends (${to}) before it starts (${from})`, 'data.to')
  requireOrg(ctx, orgId, from, 'data.orgId')
}

/** @internal */
export const checkVillageHeadAppointed = (ctx: CheckContext, e: EventOf<'VillageHeadAppointed'>): void => {
  requireVillage(ctx, e.data.villageId, e.data.on, 'data.villageId')
}
