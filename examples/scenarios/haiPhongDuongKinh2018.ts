/**
 * Hải Phòng, Dương Kinh district (seed 002, the city's portal, 14/08/2018).
 *
 * Quận ủy Dương Kinh with 41 grassroots organizations (11 grassroots committees: the six wards and
 * five agencies, each with its cells; 30 grassroots cells), 2,555 members on 14/08/2018, five
 * awareness classes for 198 candidates and 179 admissions since the start of the 2015-2020 term.
 */
import { addDays, addMonths, daysBetween } from './internal/dates'
import { attainmentAt, int, organizationsAt, rollAt, trainingAt } from './internal/figures'
import { registerUnit } from './internal/geography'
import { createLog } from './internal/log'
import { slug } from './internal/names'
import { admit, pad, registerExisting, type PeopleStyle } from './internal/people'
import { apportion, createRng } from './internal/prng'
import type { ImportLine, Scenario } from './types'

const P = 'hp18'
/** Thành ủy Hải Phòng. */
const CITY = `${P}-tu`
/** Quận ủy Dương Kinh. */
const DISTRICT = `${P}-duong-kinh`
const REPORT_DATE = '2018-08-14'
/** The 2015-2020 term, as a period: what "since the start of the term" counts. */
const TERM = '2015-2020'
/** The ledger starts after the district's congress; older members come from the paper records. */
const SETUP = '2015-10-01'
const MEMBERS_ON_ROLL = 2555
const ADMITTED = 179
/** Members who died during the term (từ trần): the roll is what is left. */
const DECEASED = 12

const STYLE: PeopleStyle = {
  minorityShare: 0.01,
  minorities: ['Tày', 'Mường', 'Hoa'],
  femaleShare: 0.42,
  occupations: [
    ['public-servant', 35],
    ['private-sector-worker', 15],
    ['armed-forces', 8],
    ['farmer', 7],
    ['other', 35],
  ],
}

const WARDS = [
  'Phường Anh Dũng',
  'Phường Đa Phúc',
  'Phường Hải Thành',
  'Phường Hòa Nghĩa',
  'Phường Hưng Đạo',
  'Phường Tân Thành',
]
const CELLS_PER_WARD = 10

/** The five grassroots committees besides the wards, with their number of cells. */
const AGENCY_COMMITTEES: ReadonlyArray<readonly [string, 'agency' | 'armed-forces', number]> = [
  ['Quân sự quận Dương Kinh', 'armed-forces', 4],
  ['Công an quận Dương Kinh', 'armed-forces', 6],
  ['Cơ quan Chính quyền quận Dương Kinh', 'agency', 8],
  ['Cơ quan Dân - Đảng quận Dương Kinh', 'agency', 5],
  ['Trung tâm Y tế quận Dương Kinh', 'agency', 4],
]

/** The 30 grassroots cells (chi bộ cơ sở): ward schools, district agencies, enterprises. */
const GRASSROOTS_CELLS: ReadonlyArray<readonly ['agency' | 'school' | 'enterprise', string]> = [
  ...WARDS.flatMap((w) => {
    const ward = w.replace('Phường ', '')
    return [
      ['school', `Trường Mầm non ${ward}`],
      ['school', `Trường Tiểu học ${ward}`],
      ['school', `Trường Trung học cơ sở ${ward}`],
    ] as const
  }),
  ['agency', 'Viện Kiểm sát nhân dân quận'],
  ['agency', 'Tòa án nhân dân quận'],
  ['agency', 'Chi cục Thuế quận'],
  ['agency', 'Kho bạc Nhà nước quận'],
  ['agency', 'Chi cục Thi hành án dân sự quận'],
  ['agency', 'Bảo hiểm xã hội quận'],
  ['agency', 'Phòng Giáo dục và Đào tạo quận'],
  ['agency', 'Trung tâm Văn hóa - Thông tin và Thể thao quận'],
  ['agency', 'Ban Quản lý dự án đầu tư xây dựng quận'],
  ['enterprise', 'Doanh nghiệp số 1'],
  ['enterprise', 'Doanh nghiệp số 2'],
  ['enterprise', 'Doanh nghiệp số 3'],
]

/** A unit's name with its district where it needs one: "Chi cục Thuế quận" → "Chi cục Thuế quận Dương Kinh". */
const fullName = (name: string): string =>
  name.endsWith(' quận')
    ? `${name} Dương Kinh`
    : name.startsWith('Doanh nghiệp')
      ? `${name} quận Dương Kinh`
      : name

/** The awareness classes the Quận ủy opened in the term: from, to, trainees, and admissions from each. */
const CLASSES: ReadonlyArray<readonly [string, string, number, number]> = [
  ['2015-11-09', '2015-11-13', 42, 36],
  ['2016-05-09', '2016-05-13', 38, 36],
  ['2016-11-07', '2016-11-11', 40, 36],
  ['2017-05-08', '2017-05-12', 39, 36],
  ['2017-11-06', '2017-11-10', 39, 35],
]

/** Builds the Dương Kinh log. */
const build = (): ReadonlyArray<ImportLine> => {
  const rng = createRng(0x02_2018)
  // The district's paper records are entered from 21/11/2016 (after the Điện Biên scenario's last record,
  // so that the demo log's record clock never runs backwards); later facts are recorded on their day.
  const log = createLog({
    prefix: P,
    actor: `${P}-van-phong-quan-uy`,
    recordedFrom: '2016-11-21T01:00:00.000Z',
  })
  const on = SETUP
  log.add('OrganizationRegistered', {
    orgId: CITY,
    name: 'Đảng bộ thành phố Hải Phòng',
    level: 'province',
    parentId: null,
    on,
  })
  log.add('OrganizationRegistered', {
    orgId: DISTRICT,
    name: 'Đảng bộ quận Dương Kinh',
    level: 'district',
    parentId: CITY,
    on,
  })

  // Where members are held: the cells of the grassroots committees, and the grassroots cells.
  const holders: string[] = []
  const weights: number[] = []
  const committee = (unitName: string, kind: 'commune' | 'agency' | 'armed-forces', cells: number): void => {
    const unitId = `${P}-${slug(unitName)}`
    log.add('UnitRegistered', { unitId, name: unitName, kind, orgId: DISTRICT, on })
    const orgId = `${unitId}-du`
    const lower = `${unitName.charAt(0).toLowerCase()}${unitName.slice(1)}`
    log.add('OrganizationRegistered', {
      orgId,
      name: kind === 'commune' ? `Đảng bộ ${lower}` : `Đảng bộ ${unitName}`,
      level: 'grassroots',
      parentId: DISTRICT,
      unitId,
      on,
    })
    for (let i = 1; i <= cells; i++) {
      const cellId = `${orgId}-cb${pad(i, 2)}`
      log.add('OrganizationRegistered', {
        orgId: cellId,
        name: kind === 'commune' ? `Chi bộ khu dân cư số ${i}` : `Chi bộ số ${i}`,
        level: 'cell',
        parentId: orgId,
        on,
      })
      holders.push(cellId)
      // Residential cells of the wards hold most members (retirees live there).
      weights.push(kind === 'commune' ? 3 : 1)
    }
  }
  for (const ward of WARDS) committee(ward, 'commune', CELLS_PER_WARD)
  for (const [name, kind, cells] of AGENCY_COMMITTEES) committee(name, kind, cells)
  GRASSROOTS_CELLS.forEach(([kind, name], i) => {
    const orgId = registerUnit(log, {
      unitId: `${P}-dv${pad(i + 1, 2)}`,
      name: fullName(name),
      kind,
      orgId: DISTRICT,
      organization: `Chi bộ ${fullName(name)}`,
      on,
    })
    if (orgId !== null) {
      holders.push(orgId)
      weights.push(1)
    }
  })

  // The roll before the term's admissions: 2,555 − 179 + those who died since.
  const existing = MEMBERS_ON_ROLL - ADMITTED + DECEASED
  const perHolder = apportion(existing, weights)
  const existingIds: string[] = []
  holders.forEach((orgId, h) => {
    for (let k = 0; k < (perHolder[h] ?? 0); k++) {
      const personId = `${P}-m${pad(existingIds.length + 1)}`
      existingIds.push(personId)
      registerExisting(log, rng, {
        personId,
        orgId,
        on: addDays(SETUP, 1),
        admittedFrom: '1965-01-01',
        admittedTo: '2014-09-30',
        style: STYLE,
      })
    }
  })
  for (let k = 0; k < DECEASED; k++) {
    const personId = existingIds[Math.floor((k * existingIds.length) / DECEASED) + 7]!
    log.add('MemberLeft', {
      personId,
      reason: 'deceased',
      on: addDays('2016-01-15', Math.floor((k * daysBetween('2016-01-15', '2018-07-31')) / DECEASED)),
    })
  }

  // The term's classes and the admissions that came out of them.
  let persons = 0
  let decisions = 0
  CLASSES.forEach(([from, to, trainees, admitted], c) => {
    const classId = `${P}-lop-${c + 1}`
    log.add('AwarenessClassHeld', {
      classId,
      orgId: DISTRICT,
      from,
      to,
      trainees,
      audience: 'quần chúng ưu tú',
    })
    const first = addDays(to, 45)
    const last = c === CLASSES.length - 1 ? '2018-08-10' : addDays(first, 180)
    for (let k = 0; k < admitted; k++) {
      const personId = `${P}-p${pad(++persons)}`
      const admittedOn = addDays(first, rng.int(0, daysBetween(first, last)))
      admit(log, rng, {
        personId,
        orgId: rng.pick(holders),
        admittedOn,
        decidedBy: DISTRICT,
        decisionNo: `${++decisions}-QĐ/QU`,
        certificateNo: `${pad(persons, 3)}/GCN-TTCT`,
        trainedOn: to,
        classId,
        notBefore: addDays(SETUP, 2),
        style: STYLE,
        ages: [19, 35],
      })
      // Official after 12 months of probation, recognized within the month that follows.
      const confirmedOn = addDays(addMonths(admittedOn, 12), rng.int(7, 25))
      if (confirmedOn <= REPORT_DATE) {
        log.add('MembershipConfirmed', { personId, decisionNo: `${++decisions}-QĐ/QU`, on: confirmedOn })
      }
    }
  })
  return log.finish()
}

const AS_OF = { asOf: REPORT_DATE } as const

/** The Hải Phòng, Dương Kinh scenario (seed 002). */
export const haiPhongDuongKinh2018: Scenario = {
  key: 'haiPhongDuongKinh2018',
  title: 'Hải Phòng, quận Dương Kinh: phát triển đảng viên từ đầu nhiệm kỳ đến 14/08/2018',
  reportDate: REPORT_DATE,
  build,
  reports: [
    {
      name: 'coverage',
      query: { orgId: DISTRICT, ...AS_OF },
      caption: 'Tổ chức cơ sở đảng trực thuộc Quận ủy Dương Kinh',
    },
    {
      name: 'roll',
      query: { orgId: DISTRICT, ...AS_OF },
      caption: 'Đảng viên của Đảng bộ quận Dương Kinh',
    },
    {
      name: 'training',
      query: { orgId: DISTRICT, period: TERM, ...AS_OF },
      caption: 'Lớp bồi dưỡng nhận thức về Đảng từ đầu nhiệm kỳ 2015-2020',
    },
    {
      name: 'attainment',
      query: { orgId: DISTRICT, period: TERM, ...AS_OF },
      caption: 'Kết nạp đảng viên mới từ đầu nhiệm kỳ 2015-2020 (bài báo không nêu chỉ tiêu)',
    },
    {
      name: 'funnel',
      query: { orgId: DISTRICT, period: TERM, ...AS_OF },
      caption: 'Quy trình kết nạp từ đầu nhiệm kỳ: các bước và trường hợp quá hạn',
    },
    {
      name: 'organizations',
      query: { orgId: DISTRICT, ...AS_OF },
      caption: 'Tổ chức cơ sở đảng trực thuộc Quận ủy: đảng bộ cơ sở và chi bộ cơ sở',
    },
  ],
  figures: [
    {
      label:
        'Grassroots organizations: grassroots committees (đảng bộ cơ sở) and grassroots cells (chi bộ cơ sở)',
      expected: '41: 11 grassroots committees, 30 grassroots cells',
      observe: (ctx) => {
        const r = organizationsAt(ctx, 5)
        return `${int(r.grassroots)}: ${r.byForm.committee} grassroots committees, ${r.byForm.cell} grassroots cells`
      },
    },
    {
      label: 'Members on the roll',
      expected: '2.555',
      observe: (ctx) => int(rollAt(ctx, 1).members),
    },
    {
      label: 'Awareness classes since the start of the term (2015-2020)',
      expected: '5 classes, 198 trainees',
      observe: (ctx) => {
        const r = trainingAt(ctx, 2)
        return `${r.classes} classes, ${int(r.trainees)} trainees`
      },
    },
    {
      label: 'Admitted since the start of the term (the article gives no quota)',
      expected: '179',
      observe: (ctx) => int(attainmentAt(ctx, 3).admitted),
    },
  ],
}
