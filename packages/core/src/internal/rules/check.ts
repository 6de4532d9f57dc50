/**
 * Helpers shared by the rule checks: an error sink and the "referenced and active on D" checks.
 * @internal
 */
import { domainError, type DomainError } from '@ketnap/kernel'
import type { Policies, Policy } from '../../policy'
import type { RuleCode } from '../../rules'
import { activeOn, orgActiveOn, type WorldState } from '../world'

/** What a rule check sees. @internal */
export interface CheckContext {
  readonly world: WorldState
  /** The policy in force on the event's business date. */
  readonly policy: Policy
  /** Every policy, for a rule that reads the one in force on an earlier date (probation from admission). */
  readonly policies: Policies
  readonly errors: DomainError[]
}

/** Records a broken rule. @internal */
export const fail = (ctx: CheckContext, code: RuleCode, message: string, path?: string): void => {
  ctx.errors.push(domainError(code, message, path))
}

/** The organization exists and is active on `on`; false (with an error) otherwise. @internal */
export const requireOrg = (ctx: CheckContext, orgId: string, on: string, path: string): boolean => {
  const org = ctx.world.orgs.get(orgId)
  if (org === undefined) {
    fail(ctx, 'org-exists', `organization ${orgId} is not registered`, path)
    return false
  }
  if (!orgActiveOn(org, on)) {
    fail(ctx, 'org-not-active', `organization ${orgId} is not active on ${on}`, path)
    return false
  }
  return true
}

/** The unit exists and is active on `on`. @internal */
export const requireUnit = (ctx: CheckContext, unitId: string, on: string, path: string): boolean => {
  const unit = ctx.world.units.get(unitId)
  if (unit === undefined) {
    fail(ctx, 'unit-exists', `unit ${unitId} is not registered`, path)
    return false
  }
  if (!activeOn(unit.registeredOn, unit.retiredOn, on)) {
    fail(ctx, 'unit-not-active', `unit ${unitId} is not active on ${on}`, path)
    return false
  }
  return true
}

/** The village exists and is active on `on`. @internal */
export const requireVillage = (ctx: CheckContext, villageId: string, on: string, path: string): boolean => {
  const village = ctx.world.villages.get(villageId)
  if (village === undefined) {
    fail(ctx, 'village-exists', `village ${villageId} is not registered`, path)
    return false
  }
  if (!activeOn(village.registeredOn, village.retiredOn, on)) {
    fail(ctx, 'village-not-active', `village ${villageId} is not active on ${on}`, path)
    return false
  }
  return true
}
