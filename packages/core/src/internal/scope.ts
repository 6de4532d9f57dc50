/**
 * @internal
 * An organization's scope on a date, read from the rules' world: its subtree (parent links in force that
 * day), the units and villages in it, and the organization a person belongs to. What the access policy
 * asks of the organization tree, in one place, as EVENTS.md defines scope.
 */
import {
  activeOn,
  headcountOn,
  isSelfOrAncestor,
  orgActiveOn,
  type OrgRecord,
  type UnitRecord,
  type WorldState,
} from './world'

/** True when `orgId` is `root` or in its subtree on `on`. @internal */
export const inSubtree = (world: WorldState, root: string, orgId: string, on: string): boolean =>
  isSelfOrAncestor(world, root, orgId, on)

/** The organization a unit falls under on `on` (before its registration, the one it was registered under). */
const unitOrgOn = (unit: UnitRecord, on: string): string | undefined => {
  for (let i = unit.orgs.length - 1; i >= 0; i--) {
    const link = unit.orgs[i]
    if (link !== undefined && link.from <= on) return link.orgId
  }
  return unit.orgs[0]?.orgId
}

/** Organizations by the unit they sit in and by the village they cover, rebuilt when organizations are added. */
interface SeatIndex {
  size: number
  readonly byUnit: Map<string, string[]>
  readonly byVillage: Map<string, string[]>
}

const seatIndexes = new WeakMap<Map<string, OrgRecord>, SeatIndex>()

/**
 * The organizations sitting in units and covering villages. Organizations are only ever added and their
 * unit and village never change, so the index is kept per world and rebuilt only when one was added; it
 * is consulted only when the cheaper checks have not already placed the unit or village in scope.
 */
const seatIndex = (world: WorldState): SeatIndex => {
  const kept = seatIndexes.get(world.orgs)
  if (kept !== undefined && kept.size === world.orgs.size) return kept
  const index: SeatIndex = { size: world.orgs.size, byUnit: new Map(), byVillage: new Map() }
  const add = (map: Map<string, string[]>, key: string, orgId: string): void => {
    const list = map.get(key)
    if (list === undefined) map.set(key, [orgId])
    else list.push(orgId)
  }
  for (const [orgId, org] of world.orgs) {
    if (org.unitId !== undefined) add(index.byUnit, org.unitId, orgId)
    if (org.villageId !== undefined) add(index.byVillage, org.villageId, orgId)
  }
  seatIndexes.set(world.orgs, index)
  return index
}

/**
 * True when the unit is in the scope of `root` on `on`: the organization it falls under is in the
 * subtree, or an active grassroots organization of the subtree sits in it.
 */
export const unitInScope = (world: WorldState, root: string, unitId: string, on: string): boolean => {
  const unit = world.units.get(unitId)
  const under = unit === undefined ? undefined : unitOrgOn(unit, on)
  if (under !== undefined && inSubtree(world, root, under, on)) return true
  const seated = (orgId: string): boolean => {
    const org = world.orgs.get(orgId)
    return (
      org !== undefined &&
      org.level === 'grassroots' &&
      org.unitId === unitId &&
      orgActiveOn(org, on) &&
      inSubtree(world, root, orgId, on)
    )
  }
  if (seated(root)) return true
  return (seatIndex(world).byUnit.get(unitId) ?? []).some(seated)
}

/**
 * True when the village is in the scope of `root` on `on`: its unit is, or an active cell of the subtree
 * covers it.
 */
export const villageInScope = (world: WorldState, root: string, villageId: string, on: string): boolean => {
  const village = world.villages.get(villageId)
  if (village !== undefined && unitInScope(world, root, village.unitId, on)) return true
  const covers = (orgId: string): boolean => {
    const org = world.orgs.get(orgId)
    return (
      org !== undefined &&
      org.level === 'cell' &&
      org.villageId === villageId &&
      orgActiveOn(org, on) &&
      inSubtree(world, root, orgId, on)
    )
  }
  if (covers(root)) return true
  return (seatIndex(world).byVillage.get(villageId) ?? []).some(covers)
}

/**
 * The organizations a known person belongs to on `on`: the candidate's organization, or the member's
 * activity organization and the one holding their headcount (they differ during a temporary transfer);
 * empty for a person the rules do not know.
 */
export const personOrgsOn = (world: WorldState, personId: string, on: string): ReadonlyArray<string> => {
  const person = world.persons.get(personId)
  if (person === undefined) return []
  const headcount = headcountOn(person, on)
  return headcount === undefined || headcount === person.orgId ? [person.orgId] : [person.orgId, headcount]
}

/**
 * True when `orgId` is in the subtree of `root` on some day from `from` to before `to` (null: open): the
 * subtree changes only on the days organizations move, so those days and `from` are the ones to ask.
 */
export const inSubtreeDuring = (
  world: WorldState,
  root: string,
  orgId: string,
  from: string,
  to: string | null,
): boolean =>
  inSubtree(world, root, orgId, from) ||
  world.moveDates.some((d) => activeOn(from, to, d) && inSubtree(world, root, orgId, d))

/** The last quota assigner of an organization, period and occupation, when there is exactly one. */
export const soleQuotaAssigner = (world: WorldState, key: string): string | undefined => {
  const assigners = world.quotas.get(key)
  if (assigners === undefined || assigners.size !== 1) return undefined
  return assigners.keys().next().value
}
