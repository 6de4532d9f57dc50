import { describe, expect, it } from 'vitest'
import { statusLine } from './projectionsCommand'

describe("projections status: a read model's line", () => {
  it('tells caught up, behind, of another version, and not built', () => {
    expect(statusLine(10, { name: 'reports', version: 11, kept: { version: 11, position: 10 } })).toBe(
      'reports: version 11, at position 10: caught up',
    )
    expect(statusLine(10, { name: 'reports', version: 11, kept: { version: 11, position: 7 } })).toContain(
      'at position 7: 3 event(s) behind',
    )
    expect(statusLine(10, { name: 'reports', version: 11, kept: { version: 10, position: 10 } })).toContain(
      'version 10 kept, 11 declared: rebuilt from the log',
    )
    expect(statusLine(10, { name: 'reports', version: 11, kept: null })).toContain('not built yet')
  })
})
