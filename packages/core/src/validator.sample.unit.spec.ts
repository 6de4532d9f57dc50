import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { createInMemoryEventStore, importJsonLines } from '@ketnap/kernel'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { partyDevelopment } from './domain'

const SAMPLE = join(process.env['KETNAP_SHARED_DIR'] ?? 'shared', 'domain', 'sample-history.jsonl')

describe('sample-history.jsonl', () => {
  it('is accepted line by line, in order, by the validator (through the kernel importer, as `ketnap import` reads it)', async () => {
    const store = createInMemoryEventStore()
    const result = await importJsonLines(store, partyDevelopment(), readFileSync(SAMPLE, 'utf8'))()
    if (E.isLeft(result))
      throw new Error(
        'errors' in result.left
          ? result.left.errors.map((e) => `${e.line}: ${e.code} ${e.message}`).join('\n')
          : result.left._tag,
      )
    expect(result.right.appended).toBe(1733)
  })
})
