// Property tests run 200 times by default; KETNAP_PROP_RUNS raises it, FC_SEED replays a failure.
import fc from 'fast-check'

const runs = Number(process.env['KETNAP_PROP_RUNS'] ?? '200')
const seed = process.env['FC_SEED']
fc.configureGlobal(seed === undefined ? { numRuns: runs } : { numRuns: runs, seed: Number(seed) })

// The contract files live in shared/ beside the repository (CI clones main with shared/ next to it);
// KETNAP_SHARED_DIR overrides. Tests find the contract files under process.env.KETNAP_SHARED_DIR.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = dirname(fileURLToPath(import.meta.url))
const candidates = [process.env['KETNAP_SHARED_DIR'], resolve(repo, '..', 'shared'), '/work/shared']
const shared = candidates.find((dir) => dir !== undefined && existsSync(join(dir, 'domain', 'EVENTS.md')))
if (shared === undefined)
  throw new Error(`shared/ not found (looked in ${candidates.filter(Boolean).join(', ')})`)
process.env['KETNAP_SHARED_DIR'] = shared
