/**
 * Kon Tum (seed 003): builds the events, imports them into a fresh ledger and prints
 * the reports in Vietnamese. Run: `npx tsx --conditions=source examples/konTum2021.ts`.
 */
import { runScenario } from './run'
import { konTum2021 } from './scenarios'

process.exitCode = await runScenario(konTum2021)
