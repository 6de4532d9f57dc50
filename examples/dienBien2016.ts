/**
 * Điện Biên, Resolution 04-NQ/TU (seed 001): builds the events, imports them into a fresh ledger and
 * prints the reports in Vietnamese. Run: `npx tsx --conditions=source examples/dienBien2016.ts`.
 */
import { runScenario } from './run'
import { dienBien2016 } from './scenarios'

process.exitCode = await runScenario(dienBien2016)
