import { describe, expect, it } from 'vitest'
import { importPhases } from './importPhases'

describe('importPhases', () => {
  it('reads the write and read-model phases of ketnap import --timings', () => {
    const stderr = [
      'phase write: 99718 event(s) written in 14.926 s, peak RSS 355 MiB',
      'phase read-models: at position 99718 in 5.644 s, peak RSS 364 MiB',
    ].join('\n')
    expect(importPhases(stderr)).toEqual({ writeMs: 14926, writeRssMiB: 355, readModelsMs: 5644 })
  })

  it('gives null for a phase that is not reported', () => {
    expect(importPhases('phase read-models: failed after 2.000 s: boom\n')).toEqual({
      writeMs: null,
      writeRssMiB: null,
      readModelsMs: null,
    })
  })
})
