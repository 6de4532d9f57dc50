/**
 * Hải Phòng, Dương Kinh district (seed 002): builds the events, imports them into a fresh ledger and prints
 * the reports in Vietnamese. Run: `npx tsx --conditions=source examples/haiPhongDuongKinh2018.ts`.
 */
import { runScenario } from './run'
import { haiPhongDuongKinh2018 } from './scenarios'

process.exitCode = await runScenario(haiPhongDuongKinh2018)
