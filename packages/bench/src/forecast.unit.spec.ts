import { describe, expect, it } from 'vitest'
import { forecastPhase, heapLimitMiB, type ForecastBasis } from './forecast'

const basis: ForecastBasis = {
  file: 'latest-province.json',
  events: 1_000_000,
  figures: [
    { subject: 'sqlite', key: 'import', value: 10_000 },
    { subject: 'sqlite', key: 'import-rss', value: 500 },
    { subject: 'sqlite', key: 'rebuild', value: 10_000 },
    { subject: 'sqlite', key: 'rebuild-rss', value: 500 },
  ],
}

describe('forecastPhase', () => {
  it('scales time and memory per event, and cuts a phase forecast over the heap limit', () => {
    const events = Math.ceil(((heapLimitMiB() + 1) / 500) * 1_000_000)
    const f = forecastPhase(basis, 'sqlite', 'rebuild', events, Number.MAX_SAFE_INTEGER)
    expect(f?.cut).toContain("over Node's default heap limit")
    expect(f?.arithmetic).toContain('500 ÷ 1,000,000 ×')
  })

  it("does not scale the import's memory, which is bounded", () => {
    const events = Math.ceil(((heapLimitMiB() + 1) / 500) * 1_000_000)
    const f = forecastPhase(basis, 'sqlite', 'import', events, Number.MAX_SAFE_INTEGER)
    expect(f?.cut).toBeNull()
    expect(f?.arithmetic).toContain('500 MiB at 1,000,000 events, bounded')
  })

  it('cuts a phase forecast over the time limit, and lets one that fits run', () => {
    expect(forecastPhase(basis, 'sqlite', 'import', 2_000_000, 60_000)?.cut).toContain('1-min phase limit')
    expect(forecastPhase(basis, 'sqlite', 'import', 2_000_000, 600_000)?.cut).toBeNull()
  })

  it('makes no forecast without the figures', () => {
    expect(forecastPhase(basis, 'postgres', 'import', 2_000_000, 600_000)).toBeNull()
  })
})
