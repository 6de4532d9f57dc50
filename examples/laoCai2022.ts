/**
 * Lào Cai, provincial agencies-and-enterprises bloc (seed 004): builds the events, imports them into a fresh ledger and prints
 * the reports in Vietnamese. Run: `npx tsx --conditions=source examples/laoCai2022.ts`.
 */
import { runScenario } from './run'
import { laoCai2022 } from './scenarios'

process.exitCode = await runScenario(laoCai2022)
