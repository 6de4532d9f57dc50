/**
 * Grassroots party organizations (tổ chức cơ sở đảng) in a scope on a date: grassroots committees
 * (đảng bộ cơ sở) and grassroots cells (chi bộ cơ sở), the kinds of unit they sit in, the cells under
 * them and the members they hold.
 */
import * as E from 'fp-ts/Either'
import type { DomainError } from '@ketnap/kernel'
import type { OrganizationRow, OrganizationsReport, ReportQuery } from '../reports'
import { reportContext, type ReportContext } from './context'
import { activeMembership, nearestMarkedAt, orgActive, personOrgAt, sortIds, subtreeAt } from './facts'
import type { OrgFacts, ReportsState } from './state'

/**
 * The organizations report of CLI.md. A grassroots organization is a committee when active cells sit
 * under it on the date (through its own parent links), else a grassroots cell; cells count under the
 * nearest grassroots organization above them, members under the nearest one above the organization
 * holding their headcount.
 */
export const organizations = (
  state: ReportsState,
  query: ReportQuery,
): E.Either<DomainError, OrganizationsReport> =>
  E.map((ctx: ReportContext) => {
    const { asOf: d, k } = ctx
    const inSubtree = subtreeAt(state, ctx.rootsOn(d), d, k)
    const grassroots = new Map<string, OrgFacts>()
    for (const o of state.orgs.values())
      if (o.level === 'grassroots' && orgActive(o, d, k) && inSubtree(o.id)) grassroots.set(o.id, o)
    // The grassroots organization an organization belongs to on the date (itself, or the nearest above).
    const nearest = nearestMarkedAt(state, d, k, (id) => (grassroots.has(id) ? id : undefined))
    const grassrootsOf = (id: string): string | null => nearest(id) ?? null
    const cells = new Map<string, number>()
    for (const o of state.orgs.values()) {
      if (o.level !== 'cell' || !orgActive(o, d, k)) continue
      const g = grassrootsOf(o.id)
      if (g !== null) cells.set(g, (cells.get(g) ?? 0) + 1)
    }
    const members = new Map<string, number>()
    // Read back from the tables: the members counted per organization holding them; the persons in the
    // state are then only those the tables left out (a read-only store's tail).
    for (const h of state.heldOn?.get(d) ?? []) {
      const g = grassrootsOf(h.orgId)
      if (g !== null) members.set(g, (members.get(g) ?? 0) + h.members)
    }
    for (const p of state.persons.values()) {
      if (p.memberships.length === 0) continue
      const m = activeMembership(p, d, k)
      if (m === undefined) continue
      const g = grassrootsOf(personOrgAt(p, d, k) ?? m.orgId)
      if (g !== null) members.set(g, (members.get(g) ?? 0) + 1)
    }
    const rows: OrganizationRow[] = sortIds(grassroots.keys()).map((id) => {
      const o = grassroots.get(id)!
      const n = cells.get(id) ?? 0
      const unit = o.unitId === null ? undefined : state.units.get(o.unitId)
      return {
        orgId: id,
        name: o.name,
        form: n > 0 ? 'committee' : 'cell',
        unitKind: unit !== undefined && unit.rec <= k ? unit.kind : null,
        cells: n,
        members: members.get(id) ?? 0,
      }
    })
    const byUnitKind: Record<string, number> = {}
    for (const r of rows) byUnitKind[r.unitKind ?? 'none'] = (byUnitKind[r.unitKind ?? 'none'] ?? 0) + 1
    const committee = rows.filter((r) => r.form === 'committee').length
    return {
      report: 'organizations' as const,
      ...ctx.base,
      grassroots: rows.length,
      byForm: { committee, cell: rows.length - committee },
      byUnitKind,
      cells: rows.reduce((a, r) => a + r.cells, 0),
      members: rows.reduce((a, r) => a + r.members, 0),
      rows,
    }
  })(reportContext(state, query))
