/**
 * Awareness classes held (lớp bồi dưỡng nhận thức về Đảng) and their trainees.
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { DomainError } from '@ketnap/kernel'
import type { ReportQuery, TrainingReport } from '../reports'
import { checkPeriod, inPeriod, reportContext } from './context'
import { reaches } from './facts'
import type { ClassFacts, ReportsState } from './state'

/**
 * The training report of CLI.md: classes of ORG's subtree (as it stood on each class's `from`) whose
 * `from` falls in the period, on or before the as-of date. A class recorded again counts once, as last known.
 */
export const training = (state: ReportsState, query: ReportQuery): E.Either<DomainError, TrainingReport> =>
  pipe(
    E.Do,
    E.apS('ctx', reportContext(state, query)),
    E.apS('p', checkPeriod(query)),
    E.map(({ ctx, p }) => {
      const { k } = ctx
      let classes = 0
      let trainees = 0
      for (const versions of state.classes.values()) {
        let c: ClassFacts | undefined
        for (const v of versions) if (v.rec <= k) c = v
        if (c === undefined || !inPeriod(p, c.from)) continue
        if (!reaches(state, c.orgId, ctx.rootsOn(c.from), c.from, k)) continue
        classes++
        trainees += c.trainees
      }
      return { report: 'training' as const, ...ctx.base, period: p.period, classes, trainees }
    }),
  )
