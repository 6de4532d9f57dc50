/**
 * Bạc Liêu, provincial agencies' bloc (seed 000): builds the events, imports them into a fresh ledger and prints
 * the reports in Vietnamese. Run: `npx tsx --conditions=source examples/bacLieu2021.ts`.
 */
import { runScenario } from './run'
import { bacLieu2021 } from './scenarios'

process.exitCode = await runScenario(bacLieu2021)
