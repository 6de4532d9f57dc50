import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { decodeEvent } from './decode'
import { defaultPolicy } from './policy'
import { parseImportLine } from './jsonl'
import { streamOf } from './streams'
import { validator } from './validator'

const SAMPLE = join(process.env['KETNAP_SHARED_DIR'] ?? 'shared', 'domain', 'sample-history.jsonl')

describe('sample-history.jsonl', () => {
  it('is accepted line by line, in order, by the validator', () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\n')
    const v = validator(defaultPolicy)
    let state = v.initialState()
    const rejected: string[] = []
    let accepted = 0
    lines.forEach((text, i) => {
      if (text.trim() === '') return
      const line = parseImportLine(text, i + 1)
      if (E.isLeft(line)) return void rejected.push(`${i + 1}: ${line.left.map((e) => e.code).join(',')}`)
      const event = decodeEvent(line.right.type, line.right.data)
      if (E.isLeft(event)) return void rejected.push(`${i + 1}: ${event.left.map((e) => e.code).join(',')}`)
      const ctx = { stream: streamOf(event.right), recordedAt: line.right.recordedAt ?? '' }
      const errors = v.validate(state, event.right, ctx)
      if (errors.length > 0)
        return void rejected.push(`${i + 1}: ${errors.map((e) => `${e.code} ${e.message}`).join('; ')}`)
      state = v.evolve(state, event.right, ctx)
      accepted += 1
    })
    expect(rejected).toEqual([])
    expect(accepted).toBe(1733)
  })
})
