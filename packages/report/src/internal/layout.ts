/**
 * @internal
 * One layout per report, shared by every tabular renderer: a title, a few facts about the query, one
 * table (the CSV's single header row is its columns) and lists of ids too long for a table cell.
 * Cells keep their numbers; each renderer formats them its own way (text, or real XLSX numbers).
 */
import type {
  AttainmentReport,
  BlankVillagesReport,
  CoverageReport,
  FunnelReport,
  OrganizationsReport,
  RatingsReport,
  Report,
  RollReport,
  TrainingReport,
  VillageCounts,
  VillageHeadsReport,
} from '@ketnap/core'
import { formatAttainment, formatDate, formatNumber, formatPercent, formatPeriod } from '../format'
import { messages, type Lang, type Messages } from '../messages'

/** @internal A table cell: text, a count, a share, or an attainment rate (which may say "vượt"). */
export type Cell =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'count'; readonly value: number | null }
  | { readonly kind: 'percent'; readonly value: number | null }
  | { readonly kind: 'attainment'; readonly value: number | null }

/** @internal A column: its header and how its cells line up. */
export interface Column {
  readonly label: string
  readonly align: 'left' | 'right'
}

/** @internal A list of ids printed under the table. */
export interface IdList {
  readonly label: string
  readonly items: ReadonlyArray<string>
}

/** @internal What every tabular renderer draws. */
export interface Layout {
  readonly title: string
  readonly meta: ReadonlyArray<readonly [string, string]>
  readonly columns: ReadonlyArray<Column>
  readonly rows: ReadonlyArray<ReadonlyArray<Cell>>
  readonly lists: ReadonlyArray<IdList>
  /** The log position and hash the report reflects (also the last line of `meta`), when the report names them. */
  readonly log?: readonly [string, string]
}

const text = (value: string): Cell => ({ kind: 'text', value })
const count = (value: number | null): Cell => ({ kind: 'count', value })
const percent = (value: number | null): Cell => ({ kind: 'percent', value })
const attainmentRate = (value: number | null): Cell => ({ kind: 'attainment', value })

/** @internal A cell as text in a language (empty for a missing count). */
export const formatCell = (cell: Cell, lang: Lang): string => {
  switch (cell.kind) {
    case 'text':
      return cell.value
    case 'count':
      return cell.value === null ? '' : formatNumber(cell.value, lang)
    case 'percent':
      return formatPercent(cell.value, lang)
    case 'attainment':
      return formatAttainment(cell.value, lang)
  }
}

const baseMeta = (r: Report, m: Messages, lang: Lang): Array<readonly [string, string]> => [
  [m.meta.organization, `${r.orgName} (${r.orgId})`],
  [m.meta.asOf, formatDate(r.asOf, lang)],
  [m.meta.knownAt, r.knownAt === null ? m.meta.knownAtAll : formatDate(r.knownAt, lang)],
  ...(r.checkpoint === undefined
    ? []
    : ([
        [
          m.meta.checkpoint,
          `${r.checkpoint.origin}, ${formatNumber(r.checkpoint.size, lang)} ${m.meta.events}, ${r.checkpoint.rootHash}`,
        ],
      ] as const)),
  ...(r.merged === undefined
    ? []
    : ([
        [
          m.meta.merged,
          r.merged.length === 0
            ? m.meta.mergedNone
            : r.merged
                .map((o) => `${o.orgName} (${o.orgId}) ${m.meta.mergedBefore} ${formatDate(o.until, lang)}`)
                .join('; '),
        ],
      ] as const)),
]

/** @internal The log position and hash a report reflects, as a header line; null when it names none. */
export const logLine = (r: Report, lang: Lang): readonly [string, string] | null => {
  if (r.log === undefined) return null
  const m = messages[lang].meta
  const position = `${m.logPosition} ${formatNumber(r.log.position, lang)}`
  return [m.log, r.log.hash === '' ? position : `${position}, ${m.logHash} ${r.log.hash}`]
}

const indicatorColumns = (m: Messages): ReadonlyArray<Column> => [
  { label: m.column.indicator, align: 'left' },
  { label: m.column.value, align: 'right' },
]

const attainment = (r: AttainmentReport, m: Messages, lang: Lang): Layout => {
  const a = m.attainment
  const meta = baseMeta(r, m, lang)
  meta.splice(1, 0, [m.meta.period, formatPeriod(r.period, lang)])
  if (r.occupation !== null)
    meta.splice(2, 0, [m.meta.occupation, m.occupation[r.occupation] ?? r.occupation])
  return {
    title: m.title.attainment,
    meta,
    columns: [
      { label: m.column.kind, align: 'left' },
      { label: m.column.orgId, align: 'left' },
      { label: m.column.orgName, align: 'left' },
      { label: m.column.target, align: 'right' },
      { label: m.column.admitted, align: 'right' },
      { label: m.column.rate, align: 'right' },
      { label: m.column.ref, align: 'left' },
    ],
    rows: [
      [
        text(a.total),
        text(r.orgId),
        text(r.orgName),
        count(r.target),
        count(r.admitted),
        attainmentRate(r.rate),
        text(''),
      ],
      ...r.quotas.map((q) => [
        text(a.quota),
        text(q.assignedBy),
        text(q.assignedByName),
        count(q.target),
        count(r.admitted),
        attainmentRate(q.rate),
        text(q.ref ?? ''),
      ]),
      ...r.rows.map((row) => [
        text(r.merged?.some((o) => o.orgId === row.orgId) === true ? a.merged : a.child),
        text(row.orgId),
        text(row.orgName),
        count(row.target),
        count(row.admitted),
        attainmentRate(row.rate),
        text(''),
      ]),
      [text(a.direct), text(r.orgId), text(r.orgName), count(null), count(r.direct), percent(null), text('')],
      [
        text(a.subQuotaTotal),
        text(r.orgId),
        text(r.orgName),
        count(r.subQuotaTotal),
        count(null),
        percent(null),
        text(''),
      ],
    ],
    lists: [],
  }
}

const blankVillages = (r: BlankVillagesReport, m: Messages, lang: Lang): Layout => {
  const b = m.blankVillages
  const before = r.since === undefined ? undefined : r.before
  const meta = baseMeta(r, m, lang)
  if (r.since !== undefined) meta.push([m.meta.since, formatDate(r.since, lang)])
  type Key = 'villages' | 'withOrganization' | 'withoutOrganization' | 'withoutMembers'
  const onDate = (c: VillageCounts | undefined, key: Key): ReadonlyArray<Cell> => [
    count(c?.[key] ?? null),
    key === 'villages' ? text('') : percent(c?.shares[key] ?? null),
  ]
  const countRow = (label: string, key: Key): ReadonlyArray<Cell> =>
    r.since === undefined
      ? [text(label), ...onDate(r, key)]
      : [text(label), ...onDate(before, key), ...onDate(r, key)]
  const changeRow = (label: string, n: number): ReadonlyArray<Cell> => [
    text(label),
    count(null),
    text(''),
    count(n),
    text(''),
  ]
  return {
    title: m.title['blank-villages'],
    meta,
    columns:
      r.since === undefined
        ? [...indicatorColumns(m), { label: m.column.share, align: 'right' }]
        : [
            { label: m.column.indicator, align: 'left' },
            { label: m.column.onDate(formatDate(r.since, lang)), align: 'right' },
            { label: m.column.shareOnDate(formatDate(r.since, lang)), align: 'right' },
            { label: m.column.onDate(formatDate(r.asOf, lang)), align: 'right' },
            { label: m.column.shareOnDate(formatDate(r.asOf, lang)), align: 'right' },
          ],
    rows: [
      countRow(b.villages, 'villages'),
      countRow(b.withOrganization, 'withOrganization'),
      countRow(b.withoutOrganization, 'withoutOrganization'),
      countRow(b.withoutMembers, 'withoutMembers'),
      ...(r.since === undefined
        ? []
        : [
            changeRow(b.clearedCount, r.cleared?.length ?? 0),
            changeRow(b.newlyBlankCount, r.newlyBlank?.length ?? 0),
          ]),
    ],
    lists: [
      { label: b.blankList, items: r.blankVillageIds },
      ...(r.since === undefined
        ? []
        : [
            { label: b.clearedList, items: r.cleared ?? [] },
            { label: b.newlyBlankList, items: r.newlyBlank ?? [] },
          ]),
    ],
  }
}

/** Catalog occupations first, in catalog order, then any other key sorted, `unknown` last. */
const occupationOrder = (keys: ReadonlyArray<string>, m: Messages): ReadonlyArray<string> => {
  const known = Object.keys(m.occupation).filter((k) => k !== 'unknown' && keys.includes(k))
  const other = keys.filter((k) => !(k in m.occupation)).sort()
  return [...known, ...other, ...(keys.includes('unknown') ? ['unknown'] : [])]
}

/** Religions as recorded, sorted, then `none` and `unknown`. */
const religionOrder = (keys: ReadonlyArray<string>): ReadonlyArray<string> => [
  ...keys.filter((k) => k !== 'none' && k !== 'unknown').sort(),
  ...['none', 'unknown'].filter((k) => keys.includes(k)),
]

const roll = (r: RollReport, m: Messages, lang: Lang): Layout => {
  const a = r.admittedInPeriod
  const meta = baseMeta(r, m, lang)
  if (a !== undefined) meta.splice(1, 0, [m.meta.period, formatPeriod(a.period, lang)])
  // With a period, a column of the members admitted in it beside the roll on the date.
  const row = (label: string, onDate: number, admitted: number | null): Cell[] =>
    a === undefined ? [text(label), count(onDate)] : [text(label), count(onDate), count(admitted)]
  const religions = religionOrder([
    ...new Set([...Object.keys(r.byReligion), ...Object.keys(a?.byReligion ?? {})]),
  ])
  return {
    title: m.title.roll,
    meta,
    columns:
      a === undefined
        ? indicatorColumns(m)
        : [
            { label: m.column.indicator, align: 'left' },
            { label: m.roll.onDate, align: 'right' },
            { label: m.roll.admittedInPeriod, align: 'right' },
          ],
    rows: [
      row(m.roll.members, r.members, a?.admitted ?? null),
      row(m.roll.official, r.official, null),
      row(m.roll.probationary, r.probationary, null),
      row(m.roll.female, r.female, a?.female ?? null),
      row(m.roll.ethnicMinority, r.ethnicMinority, a?.ethnicMinority ?? null),
      row(m.roll.under30, r.under30, a?.under30 ?? null),
      ...occupationOrder(Object.keys(r.byOccupation), m).map((k) =>
        row(m.roll.byOccupation(m.occupation[k] ?? k), r.byOccupation[k] ?? 0, a?.byOccupation[k] ?? 0),
      ),
      ...religions.map((k) =>
        row(
          m.roll.byReligion(k === 'none' ? m.roll.noReligion : k === 'unknown' ? m.roll.noProfile : k),
          r.byReligion[k] ?? 0,
          a?.byReligion[k] ?? 0,
        ),
      ),
    ],
    lists: [],
  }
}

const withPeriod = (
  r: FunnelReport | TrainingReport,
  m: Messages,
  lang: Lang,
): Array<readonly [string, string]> => {
  const meta = baseMeta(r, m, lang)
  meta.splice(1, 0, [m.meta.period, formatPeriod(r.period, lang)])
  return meta
}

const funnel = (r: FunnelReport, m: Messages, lang: Lang): Layout => {
  const f = m.funnel
  const step = (x: string): string => (f as unknown as Record<string, string>)[x] ?? x
  return {
    title: m.title.funnel,
    meta: withPeriod(r, m, lang),
    columns: indicatorColumns(m),
    rows: [
      [text(f.nominated), count(r.nominated)],
      [text(f.trained), count(r.trained)],
      [text(f.verified), count(r.verified)],
      [text(f.cellApproved), count(r.cellApproved)],
      [text(f.decided), count(r.decided)],
      [text(f.admitted), count(r.admitted)],
      [text(f.confirmed), count(r.confirmed)],
      [text(f.closed), count(r.closed)],
      [text(f.overdueCount), count(r.overdue.length)],
      [text(f.overdueDecisionCount), count(r.overdueByKind.decision.length)],
      [text(f.overdueCeremonyCount), count(r.overdueByKind.ceremony.length)],
      [text(f.overdueCertificateCount), count(r.overdueByKind.certificate.length)],
      ...r.conversion.flatMap((c) => [
        [text(f.conversion(step(c.from), step(c.to))), percent(c.rate)],
        [text(f.medianDays(step(c.from), step(c.to))), count(c.medianWorkingDays)],
      ]),
    ],
    lists: [
      { label: f.overdueList, items: r.overdue },
      { label: f.overdueDecisionList, items: r.overdueByKind.decision },
      { label: f.overdueCeremonyList, items: r.overdueByKind.ceremony },
      { label: f.overdueCertificateList, items: r.overdueByKind.certificate },
    ],
  }
}

const training = (r: TrainingReport, m: Messages, lang: Lang): Layout => ({
  title: m.title.training,
  meta: withPeriod(r, m, lang),
  columns: indicatorColumns(m),
  rows: [
    [text(m.training.classes), count(r.classes)],
    [text(m.training.trainees), count(r.trainees)],
  ],
  lists: [],
})

const villageHeads = (r: VillageHeadsReport, m: Messages, lang: Lang): Layout => {
  const meta = baseMeta(r, m, lang)
  if (r.targetSetBy !== null)
    meta.push([
      m.villageHeads.targetSetBy,
      r.targetRef === null ? r.targetSetBy : `${r.targetRef} (${r.targetSetBy})`,
    ])
  return {
    title: m.title['village-heads'],
    meta,
    columns: indicatorColumns(m),
    rows: [
      [text(m.villageHeads.villagesWithHead), count(r.villagesWithHead)],
      [text(m.villageHeads.headsWhoAreMembers), count(r.headsWhoAreMembers)],
      [text(m.villageHeads.share), percent(r.share)],
      [text(m.villageHeads.target), percent(r.target)],
      [text(m.villageHeads.met), text(r.met === null ? '—' : r.met ? m.yes : m.no)],
    ],
    lists: [],
  }
}

const coverage = (r: CoverageReport, m: Messages, lang: Lang): Layout => ({
  title: m.title.coverage,
  meta: baseMeta(r, m, lang),
  columns: [...indicatorColumns(m), { label: m.column.share, align: 'right' }],
  rows: [
    [text(m.coverage.units), count(r.units), text('')],
    [text(m.coverage.withOrganization), count(r.withOrganization), percent(r.shares.withOrganization)],
    [
      text(m.coverage.withoutOrganization),
      count(r.withoutOrganization),
      percent(r.shares.withoutOrganization),
    ],
  ],
  lists: [],
})

/** Catalog kinds of unit first, in catalog order, then any other key sorted, `none` last. */
const unitKindOrder = (keys: ReadonlyArray<string>, m: Messages): ReadonlyArray<string> => {
  const known = Object.keys(m.unitKind).filter((k) => k !== 'none' && keys.includes(k))
  const other = keys.filter((k) => !(k in m.unitKind)).sort()
  return [...known, ...other, ...(keys.includes('none') ? ['none'] : [])]
}

const organizations = (r: OrganizationsReport, m: Messages, lang: Lang): Layout => {
  const o = m.organizations
  const formLabel = (f: string): string => m.form[f] ?? f
  const kindLabel = (k: string | null): string => m.unitKind[k ?? 'none'] ?? k ?? ''
  const sums = (rows: OrganizationsReport['rows']): ReadonlyArray<Cell> => [
    count(rows.reduce((a, x) => a + x.cells, 0)),
    count(rows.reduce((a, x) => a + x.members, 0)),
  ]
  return {
    title: m.title.organizations,
    meta: baseMeta(r, m, lang),
    columns: [
      { label: o.label, align: 'left' },
      { label: m.column.orgId, align: 'left' },
      { label: o.form, align: 'left' },
      { label: o.unitKind, align: 'left' },
      { label: o.grassroots, align: 'right' },
      { label: o.cells, align: 'right' },
      { label: o.members, align: 'right' },
    ],
    rows: [
      [
        text(o.total),
        text(r.orgId),
        text(''),
        text(''),
        count(r.grassroots),
        count(r.cells),
        count(r.members),
      ],
      ...(['committee', 'cell'] as const).map((f) => [
        text(o.byForm(formLabel(f))),
        text(''),
        text(''),
        text(''),
        count(r.byForm[f]),
        ...sums(r.rows.filter((x) => x.form === f)),
      ]),
      ...unitKindOrder(Object.keys(r.byUnitKind), m).map((k) => [
        text(o.byUnitKind(kindLabel(k))),
        text(''),
        text(''),
        text(''),
        count(r.byUnitKind[k] ?? 0),
        ...sums(r.rows.filter((x) => (x.unitKind ?? 'none') === k)),
      ]),
      ...r.rows.map((x) => [
        text(x.name),
        text(x.orgId),
        text(formLabel(x.form)),
        text(kindLabel(x.unitKind)),
        count(null),
        count(x.cells),
        count(x.members),
      ]),
    ],
    lists: [],
  }
}

const ratings = (r: RatingsReport, m: Messages, lang: Lang): Layout => {
  const g = m.ratings
  const meta = baseMeta(r, m, lang)
  meta.splice(1, 0, [m.meta.period, formatPeriod(r.period, lang)])
  const label = (x: string): string => m.rating[x] ?? x
  const order = [
    ...Object.keys(m.rating).filter((x) => x in r.byRating),
    ...Object.keys(r.byRating)
      .filter((x) => !(x in m.rating))
      .sort(),
  ]
  return {
    title: m.title.ratings,
    meta,
    columns: [
      { label: g.label, align: 'left' },
      { label: m.column.orgId, align: 'left' },
      { label: g.rating, align: 'left' },
      { label: g.organizations, align: 'right' },
      { label: g.share, align: 'right' },
      { label: g.rate, align: 'right' },
    ],
    rows: [
      [text(g.rated), text(r.orgId), text(''), count(r.rated), text(''), text('')],
      ...order.map((x) => [
        text(label(x)),
        text(''),
        text(''),
        count(r.byRating[x] ?? 0),
        percent(r.shares[x] ?? null),
        text(''),
      ]),
      ...r.rows.map((x) => [
        text(x.name),
        text(x.orgId),
        text(label(x.rating)),
        count(null),
        text(''),
        attainmentRate(x.rate),
      ]),
    ],
    lists: [],
  }
}

/** @internal The layout of a report in a language. */
export const layout = (report: Report, lang: Lang): Layout => {
  const body = reportLayout(report, lang)
  const log = logLine(report, lang)
  return log === null ? body : { ...body, meta: [...body.meta, log], log }
}

const reportLayout = (report: Report, lang: Lang): Layout => {
  const m = messages[lang]
  switch (report.report) {
    case 'attainment':
      return attainment(report, m, lang)
    case 'blank-villages':
      return blankVillages(report, m, lang)
    case 'roll':
      return roll(report, m, lang)
    case 'funnel':
      return funnel(report, m, lang)
    case 'training':
      return training(report, m, lang)
    case 'village-heads':
      return villageHeads(report, m, lang)
    case 'coverage':
      return coverage(report, m, lang)
    case 'organizations':
      return organizations(report, m, lang)
    case 'ratings':
      return ratings(report, m, lang)
  }
}
