/**
 * Registering communes (xã, phường, thị trấn) with their grassroots party committee (đảng bộ xã),
 * their villages (thôn, bản, tổ dân phố) and the village cells (chi bộ thôn, bản) that cover them.
 * @internal
 */
import type { LogBuilder } from './log'
import { bareName, isUrban, slug } from './names'

/** A registered village and the cell covering it, if any. */
export interface Village {
  readonly id: string
  readonly name: string
  /** The village cell (chi bộ) covering it, or null. */
  readonly cellId: string | null
}

/** A registered commune. */
export interface Commune {
  readonly unitId: string
  readonly name: string
  /** Its grassroots party committee (đảng bộ xã). */
  readonly committeeId: string
  readonly villages: ReadonlyArray<Village>
}

/** What to register for one commune. */
export interface CommunePlan {
  /** Id prefix, e.g. `db16-muong-nhe`. */
  readonly idBase: string
  /** "Xã Sín Thầu", "Phường Him Lam", "Thị trấn Tủa Chùa". */
  readonly name: string
  /** The district-level organization the commune falls under. */
  readonly districtOrgId: string
  /** How many villages. */
  readonly villages: number
  /** Whether village i (0-based) has a cell. */
  readonly hasCell: (i: number) => boolean
  /** What a rural village is called there: "Bản" (the north-west), "Thôn" (the Central Highlands). */
  readonly villageWord?: string
  /** Names of the first villages, where the article names them. */
  readonly knownVillageNames?: ReadonlyArray<string>
  readonly on: string
}

/** Registers a commune, its committee, villages and cells; returns their ids. */
export const registerCommune = (log: LogBuilder, plan: CommunePlan): Commune => {
  const unitId = `${plan.idBase}-${slug(plan.name)}`
  const committeeId = `${unitId}-du`
  const bare = bareName(plan.name)
  log.add('UnitRegistered', {
    unitId,
    name: plan.name,
    kind: 'commune',
    orgId: plan.districtOrgId,
    on: plan.on,
  })
  log.add('OrganizationRegistered', {
    orgId: committeeId,
    name: `Đảng bộ ${plan.name.charAt(0).toLowerCase()}${plan.name.slice(1)}`,
    level: 'grassroots',
    parentId: plan.districtOrgId,
    unitId,
    on: plan.on,
  })
  const villages: Village[] = []
  for (let i = 0; i < plan.villages; i++) {
    const id = `${unitId}-t${String(i + 1).padStart(2, '0')}`
    const name =
      plan.knownVillageNames?.[i] ??
      (isUrban(plan.name) ? `Tổ dân phố ${i + 1}` : `${plan.villageWord ?? 'Bản'} ${bare} ${i + 1}`)
    log.add('VillageRegistered', { villageId: id, name, unitId, on: plan.on })
    let cellId: string | null = null
    if (plan.hasCell(i)) {
      cellId = `${id}-cb`
      log.add('OrganizationRegistered', {
        orgId: cellId,
        name: `Chi bộ ${name.charAt(0).toLowerCase()}${name.slice(1)}`,
        level: 'cell',
        parentId: committeeId,
        villageId: id,
        on: plan.on,
      })
    }
    villages.push({ id, name, cellId })
  }
  return { unitId, name: plan.name, committeeId, villages }
}

/** A unit (agency, school, enterprise...) under an organization, with or without its own grassroots cell. */
export interface UnitPlan {
  readonly unitId: string
  readonly name: string
  readonly kind: 'agency' | 'enterprise' | 'school' | 'armed-forces' | 'other'
  readonly orgId: string
  /** Registers a grassroots organization sitting in the unit, with this name (chi bộ or đảng bộ cơ sở). */
  readonly organization: string | null
  /** Id of that organization; default `<unitId>-cb`. */
  readonly organizationId?: string
  readonly on: string
}

/** Registers a unit and, where it has one, its grassroots organization; returns that organization's id. */
export const registerUnit = (log: LogBuilder, plan: UnitPlan): string | null => {
  log.add('UnitRegistered', {
    unitId: plan.unitId,
    name: plan.name,
    kind: plan.kind,
    orgId: plan.orgId,
    on: plan.on,
  })
  if (plan.organization === null) return null
  const orgId = plan.organizationId ?? `${plan.unitId}-cb`
  log.add('OrganizationRegistered', {
    orgId,
    name: plan.organization,
    level: 'grassroots',
    parentId: plan.orgId,
    unitId: plan.unitId,
    on: plan.on,
  })
  return orgId
}
