/**
 * The reports projection: one incremental fold of the log that answers every report of CLI.md, for
 * any as-of date and any known-at instant, without rereading the log.
 */
import * as E from 'fp-ts/Either'
import { defaultPolicies, type Policies } from '../policy'
import type { DomainError, Envelope, Projection } from '@ketnap/kernel'
import type { Report, ReportName, ReportQuery } from '../reports'
import { decodeEvent } from '../decode'
import type { DomainEvent } from '../events'
import { applyToReports } from './apply'
import { attainment } from './attainment'
import { blankVillages } from './blankVillages'
import { type ReportsPolicy } from './context'
import { coverage } from './coverage'
import { funnel } from './funnel'
import { organizations } from './organizations'
import { ratings } from './ratings'
import { roll } from './roll'
import { deserializeReportsState, emptyReportsState, serializeReportsState, type ReportsState } from './state'
import { training } from './training'
import { villageHeads } from './villageHeads'

/**
 * The projection behind every report (`ketnap.reports`). Version 2: an existing member's profile is
 * dated from the admission date. Version 3: every cell vote is kept with its counts (the report's
 * policy says which pass), so stored state of earlier versions is rebuilt. Version 4: targets (TargetSet)
 * and ratings (OrganizationRated) are kept. Version 5: an organization's dissolution keeps the organization it
 * was merged into (`--include-merged`).
 */
export const reportsProjection: Projection<ReportsState, DomainEvent> = {
  name: 'ketnap.reports',
  version: 5,
  init: emptyReportsState,
  apply: applyToReports,
  serialize: serializeReportsState,
  deserialize: deserializeReportsState,
}

/**
 * Folds envelopes of events this domain wrote (samples, tests, benchmarks) into a fresh state; with
 * `knownAt`, only those recorded at or before it. Each is decoded first, as a store's events are: an
 * envelope that does not decode is the caller's bug, and throws, naming its position.
 */
export const foldReports = (
  envelopes: Iterable<Envelope>,
  options: { readonly knownAt?: string } = {},
): ReportsState => {
  const s = emptyReportsState()
  const cut = options.knownAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(options.knownAt)
  for (const env of envelopes) {
    if (Date.parse(env.recordedAt) > cut) break
    const event = decodeEvent(env.type, env.data)
    if (E.isLeft(event))
      throw new Error(
        `foldReports: the event at position ${env.position} does not decode: ${event.left.map((e) => e.message).join('; ')}`,
      )
    applyToReports(s, event.right, env)
  }
  return s
}

/** Runs the report `name` of CLI.md on a state, under one policy or dated policies. */
export const runReport = (
  state: ReportsState,
  name: ReportName,
  query: ReportQuery,
  policy: ReportsPolicy | Policies<ReportsPolicy> = defaultPolicies,
): E.Either<DomainError, Report> => {
  switch (name) {
    case 'attainment':
      return attainment(state, query)
    case 'blank-villages':
      return blankVillages(state, query)
    case 'roll':
      return roll(state, query, policy)
    case 'funnel':
      return funnel(state, query, policy)
    case 'training':
      return training(state, query)
    case 'village-heads':
      return villageHeads(state, query)
    case 'coverage':
      return coverage(state, query)
    case 'organizations':
      return organizations(state, query)
    case 'ratings':
      return ratings(state, query)
  }
}
