// The cost of one simulated history through the library, as docs/simulator.md reports it: the lines
// are written to /dev/null in 64 KiB chunks, as `ketnap simulate --out` writes them, and hashed.
//
//   node packages/simulator/scripts/measure.mjs tiny|district|province|national [years]
//
// Prints one JSON line: lines, SHA-256 of the output, milliseconds to the first line, wall and CPU
// seconds, and the peak resident set size in MiB. Run it after `pnpm --filter @ketnap/simulator build`.
import { createHash } from 'node:crypto'
import { closeSync, openSync, writeSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { simulate } from '../dist/index.js'

const [scale = 'tiny', years] = process.argv.slice(2)
const started = performance.now()
const hash = createHash('sha256')
const out = openSync('/dev/null', 'w')
let lines = 0
let first = 0
let chunk = ''
const write = () => {
  hash.update(chunk)
  writeSync(out, chunk)
  chunk = ''
}
for (const line of simulate({ scale, ...(years === undefined ? {} : { years: Number(years) }) })) {
  if (lines++ === 0) first = performance.now() - started
  chunk += `${line}\n`
  if (chunk.length >= 65536) write()
}
write()
closeSync(out)
const usage = process.resourceUsage()
console.log(
  JSON.stringify({
    scale,
    lines,
    sha256: hash.digest('hex'),
    firstLineMs: Math.round(first),
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    cpuSeconds: Number(((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(1)),
    peakRssMiB: Math.round(usage.maxRSS / 1024),
  }),
)
