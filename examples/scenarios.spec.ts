import { describe, expect, it } from 'vitest'
import { renderText } from '@ketnap/report'
import { demoLog, figureValues, scenarios, valuesNotShown, type ImportLine } from './scenarios'
import { figureContext, validateLines } from './scenarios/testing'

const PREFIXES: Readonly<Record<string, string>> = {
  dienBien2016: 'db16',
  haiPhongDuongKinh2018: 'hp18',
  bacLieu2021: 'bl21',
  konTum2021: 'kt21',
  laoCai2022: 'lc22',
}

const idsOf = (data: Record<string, unknown>): string[] =>
  ['orgId', 'unitId', 'villageId', 'personId', 'parentId', 'classId'].flatMap((k) => {
    const v = data[k]
    return typeof v === 'string' ? [v] : []
  })

/** Ids of the lines recorded before the line preceding them. */
const backwards = (lines: ReadonlyArray<ImportLine>): string[] =>
  lines.filter((l, i) => i > 0 && l.recordedAt < lines[i - 1]!.recordedAt).map((l) => l.id)

describe.each(scenarios.map((s) => [s.key, s] as const))('scenario %s', (key, scenario) => {
  const lines = scenario.build()

  it('is deterministic: building twice gives the same lines', () => {
    expect(JSON.stringify(scenario.build())).toBe(JSON.stringify(lines))
  })

  it('prefixes every event id and every organization, unit, village, person and class id', () => {
    const prefix = `${PREFIXES[key]}-`
    expect(PREFIXES[key]).toBeDefined()
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length)
    const unprefixed = lines.flatMap((l) => [l.id, ...idsOf(l.data)]).filter((id) => !id.startsWith(prefix))
    expect(unprefixed).toEqual([])
  })

  it('keeps the record clock: recordedAt never runs backwards', () => {
    expect(backwards(lines)).toEqual([])
  })

  it('stays under its share of the demo budget', () => {
    expect(lines.length).toBeLessThan(60_000)
  })

  it('passes the domain validator line by line', () => {
    expect(validateLines(lines)).toEqual([])
  })

  it('prints every value of every figure in its reports, in Vietnamese (a report value, not a comment)', () => {
    const text = figureContext(scenario)
      .reports.map((r) => renderText(r, 'vi'))
      .join('\n')
    expect(scenario.figures.every((f) => figureValues(f).length > 0)).toBe(true)
    expect(valuesNotShown(scenario.figures, text)).toEqual([])
  })
})

describe('the demo log (every scenario, concatenated in demo order)', () => {
  const log = demoLog()

  it('has unique ids, a record clock that never runs backwards, and fewer than 150,000 events', () => {
    expect(new Set(log.map((l) => l.id)).size).toBe(log.length)
    expect(backwards(log)).toEqual([])
    expect(log.length).toBeLessThan(150_000)
  })

  it('passes the domain validator as one log', () => {
    expect(validateLines(log)).toEqual([])
  })
})
