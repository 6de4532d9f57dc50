/**
 * Targets for indicators (chỉ tiêu phấn đấu), as set by TargetSet: the one in force on a date.
 * @internal
 */
import type { Indicator } from '../events'
import { parsePeriod } from '../primitives'
import type { ReportsState, TargetFacts } from './state'

/**
 * The target for `indicator` in force on `d` as known at `k`, looked up along `chain` (an organization
 * and its ancestors on `d`, nearest first): the first organization that set one wins. Among an
 * organization's targets, those whose period holds `d` and that were set on or before `d` count, and
 * the last one set (by date, then by record) holds.
 */
export const targetAt = (
  s: ReportsState,
  chain: ReadonlyArray<string>,
  indicator: Indicator,
  d: string,
  k: number,
): TargetFacts | undefined => {
  for (const orgId of chain) {
    let found: TargetFacts | undefined
    for (const t of s.targets.get(orgId) ?? []) {
      if (t.indicator !== indicator || t.rec > k || t.on > d) continue
      const range = parsePeriod(t.period)
      if (range === null || d < range.from || d > range.to) continue
      if (found === undefined || t.on >= found.on) found = t
    }
    if (found !== undefined) return found
  }
  return undefined
}
