/**
 * Quota attainment (đạt ...% so với chỉ tiêu): admissions of a period attributed to an organization
 * through the hierarchy as it stood on each admission date, against the quota chosen as EVENTS.md says.
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { DomainError } from '@ketnap/kernel'
import type { AttainmentReport, AttainmentRow, QuotaLine, ReportQuery } from '../reports'
import { checkPeriod, inPeriod, reportContext, type CheckedPeriod } from './context'
import { admissionCounts, chainAt, profileAt, rootIndex, sortIds } from './facts'
import type { QuotaFacts, ReportsState } from './state'

/** A quota as known at `k`: its last known target. @internal */
export interface KnownQuota {
  readonly facts: QuotaFacts
  readonly target: number
}

/** The quotas of an organization, period and occupation as known at `k`, by assigner. @internal */
export const knownQuotas = (
  s: ReportsState,
  orgId: string,
  period: string,
  occupation: string | null,
  k: number,
): KnownQuota[] => {
  const out: KnownQuota[] = []
  for (const q of s.quotas.get(orgId) ?? []) {
    if (q.period !== period || q.occupation !== occupation) continue
    let target: number | undefined
    for (const t of q.targets) if (t.rec <= k) target = t.target
    if (target !== undefined) out.push({ facts: q, target })
  }
  return out.sort((a, b) => (a.facts.assignedBy < b.facts.assignedBy ? -1 : 1))
}

/**
 * The quota of an organization and period: the one assigned by its nearest ancestor that assigned one
 * (ancestors on date `d`), else its own; when neither, the first by `assignedBy` (an assigner that is
 * no longer an ancestor, after a move). Quotas apply by knowledge, whatever their `on`.
 */
export const chooseQuota = (
  s: ReportsState,
  quotas: ReadonlyArray<KnownQuota>,
  orgId: string,
  d: string,
  k: number,
): KnownQuota | undefined => {
  if (quotas.length === 0) return undefined
  for (const anc of chainAt(s, orgId, d, k).slice(1)) {
    const q = quotas.find((x) => x.facts.assignedBy === anc)
    if (q !== undefined) return q
  }
  return quotas.find((x) => x.facts.assignedBy === orgId) ?? quotas[0]
}

/**
 * The sum of the quotas `root` handed down for the period (and occupation): every quota of another
 * organization assigned by `root`, at its last known target. Wherever the receiver sits now: a quota
 * handed down stays handed down.
 */
const subQuotaTotal = (
  s: ReportsState,
  root: string,
  period: string,
  occupation: string | null,
  k: number,
): number => {
  let total = 0
  for (const [orgId, list] of s.quotas) {
    if (orgId === root) continue
    for (const q of list) {
      if (q.assignedBy !== root || q.period !== period || q.occupation !== occupation) continue
      let target: number | undefined
      for (const t of q.targets) if (t.rec <= k) target = t.target
      if (target !== undefined) total += target
    }
  }
  return total
}

/** An organization's name if it was recorded by `k`, else its id (an assigner outside the ledger). */
const nameAt = (s: ReportsState, orgId: string, k: number): string => {
  const o = s.orgs.get(orgId)
  return o !== undefined && o.rec <= k ? o.name : orgId
}

const rateOf = (admitted: number, target: number | null): number | null =>
  target === null ? null : admitted / target

/** Direct children of `root` at some time in the period (up to the as-of date). */
const childrenDuring = (s: ReportsState, root: string, p: CheckedPeriod, k: number): Set<string> => {
  const out = new Set<string>()
  for (const o of s.orgs.values()) {
    if (o.rec > k || o.id === root) continue
    const end = o.dissolved !== null && o.dissolved.rec <= k ? o.dissolved.on : null
    for (let i = 0; i < o.parents.length; i++) {
      const e = o.parents[i]!
      if (e.rec > k) break
      if (e.value !== root) continue
      const next = o.parents[i + 1]
      let hi = next !== undefined && next.rec <= k ? next.on : null
      if (end !== null && (hi === null || end < hi)) hi = end
      let lo = e.on > p.from ? e.on : p.from
      if (o.registeredOn > lo) lo = o.registeredOn
      if (lo <= p.end && (hi === null || lo < hi)) {
        out.add(o.id)
        break
      }
    }
  }
  return out
}

/** The attainment report of CLI.md (`--period` required, `--occupation` optional). */
export const attainment = (
  state: ReportsState,
  query: ReportQuery,
): E.Either<DomainError, AttainmentReport> =>
  pipe(
    E.Do,
    E.apS('ctx', reportContext(state, query)),
    E.apS('p', checkPeriod(query)),
    E.map(({ ctx, p }) => {
      const { k } = ctx
      const root = ctx.org.id
      const occupation = query.occupation ?? null
      let admitted = 0
      let direct = 0
      const through = new Map<string, number>()
      for (const person of state.persons.values()) {
        if (person.memberships.length === 0) continue
        for (const m of person.memberships) {
          if (!inPeriod(p, m.on) || !admissionCounts(m, k)) continue
          if (occupation !== null && profileAt(person, m.on, k)?.occupation !== occupation) continue
          const chain = chainAt(state, m.orgId, m.on, k)
          const i = rootIndex(chain, ctx.rootsOn(m.on))
          if (i < 0) continue
          admitted++
          // An organization merged into ORG is a row of its own, whichever of its subtree admitted.
          const via = chain[i] === root ? (i === 0 ? null : chain[i - 1]!) : chain[i]!
          if (via === null) direct++
          else through.set(via, (through.get(via) ?? 0) + 1)
        }
      }
      const quotaDate = p.end < p.from ? ctx.asOf : p.end
      const quotas = knownQuotas(state, root, p.period, occupation, k)
      const chosen = chooseQuota(state, quotas, root, quotaDate, k)
      const lines: QuotaLine[] = quotas.map((q) => ({
        assignedBy: q.facts.assignedBy,
        assignedByName: nameAt(state, q.facts.assignedBy, k),
        target: q.target,
        rate: admitted / q.target,
        ref: q.facts.ref,
      }))
      const rowIds = childrenDuring(state, root, p, k)
      for (const a of ctx.absorbed)
        if (a.until > p.from && (state.orgs.get(a.id)?.registeredOn ?? p.end) <= p.end) rowIds.add(a.id)
      for (const id of through.keys()) rowIds.add(id)
      const rows: AttainmentRow[] = sortIds(rowIds).map((id) => {
        const childQuotas = knownQuotas(state, id, p.period, occupation, k)
        const target = chooseQuota(state, childQuotas, id, quotaDate, k)?.target ?? null
        const n = through.get(id) ?? 0
        return {
          orgId: id,
          orgName: state.orgs.get(id)?.name ?? id,
          target,
          admitted: n,
          rate: rateOf(n, target),
        }
      })
      const target = chosen?.target ?? null
      return {
        report: 'attainment' as const,
        ...ctx.base,
        period: p.period,
        occupation,
        target,
        admitted,
        rate: rateOf(admitted, target),
        quotas: lines,
        direct,
        subQuotaTotal: subQuotaTotal(state, root, p.period, occupation, k),
        rows,
      }
    }),
  )
