/**
 * The record clock: a day's facts are written in arrival order and spread over its office hours, a
 * deferred block exactly as if its facts had been queued one by one.
 */
import { describe, expect, it } from 'vitest'
import { recorder } from './recorder'

const DAY = 45_000

const heads = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `{"n":${from + i}`)

describe('recorder', () => {
  it('writes a deferred block as the facts it spells, in their place among the day', () => {
    const one = recorder()
    for (const head of heads(0, 700)) one.record(DAY, head)
    const other = recorder()
    other.record(DAY, '{"n":0')
    other.record(DAY, { count: 698, heads: () => heads(1, 698) })
    other.record(DAY, '{"n":699')
    const written = [...other.flush(DAY)]
    expect(written).toEqual([...one.flush(DAY)])
    expect(written[1]).toBe('{"n":1,"recordedAt":"2023-03-17T01:00:46.285Z"}')
    expect([...other.flush(DAY)]).toEqual([])
  })

  it('never lets the clock run backwards from one day to the next', () => {
    const rec = recorder()
    rec.record(DAY, '{"n":0')
    rec.record(DAY + 1, '{"n":1')
    const [first] = [...rec.flush(DAY)]
    const [second] = [...rec.flush(DAY + 1)]
    expect((first ?? '') < (second ?? '')).toBe(true)
    expect(rec.waitingDays()).toEqual([])
  })

  it('refuses a block that spells other facts than it counted', () => {
    const rec = recorder()
    rec.record(DAY, { count: 3, heads: () => heads(0, 2) })
    expect(() => [...rec.flush(DAY)]).toThrow(/2 facts written/)
  })
})
