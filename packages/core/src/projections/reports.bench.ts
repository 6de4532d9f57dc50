import * as E from 'fp-ts/Either'
import { bench, describe } from 'vitest'
import { decodeEvent } from '../decode'
import { largeHistory } from '../internal/testing/largeHistory'
import { REPORT_NAMES } from '../reports'
import { foldReports, reportsProjection, runReport } from './reportsProjection'

// About 200,000 events: 28,000 candidates through the pipeline and 15,000 existing members.
const envelopes = largeHistory(28_000, 15_000)
const state = foldReports(envelopes)
// Decoded once, as the ledger decodes a stored log: the fold is measured alone.
const decoded = envelopes.flatMap((envelope) => {
  const event = decodeEvent(envelope.type, envelope.data)
  return E.isRight(event) ? [{ event: event.right, envelope }] : []
})

describe(`reports over ${envelopes.length} events`, () => {
  bench(
    'fold the whole log',
    () => {
      let s = reportsProjection.init()
      for (const { event, envelope } of decoded) s = reportsProjection.apply(s, event, envelope)
    },
    { iterations: 3 },
  )
  for (const name of REPORT_NAMES)
    bench(
      `${name} of the province`,
      () => {
        runReport(state, name, { orgId: 'P', asOf: '2021-06-30', period: '2020', since: '2018-01-01' })
      },
      { iterations: 5 },
    )
})
