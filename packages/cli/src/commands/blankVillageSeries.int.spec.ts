/**
 * The blank-villages chart's series from the command line: its dates (given, or each month end since
 * `--since`), each counted by the blank-villages report, and the HTML page that draws it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { partyDevelopment } from '@ketnap/core'
import { createInMemoryEventStore } from '@ketnap/kernel'
import { createLedger, owner } from '@ketnap/ledger'
import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'
import type { Io, OutputStream } from '../io'
import { run } from '../main'
import { blankVillageSeries, monthlyDates, parseSeries } from './blankVillageSeries'

// A province with four villages; a member comes to live in one more of them each month.
const lines = [
  {
    type: 'OrganizationRegistered',
    data: { orgId: 'prov', name: 'Tỉnh', level: 'province', parentId: null, on: '2010-01-01' },
  },
  {
    type: 'OrganizationRegistered',
    data: { orgId: 'dist', name: 'Huyện', level: 'district', parentId: 'prov', on: '2010-01-01' },
  },
  {
    type: 'UnitRegistered',
    data: { unitId: 'xa', name: 'Xã', kind: 'commune', orgId: 'dist', on: '2010-01-01' },
  },
  ...[1, 2, 3, 4].map((i) => ({
    type: 'VillageRegistered',
    data: { villageId: `v${i}`, name: `Thôn ${i}`, unitId: 'xa', on: '2010-01-01' },
  })),
  {
    type: 'OrganizationRegistered',
    data: {
      orgId: 'du',
      name: 'Đảng bộ xã',
      level: 'grassroots',
      parentId: 'dist',
      unitId: 'xa',
      on: '2010-01-01',
    },
  },
  ...[1, 2, 3, 4].map((i) => ({
    type: 'ExistingMemberRegistered',
    data: {
      personId: `m${i}`,
      orgId: 'du',
      status: 'official',
      admittedOn: `2016-0${i}-15`,
      villageId: `v${i}`,
      on: '2016-05-01',
    },
    recordedAt: '2016-05-02T01:00:00Z',
  })),
].map((l) => JSON.stringify({ recordedAt: '2010-01-02T01:00:00Z', ...l }))

describe('the blank-villages series', () => {
  it('takes each month end between --since and the as-of date, or the dates given', () => {
    expect(monthlyDates('2016-01-01', '2016-04-15')).toEqual([
      '2016-01-01',
      '2016-01-31',
      '2016-02-29',
      '2016-03-31',
      '2016-04-15',
    ])
    expect(monthlyDates('2016-01-31', '2016-02-29')).toEqual(['2016-01-31', '2016-02-29'])
    expect(monthlyDates('2016-03-01', '2016-03-01')).toEqual(['2016-03-01'])
    expect(parseSeries('2016-03-31,2016-01-31, 2016-01-31')).toEqual(E.right(['2016-01-31', '2016-03-31']))
    expect(E.isLeft(parseSeries('2016-02-30'))).toBe(true)
  })

  it('counts the blank villages on each date with the report', async () => {
    const ledger = createLedger({ store: createInMemoryEventStore(), domain: partyDevelopment() })
    expect(E.isRight(await ledger.importEvents(lines, owner())())).toBe(true)
    const points = await blankVillageSeries(
      ledger,
      owner(),
      { orgId: 'prov', since: '2016-01-01', asOf: '2016-04-15' },
      monthlyDates('2016-01-01', '2016-04-15'),
    )
    expect(points).toEqual(
      E.right([
        { date: '2016-01-01', blank: 4 },
        { date: '2016-01-31', blank: 3 },
        { date: '2016-02-29', blank: 2 },
        { date: '2016-03-31', blank: 1 },
        { date: '2016-04-15', blank: 0 },
      ]),
    )
  })
})

describe('ketnap report blank-villages --format html', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ketnap-series-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const io = (): { io: Io; out: () => string; err: () => string } => {
    const out: string[] = []
    const err: string[] = []
    const stream = (chunks: string[]): OutputStream => ({
      write: (chunk) => {
        chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
        return Promise.resolve()
      },
      isTTY: false,
    })
    return {
      io: {
        stdout: stream(out),
        stderr: stream(err),
        stdin: async function* () {},
        env: {},
        cwd: dir,
        now: () => new Date(),
      },
      out: () => out.join(''),
      err: () => err.join(''),
    }
  }

  it('draws the monthly series since --since, or the --series dates, and refuses a bad date', async () => {
    writeFileSync(join(dir, 'h.jsonl'), lines.join('\n') + '\n')
    const store = ['--store', `sqlite:${join(dir, 'k.db')}`]
    expect(await run([...store, 'import', join(dir, 'h.jsonl')], io().io)).toBe(0)
    const report = ['report', 'blank-villages', '--org', 'prov', '--as-of', '2016-04-15', '--format', 'html']
    const monthly = io()
    expect(await run([...store, ...report, '--since', '2016-01-01'], monthly.io)).toBe(0)
    // The chart's points are labelled with their counts (4 blank villages on 2016-01-01, 0 on 2016-04-15).
    const chart = monthly.out().slice(monthly.out().indexOf('<svg'), monthly.out().indexOf('</svg>'))
    for (const n of ['4', '3', '2', '1', '0']) expect(chart).toContain(`>${n}</text>`)
    const given = io()
    expect(await run([...store, ...report, '--series', '2016-01-01,2016-03-31'], given.io)).toBe(0)
    expect(given.out()).toContain('<svg')
    const bad = io()
    expect(await run([...store, ...report, '--series', '2016-02-30'], bad.io)).toBe(1)
    expect(bad.err()).toMatch(/--series: "2016-02-30" is not a calendar date/)
  }, 60_000)
})
