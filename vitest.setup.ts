// Property tests run 200 times by default; KETNAP_PROP_RUNS raises it, FC_SEED replays a failure.
import fc from 'fast-check'

const runs = Number(process.env['KETNAP_PROP_RUNS'] ?? '200')
const seed = process.env['FC_SEED']
fc.configureGlobal(seed === undefined ? { numRuns: runs } : { numRuns: runs, seed: Number(seed) })
