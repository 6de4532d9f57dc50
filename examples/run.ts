/**
 * Runs one scenario end to end through the public embedding API: its lines are imported into a fresh
 * in-memory ledger, its reports are computed by the ledger and printed in Vietnamese, and each figure
 * of SCENARIOS.md is checked against what the reports show.
 */
import { partyDevelopment, type Report } from '@ketnap/core'
import { createInMemoryEventStore } from '@ketnap/kernel'
import { createLedger, describeLedgerError, owner } from '@ketnap/ledger'
import { renderText } from '@ketnap/report'
import * as E from 'fp-ts/Either'
import { toJsonLine, type Scenario } from './scenarios'

/** Imports, reports and checks one scenario; resolves to the process exit code (0 when every figure holds). */
export const runScenario = async (scenario: Scenario): Promise<number> => {
  const ledger = createLedger({ store: createInMemoryEventStore(), domain: partyDevelopment() })
  const lines = scenario.build()
  const imported = await ledger.importEvents(lines.map(toJsonLine), owner())()
  if (E.isLeft(imported)) {
    console.error(`${scenario.key}: import failed: ${describeLedgerError(imported.left)}`)
    return 1
  }
  console.log(`# ${scenario.title}`)
  console.log(`(${imported.right.appended} sự kiện đã ghi)`)
  const reports: Report[] = []
  for (const { name, query, caption } of scenario.reports) {
    const result = await ledger.report(name, owner(), query)()
    if (E.isLeft(result)) {
      console.error(`${scenario.key}: report ${name} failed: ${describeLedgerError(result.left)}`)
      return 1
    }
    reports.push(result.right)
    console.log(`\n## ${caption}\n`)
    console.log(renderText(result.right, 'vi'))
  }
  console.log('\n## Đối chiếu với bài báo\n')
  let failed = 0
  for (const figure of scenario.figures) {
    const actual = figure.observe({ reports, lines })
    const ok = actual === figure.expected
    if (!ok) failed += 1
    console.log(`${ok ? '✓' : '✗'} ${figure.label}: ${actual}${ok ? '' : ` (expected ${figure.expected})`}`)
  }
  return failed === 0 ? 0 : 1
}
