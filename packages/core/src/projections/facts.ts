/**
 * Reading the reports state on a business date `d` as known at an instant `k` (epoch milliseconds):
 * the semantics every projection shares (EVENTS.md).
 * @internal
 */
import type { StoredProfile } from '../events'
import { addMonths } from '../calendar'
import type { Membership, OrgFacts, PersonFacts, ReportsState, UnitFacts, VillageFacts } from './state'
import { entryAt, firstKnown, happened } from './timeline'

/**
 * Deepest chain followed; guards against a corrupt cycle. A subtree holds the organizations at most
 * MAX_DEPTH - 1 links below its root, here and in the read model's recursions (`readModel/load.ts`).
 */
export const MAX_DEPTH = 64

/** An organization known at `k`. */
export const knownOrg = (s: ReportsState, id: string, k: number): OrgFacts | undefined => {
  const o = s.orgs.get(id)
  return o !== undefined && o.rec <= k ? o : undefined
}

/** Registered on or before `d` and not dissolved on or before `d`. */
export const orgActive = (o: OrgFacts, d: string, k: number): boolean =>
  o.rec <= k && o.registeredOn <= d && !happened(o.dissolved, d, k)

/**
 * The parent of `o` on `d`; before the organization existed, the parent it was registered with (so
 * that an existing member admitted before their organization was created counts through it).
 */
export const parentAt = (o: OrgFacts, d: string, k: number): string | null =>
  (entryAt(o.parents, d, k) ?? firstKnown(o.parents, k))?.value ?? null

/** `orgId` and its ancestors on `d`, nearest first. */
export const chainAt = (s: ReportsState, orgId: string, d: string, k: number): string[] => {
  const out: string[] = []
  let id: string | null = orgId
  while (id !== null && out.length < MAX_DEPTH) {
    const o = knownOrg(s, id, k)
    if (o === undefined) break
    out.push(id)
    id = parentAt(o, d, k)
  }
  return out
}

/**
 * The organizations whose subtrees a report counts on a date: its own organization, or with
 * `--include-merged` also those merged into it after that date (`rootsOn` of the report's context).
 */
export type Roots = string | ReadonlyArray<string>

const isRoot = (roots: Roots, id: string): boolean =>
  typeof roots === 'string' ? id === roots : roots.includes(id)

/** An organization dissolved into a report's organization (directly or through others it merged into). */
export interface Absorbed {
  readonly id: string
  /** The first date its subtree no longer counts: its merge date, or an earlier one along the chain. */
  readonly until: string
}

/**
 * The organizations dissolved `mergedInto` `root`, directly or into one merged into it, as known at `k`
 * (whatever the date of the merge), sorted by `until` then id. Each counts for the dates before its own
 * merge and before every merge on its way to `root`.
 */
export const absorbedInto = (s: ReportsState, root: string, k: number): Absorbed[] => {
  const into = new Map<string, Array<{ id: string; on: string }>>()
  for (const o of s.orgs.values()) {
    const m = o.dissolved
    if (o.rec > k || m === null || m.rec > k || m.mergedInto === null) continue
    const list = into.get(m.mergedInto)
    if (list === undefined) into.set(m.mergedInto, [{ id: o.id, on: m.on }])
    else list.push({ id: o.id, on: m.on })
  }
  const out: Absorbed[] = []
  const seen = new Set<string>([root])
  const visit = (host: string, until: string | null, depth: number): void => {
    if (depth >= MAX_DEPTH) return
    for (const a of into.get(host) ?? []) {
      if (seen.has(a.id)) continue
      seen.add(a.id)
      const u = until !== null && until < a.on ? until : a.on
      out.push({ id: a.id, until: u })
      visit(a.id, u, depth + 1)
    }
  }
  visit(root, null, 0)
  return out.sort((a, b) => (a.until < b.until ? -1 : a.until > b.until ? 1 : a.id < b.id ? -1 : 1))
}

/** The roots on `d`: `root`, and the absorbed organizations whose merge came after `d`. */
export const rootsOn = (root: string, absorbed: ReadonlyArray<Absorbed>, d: string): Roots => {
  if (absorbed.length === 0) return root
  const out = [root]
  for (const a of absorbed) if (d < a.until) out.push(a.id)
  return out.length === 1 ? root : out
}

/** The nearest of `roots` in `chain` (an organization and its ancestors, nearest first), or -1. */
export const rootIndex = (chain: ReadonlyArray<string>, roots: Roots): number => {
  for (let i = 0; i < chain.length; i++) if (isRoot(roots, chain[i]!)) return i
  return -1
}

/** True when one of `roots` is `orgId` or one of its ancestors on `d` (no allocation: the funnel's hot path). */
export const reaches = (s: ReportsState, orgId: string, roots: Roots, d: string, k: number): boolean => {
  let id: string | null = orgId
  for (let depth = 0; id !== null && depth < MAX_DEPTH; depth++) {
    if (isRoot(roots, id)) return true
    const o = knownOrg(s, id, k)
    if (o === undefined) return false
    id = parentAt(o, d, k)
  }
  return false
}

/**
 * A look-up of the nearest organization at most MAX_DEPTH - 1 links above an organization on `d` (the
 * organization itself at none) to which `mark` gives a value, and that value. Memoized over the date
 * with each organization's links to it, so that an answer never depends on the order of the questions:
 * a walk cut short by the bound marks nothing on its way (an organization on it may be near enough),
 * and one that meets an organization already answered adds its own links to that one's.
 */
export const nearestMarkedAt = <T>(
  s: ReportsState,
  d: string,
  k: number,
  mark: (id: string) => T | undefined,
): ((id: string) => T | undefined) => {
  // The value and the links up to it, or null when no organization above is marked.
  const memo = new Map<string, { readonly value: T; readonly links: number } | null>()
  return (id) => {
    const path: string[] = []
    let cur: string | null = id
    let found: { readonly value: T; readonly links: number } | null | undefined
    while (cur !== null && path.length < MAX_DEPTH) {
      found = memo.get(cur)
      if (found !== undefined) break
      const value = mark(cur)
      if (value !== undefined) {
        found = { value, links: 0 }
        memo.set(cur, found)
        break
      }
      path.push(cur)
      const o = knownOrg(s, cur, k)
      cur = o === undefined ? null : parentAt(o, d, k)
    }
    if (found === undefined) {
      // The top reached (or an unknown organization) with none marked; cut short by the bound: nothing.
      if (cur === null) for (const p of path) memo.set(p, null)
      return undefined
    }
    if (found === null) {
      for (const p of path) memo.set(p, null)
      return undefined
    }
    const n = path.length
    for (let i = 0; i < n; i++) memo.set(path[i]!, { value: found.value, links: found.links + n - i })
    return found.links + n < MAX_DEPTH ? found.value : undefined
  }
}

/**
 * A test "is this organization in the subtree of one of `roots` on `d`" (at most MAX_DEPTH - 1 links
 * below it, as `reaches`), memoized over one date.
 */
export const subtreeAt = (s: ReportsState, roots: Roots, d: string, k: number): ((id: string) => boolean) => {
  const nearest = nearestMarkedAt(s, d, k, (id) => (isRoot(roots, id) ? true : undefined))
  return (id) => nearest(id) === true
}

/** Active on `d`: admitted on or before, not annulled, not left on or before (as known at `k`). */
export const membershipActive = (m: Membership, d: string, k: number): boolean =>
  m.rec <= k && m.on <= d && !(m.annulledRec !== null && m.annulledRec <= k) && !happened(m.left, d, k)

/** An admission that counts at `k`: known and not annulled as far as known. */
export const admissionCounts = (m: Membership, k: number): boolean =>
  m.rec <= k && !(m.annulledRec !== null && m.annulledRec <= k)

/** The membership of `p` active on `d`, if any. */
export const activeMembership = (p: PersonFacts, d: string, k: number): Membership | undefined => {
  for (let i = p.memberships.length - 1; i >= 0; i--) {
    const m = p.memberships[i]!
    if (membershipActive(m, d, k)) return m
  }
  return undefined
}

/**
 * Official on `d`: from admission + probation once a confirmation is known at `k` (recognition dates
 * back); a member registered as official counts as confirmed by that record, and is official at the
 * latest from the date of the registration, which states the status on that day.
 */
export const isOfficial = (
  m: Pick<Membership, 'on' | 'existing' | 'registeredOn' | 'confirmedRec'>,
  d: string,
  k: number,
  probationMonths: number,
): boolean => {
  if (m.existing === 'official')
    return d >= addMonths(m.on, probationMonths) || (m.registeredOn !== null && d >= m.registeredOn)
  return m.confirmedRec !== null && m.confirmedRec <= k && d >= addMonths(m.on, probationMonths)
}

/** The organization holding the person on `d` (their headcount, for a member). */
export const personOrgAt = (p: PersonFacts, d: string, k: number): string | undefined =>
  entryAt(p.orgs, d, k)?.value

/** The village the person lives in on `d`, or null. */
export const residenceAt = (p: PersonFacts, d: string, k: number): string | null =>
  entryAt(p.residence, d, k)?.value ?? null

/**
 * The person's profile in force on `d`: the one given with their last nomination on or before `d`, or
 * with their registration as an existing member (from the admission date). A later nomination (after
 * leaving, closing a candidacy or an annulment) does not rewrite who they were on an earlier date.
 */
export const profileAt = (p: PersonFacts, d: string, k: number): StoredProfile | undefined =>
  entryAt(p.profiles, d, k)?.value

/** A unit registered on or before `d` and not retired on or before `d`. */
export const unitActive = (u: UnitFacts, d: string, k: number): boolean =>
  u.rec <= k && u.registeredOn <= d && !happened(u.retired, d, k)

/** A village registered on or before `d` and not retired on or before `d`. */
export const villageActive = (v: VillageFacts, d: string, k: number): boolean =>
  v.rec <= k && v.registeredOn <= d && !happened(v.retired, d, k)

/** The unit a village belongs to on `d`: its own, or the one its retired unit was merged into. */
export const villageUnitAt = (s: ReportsState, v: VillageFacts, d: string, k: number): string => {
  let id = v.unitId
  for (let i = 0; i < MAX_DEPTH; i++) {
    const u = s.units.get(id)
    if (u === undefined || u.mergedInto === null || !happened(u.retired, d, k)) return id
    id = u.mergedInto
  }
  return id
}

/** What organization X's scope holds on `d`. */
export interface Scope {
  readonly inSubtree: (orgId: string) => boolean
  /** Active units in scope. */
  readonly units: ReadonlyArray<UnitFacts>
  /** Active villages in scope. */
  readonly villages: ReadonlyArray<VillageFacts>
  /** Units an active grassroots organization (of any subtree) sits in. */
  readonly unitsWithGrassroots: ReadonlySet<string>
  /** Villages an active cell (of any subtree) covers. */
  readonly villagesWithCell: ReadonlySet<string>
}

/**
 * The scope of `roots` on `d`: their subtrees, the units under an organization of them or with an active
 * grassroots organization of them sitting in them, their villages, and the villages an active cell of
 * the subtrees covers. One pass over organizations, units and villages.
 */
export const scopeAt = (s: ReportsState, roots: Roots, d: string, k: number): Scope => {
  const inSubtree = subtreeAt(s, roots, d, k)
  const unitsWithGrassroots = new Set<string>()
  const villagesWithCell = new Set<string>()
  const ownUnits = new Set<string>()
  const ownVillages = new Set<string>()
  for (const o of s.orgs.values()) {
    if (!orgActive(o, d, k)) continue
    if (o.level === 'grassroots' && o.unitId !== null) {
      unitsWithGrassroots.add(o.unitId)
      if (inSubtree(o.id)) ownUnits.add(o.unitId)
    }
    if (o.level === 'cell' && o.villageId !== null) {
      villagesWithCell.add(o.villageId)
      if (inSubtree(o.id)) ownVillages.add(o.villageId)
    }
  }
  const units: UnitFacts[] = []
  const unitIds = new Set<string>()
  for (const u of s.units.values()) {
    if (!unitActive(u, d, k)) continue
    const org = entryAt(u.orgs, d, k)?.value
    if ((org !== undefined && inSubtree(org)) || ownUnits.has(u.id)) {
      units.push(u)
      unitIds.add(u.id)
    }
  }
  const villages: VillageFacts[] = []
  for (const v of s.villages.values()) {
    if (!villageActive(v, d, k)) continue
    if (unitIds.has(villageUnitAt(s, v, d, k)) || ownVillages.has(v.id)) villages.push(v)
  }
  return { inSubtree, units, villages, unitsWithGrassroots, villagesWithCell }
}

/** Villages where an active member lives on `d` (whatever the scope). */
export const inhabitedVillages = (s: ReportsState, d: string, k: number): Set<string> => {
  // Villages the tables answered, and those of the persons the state holds besides (a tail's).
  const out = new Set<string>(s.inhabitedOn?.get(d) ?? [])
  for (const p of s.persons.values()) {
    if (p.memberships.length === 0 || activeMembership(p, d, k) === undefined) continue
    const v = residenceAt(p, d, k)
    if (v !== null) out.add(v)
  }
  return out
}

/** Sorts ids by code point. */
export const sortIds = (ids: Iterable<string>): string[] =>
  [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

/** `part ÷ whole`, unrounded; null when `whole` is 0 (a share of nothing). */
export const shareOf = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole)
