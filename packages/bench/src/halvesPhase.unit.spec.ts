import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { splitLog } from './halvesPhase'

const dir = mkdtempSync(join(tmpdir(), 'ketnap-halves-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('splitLog', () => {
  it('writes the first lines to one file and the rest to the other, every line once, in order', async () => {
    const lines = Array.from({ length: 1001 }, (_, i) => `{"n":${i},"text":"dòng ${i}"}`)
    const log = join(dir, 'log.jsonl')
    writeFileSync(log, `${lines.join('\n')}\n`)
    const parts = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')] as const
    expect(await splitLog(log, 500, parts)).toEqual([500, 501])
    expect(readFileSync(parts[0], 'utf8')).toBe(`${lines.slice(0, 500).join('\n')}\n`)
    expect(readFileSync(parts[1], 'utf8')).toBe(`${lines.slice(500).join('\n')}\n`)
  })
})
