/**
 * Kon Tum (seed 003, Kon Tum TV, 2021).
 *
 * The 16th provincial congress sets a term quota of over 5,000 admissions for 2020-2025 and a target of
 * over 90 % of village heads being members. By 30/06/2021 the province has admitted over 500, over
 * 56 % of its 2021 plan, and has about 29,590 members; Đăk Nhoong commune (Đăk Glei district) has
 * admitted 19 against a quota of 13; Đăk Blà commune holds two term quotas, 20 in its own resolution
 * and 25 in the city's plan; about 78 % of village heads are members.
 */
import { addDays, daysBetween } from './internal/dates'
import { attainmentAt, attainmentText, headsAt, int, pct, quotaBy, rollAt } from './internal/figures'
import { registerCommune, registerUnit, type Commune } from './internal/geography'
import { createLog } from './internal/log'
import { admit, pad, registerExisting, type PeopleStyle } from './internal/people'
import { apportion, createRng, spread } from './internal/prng'
import type { ImportLine, Scenario } from './types'

const P = 'kt21'
/** Tỉnh ủy Kon Tum. */
const PROVINCE = `${P}-tu`
/** Thành ủy Kon Tum (the provincial city). */
const CITY = `${P}-tp-kon-tum`
/** Đảng ủy xã Đăk Nhoong, huyện Đăk Glei. */
const DAK_NHOONG = `${P}-dak-glei-dak-nhoong-du`
/** Đảng ủy xã Đăk Blà, thành phố Kon Tum. */
const DAK_BLA = `${P}-tp-kon-tum-dak-bla-du`
const REPORT_DATE = '2021-06-30'
const SETUP = '2020-06-01'
const CONGRESS = '2020-10-16'
const FIRST_ADMISSION = '2021-01-04'

/** The figures the scenario is built to: "gần 29.590" members, "hơn 500" admitted, "gần 78 %" heads. */
const MEMBERS_ON_ROLL = 29_590
const ADMITTED_2021 = 500
const VILLAGES = 850
const HEADS_WHO_ARE_MEMBERS = 663 // 663 / 850 = 78.00 %
const MEMBERS_PER_VILLAGE = 20
const DAK_NHOONG_ADMITTED = 19
const DAK_BLA_ADMITTED = 6

const STYLE: PeopleStyle = {
  minorityShare: 0.55,
  minorities: ['Xơ Đăng', 'Ba Na', 'Giẻ Triêng', 'Gia Rai', 'Brâu', 'Rơ Măm', 'Hrê'],
  femaleShare: 0.4,
  occupations: [
    ['farmer', 45],
    ['public-servant', 30],
    ['armed-forces', 8],
    ['private-sector-worker', 5],
    ['other', 12],
  ],
}

/** District-level committees and their communes. */
const DISTRICTS: ReadonlyArray<readonly [string, string, string, ReadonlyArray<string>]> = [
  [
    'tp-kon-tum',
    'thành phố Kon Tum',
    'QĐ/ThU',
    [
      'Phường Quyết Thắng',
      'Phường Quang Trung',
      'Phường Thắng Lợi',
      'Phường Thống Nhất',
      'Phường Duy Tân',
      'Phường Lê Lợi',
      'Phường Nguyễn Trãi',
      'Phường Ngô Mây',
      'Phường Trần Hưng Đạo',
      'Phường Trường Chinh',
      'Xã Chư Hreng',
      'Xã Đăk Blà',
      'Xã Đăk Cấm',
      'Xã Đăk Năng',
      'Xã Đăk Rơ Wa',
      'Xã Đoàn Kết',
      'Xã Hòa Bình',
      'Xã Ia Chim',
      'Xã Kroong',
      'Xã Ngọk Bay',
      'Xã Vinh Quang',
    ],
  ],
  [
    'dak-glei',
    'huyện Đăk Glei',
    'QĐ/HU',
    [
      'Thị trấn Đăk Glei',
      'Xã Đăk Blô',
      'Xã Đăk Choong',
      'Xã Đăk Kroong',
      'Xã Đăk Long',
      'Xã Đăk Man',
      'Xã Đăk Môn',
      'Xã Đăk Nhoong',
      'Xã Đăk Pék',
      'Xã Mường Hoong',
      'Xã Ngọc Linh',
      'Xã Xốp',
    ],
  ],
  [
    'ngoc-hoi',
    'huyện Ngọc Hồi',
    'QĐ/HU',
    [
      'Thị trấn Plei Kần',
      'Xã Bờ Y',
      'Xã Sa Loong',
      'Xã Đăk Xú',
      'Xã Đăk Nông',
      'Xã Đăk Ang',
      'Xã Đăk Dục',
      'Xã Đăk Kan',
    ],
  ],
  [
    'dak-to',
    'huyện Đăk Tô',
    'QĐ/HU',
    [
      'Thị trấn Đăk Tô',
      'Xã Diên Bình',
      'Xã Kon Đào',
      'Xã Ngọk Tụ',
      'Xã Pô Kô',
      'Xã Tân Cảnh',
      'Xã Văn Lem',
      'Xã Đăk Rơ Nga',
      'Xã Đăk Trăm',
    ],
  ],
  [
    'tu-mo-rong',
    'huyện Tu Mơ Rông',
    'QĐ/HU',
    [
      'Xã Đăk Hà',
      'Xã Đăk Na',
      'Xã Đăk Rơ Ông',
      'Xã Đăk Sao',
      'Xã Đăk Tờ Kan',
      'Xã Măng Ri',
      'Xã Ngọk Lây',
      'Xã Ngọk Yêu',
      'Xã Tê Xăng',
      'Xã Tu Mơ Rông',
      'Xã Văn Xuôi',
    ],
  ],
  [
    'sa-thay',
    'huyện Sa Thầy',
    'QĐ/HU',
    [
      'Thị trấn Sa Thầy',
      'Xã Hơ Moong',
      'Xã Mô Rai',
      'Xã Rơ Kơi',
      'Xã Sa Bình',
      'Xã Sa Nghĩa',
      'Xã Sa Nhơn',
      'Xã Sa Sơn',
      'Xã Ya Ly',
      'Xã Ya Tăng',
      'Xã Ya Xiêr',
    ],
  ],
  [
    'kon-ray',
    'huyện Kon Rẫy',
    'QĐ/HU',
    [
      'Thị trấn Đăk Rve',
      'Xã Đăk Côi',
      'Xã Đăk Kôi',
      'Xã Đăk Pne',
      'Xã Đăk Ruồng',
      'Xã Đăk Tơ Lung',
      'Xã Tân Lập',
    ],
  ],
  [
    'kon-plong',
    'huyện Kon Plông',
    'QĐ/HU',
    [
      'Thị trấn Măng Đen',
      'Xã Đăk Long',
      'Xã Đăk Nên',
      'Xã Đăk Ring',
      'Xã Đăk Tăng',
      'Xã Hiếu',
      'Xã Măng Bút',
      'Xã Măng Cành',
      'Xã Ngọk Tem',
      'Xã Pờ Ê',
    ],
  ],
  [
    'dak-ha',
    'huyện Đăk Hà',
    'QĐ/HU',
    [
      'Thị trấn Đăk Hà',
      'Xã Đăk HRing',
      'Xã Đăk La',
      'Xã Đăk Long',
      'Xã Đăk Mar',
      'Xã Đăk Ngọk',
      'Xã Đăk Pxi',
      'Xã Đăk Ui',
      'Xã Hà Mòn',
      'Xã Ngọk Réo',
      'Xã Ngọk Wang',
    ],
  ],
  ['ia-hdrai', "huyện Ia H'Drai", 'QĐ/HU', ['Xã Ia Dom', 'Xã Ia Đal', 'Xã Ia Tơi']],
]

/** Agencies of each district with a grassroots organization. */
const DISTRICT_AGENCIES: ReadonlyArray<readonly ['agency' | 'armed-forces', string, string]> = [
  ['agency', 'Cơ quan chính quyền', 'Đảng bộ'],
  ['armed-forces', 'Ban Chỉ huy Quân sự', 'Đảng bộ'],
  ['armed-forces', 'Công an', 'Đảng bộ'],
  ['agency', 'Trung tâm Y tế', 'Chi bộ'],
]

/** Blocs directly under the Tỉnh ủy and how many grassroots organizations each has. */
const BLOCS: ReadonlyArray<
  readonly [string, string, 'agency' | 'enterprise' | 'armed-forces', string, number]
> = [
  ['khoi-cq', 'Đảng bộ Khối các cơ quan tỉnh', 'agency', 'Cơ quan', 20],
  ['khoi-dn', 'Đảng bộ Khối doanh nghiệp tỉnh', 'enterprise', 'Doanh nghiệp', 10],
  ['quan-su', 'Đảng bộ Quân sự tỉnh', 'armed-forces', 'Đơn vị', 8],
  ['cong-an', 'Đảng bộ Công an tỉnh', 'armed-forces', 'Đơn vị', 8],
  ['bien-phong', 'Đảng bộ Bộ đội Biên phòng tỉnh', 'armed-forces', 'Đồn Biên phòng', 6],
]

/** Builds the Kon Tum log. */
const build = (): ReadonlyArray<ImportLine> => {
  const rng = createRng(0x03_2021)
  // The province's records are entered in one batch from 19/07/2021, after the Bạc Liêu scenario's
  // last record: every fact here is backdated, as EVENTS.md allows.
  const log = createLog({
    prefix: P,
    actor: `${P}-ban-to-chuc-tinh-uy`,
    recordedFrom: '2021-07-19T01:00:00.000Z',
  })
  let members = 0
  let persons = 0
  let certificates = 0
  const admissionDate = (): string =>
    addDays(FIRST_ADMISSION, rng.int(0, daysBetween(FIRST_ADMISSION, REPORT_DATE)))

  log.add('OrganizationRegistered', {
    orgId: PROVINCE,
    name: 'Đảng bộ tỉnh Kon Tum',
    level: 'province',
    parentId: null,
    on: SETUP,
  })
  log.add('QuotaAssigned', {
    orgId: PROVINCE,
    period: '2020-2025',
    target: 5000,
    assignedBy: PROVINCE,
    ref: 'NQ Đại hội Đảng bộ tỉnh lần thứ XVI',
    on: CONGRESS,
  })
  log.add('TargetSet', {
    orgId: PROVINCE,
    indicator: 'village-heads-members-share',
    period: '2020-2025',
    value: 0.9,
    ref: 'NQ Đại hội Đảng bộ tỉnh lần thứ XVI',
    on: CONGRESS,
  })
  log.add('QuotaAssigned', {
    orgId: PROVINCE,
    period: '2021',
    target: 890,
    assignedBy: PROVINCE,
    ref: 'Kế hoạch phát triển đảng viên năm 2021 của Tỉnh ủy',
    on: '2021-01-08',
  })

  // Districts, their communes and villages (one cell per village), and their agencies.
  const communeCount = DISTRICTS.reduce((s, [, , , c]) => s + c.length, 0)
  const villagesPer = spread(VILLAGES, communeCount)
  const communes: Array<{ commune: Commune; districtId: string; suffix: string }> = []
  const agencies: Array<{ orgId: string; decidedBy: string; suffix: string }> = []
  for (const [slug, name, suffix, names] of DISTRICTS) {
    const districtId = `${P}-${slug}`
    log.add('OrganizationRegistered', {
      orgId: districtId,
      name: `Đảng bộ ${name}`,
      level: 'district',
      parentId: PROVINCE,
      on: SETUP,
    })
    for (const communeName of names) {
      const commune = registerCommune(log, {
        idBase: districtId,
        name: communeName,
        districtOrgId: districtId,
        villages: villagesPer[communes.length]!,
        hasCell: () => true,
        villageWord: 'Thôn',
        on: SETUP,
      })
      communes.push({ commune, districtId, suffix })
    }
    DISTRICT_AGENCIES.forEach(([kind, label, org], i) => {
      const orgId = registerUnit(log, {
        unitId: `${districtId}-dv${pad(i + 1, 2)}`,
        name: `${label} ${name}`,
        kind,
        orgId: districtId,
        organization: `${org} ${label} ${name}`,
        on: SETUP,
      })
      if (orgId !== null) agencies.push({ orgId, decidedBy: districtId, suffix })
    })
  }
  for (const [slug, name, kind, label, count] of BLOCS) {
    const blocId = `${P}-${slug}`
    log.add('OrganizationRegistered', { orgId: blocId, name, level: 'bloc', parentId: PROVINCE, on: SETUP })
    for (let i = 1; i <= count; i++) {
      const orgId = registerUnit(log, {
        unitId: `${blocId}-dv${pad(i, 2)}`,
        name: `${label} số ${i} (${name})`,
        kind,
        orgId: blocId,
        organization: `Chi bộ ${label.toLowerCase()} số ${i}`,
        on: SETUP,
      })
      if (orgId !== null) agencies.push({ orgId, decidedBy: blocId, suffix: 'QĐ/ĐU' })
    }
  }

  // Quotas of the two communes the article quotes.
  log.add('QuotaAssigned', {
    orgId: DAK_NHOONG,
    period: '2021',
    target: 13,
    assignedBy: `${P}-dak-glei`,
    ref: 'Chỉ tiêu năm 2021 của BTV Huyện ủy Đăk Glei',
    on: '2021-01-15',
  })
  log.add('QuotaAssigned', {
    orgId: DAK_BLA,
    period: '2020-2025',
    target: 20,
    assignedBy: DAK_BLA,
    ref: 'NQ Đại hội Đảng bộ xã Đăk Blà nhiệm kỳ 2020-2025',
    on: '2020-07-10',
  })
  log.add('QuotaAssigned', {
    orgId: DAK_BLA,
    period: '2020-2025',
    target: 25,
    assignedBy: CITY,
    ref: 'Kế hoạch phát triển đảng viên nhiệm kỳ 2020-2025 của Thành ủy Kon Tum',
    on: '2020-11-20',
  })

  // The roll before 2021: members in every village, and in the agencies.
  const existing = MEMBERS_ON_ROLL - ADMITTED_2021
  const inAgencies = apportion(
    existing - VILLAGES * MEMBERS_PER_VILLAGE,
    agencies.map(() => rng.int(2, 8)),
  )
  let village = 0
  for (const { commune } of communes) {
    for (const v of commune.villages) {
      // Village heads: 663 of the 850 are members (the first member of their village), spread evenly.
      const headIsMember =
        Math.floor(((village + 1) * HEADS_WHO_ARE_MEMBERS) / VILLAGES) >
        Math.floor((village * HEADS_WHO_ARE_MEMBERS) / VILLAGES)
      village += 1
      for (let k = 0; k < MEMBERS_PER_VILLAGE; k++) {
        const personId = `${P}-m${pad(++members)}`
        registerExisting(log, rng, {
          personId,
          orgId: v.cellId!,
          villageId: v.id,
          on: addDays(SETUP, 1),
          admittedFrom: '1978-01-01',
          admittedTo: '2019-05-31',
          style: STYLE,
        })
        if (k === 0 && headIsMember) {
          log.add('VillageHeadAppointed', { villageId: v.id, personId, on: addDays(SETUP, rng.int(14, 300)) })
        }
      }
      if (!headIsMember) {
        log.add('VillageHeadAppointed', {
          villageId: v.id,
          personId: `${P}-h${pad(village, 4)}`,
          on: addDays(SETUP, rng.int(14, 300)),
        })
      }
    }
  }
  agencies.forEach(({ orgId }, i) => {
    for (let k = 0; k < (inAgencies[i] ?? 0); k++) {
      registerExisting(log, rng, {
        personId: `${P}-m${pad(++members)}`,
        orgId,
        on: addDays(SETUP, 1),
        admittedFrom: '1978-01-01',
        admittedTo: '2019-05-31',
        style: {
          ...STYLE,
          minorityShare: 0.3,
          occupations: [
            ['public-servant', 70],
            ['armed-forces', 30],
          ],
        },
      })
    }
  })

  // 2021 admissions: Đăk Nhoong's 19 and Đăk Blà's 6 among the province's 500.
  const inCommune = (c: { commune: Commune; districtId: string; suffix: string }): void => {
    const v = rng.pick(c.commune.villages)
    admit(log, rng, {
      personId: `${P}-p${pad(++persons)}`,
      orgId: v.cellId!,
      villageId: v.id,
      admittedOn: admissionDate(),
      decidedBy: c.districtId,
      decisionNo: `${persons}-${c.suffix}`,
      certificateNo: `${pad(++certificates)}/GCN-KT`,
      notBefore: addDays(SETUP, 2),
      style: STYLE,
      ages: [19, 35],
    })
  }
  const byId = (orgId: string) => communes.find((c) => c.commune.committeeId === orgId)!
  for (let k = 0; k < DAK_NHOONG_ADMITTED; k++) inCommune(byId(DAK_NHOONG))
  for (let k = 0; k < DAK_BLA_ADMITTED; k++) inCommune(byId(DAK_BLA))
  const others = communes.filter(
    (c) => c.commune.committeeId !== DAK_NHOONG && c.commune.committeeId !== DAK_BLA,
  )
  const rest = ADMITTED_2021 - DAK_NHOONG_ADMITTED - DAK_BLA_ADMITTED
  const inAgenciesCount = Math.round(rest * 0.3)
  for (let k = 0; k < rest - inAgenciesCount; k++) inCommune(rng.pick(others))
  for (let k = 0; k < inAgenciesCount; k++) {
    const a = rng.pick(agencies)
    admit(log, rng, {
      personId: `${P}-p${pad(++persons)}`,
      orgId: a.orgId,
      admittedOn: admissionDate(),
      decidedBy: a.decidedBy,
      decisionNo: `${persons}-${a.suffix}`,
      certificateNo: `${pad(++certificates)}/GCN-KT`,
      notBefore: addDays(SETUP, 2),
      style: {
        ...STYLE,
        minorityShare: 0.3,
        occupations: [
          ['public-servant', 70],
          ['armed-forces', 30],
        ],
      },
      ages: [20, 35],
    })
  }
  return log.finish()
}

const AS_OF = { asOf: REPORT_DATE } as const

/** The Kon Tum scenario (seed 003). */
export const konTum2021: Scenario = {
  key: 'konTum2021',
  title: 'Kon Tum: phát triển đảng viên nhiệm kỳ 2020-2025, kết quả đến 30/06/2021',
  reportDate: REPORT_DATE,
  build,
  reports: [
    {
      name: 'attainment',
      query: { orgId: PROVINCE, period: '2020-2025', ...AS_OF },
      caption:
        'Chỉ tiêu nhiệm kỳ 2020-2025 của Nghị quyết Đại hội XVI (ví dụ chỉ ghi các lần kết nạp năm 2021)',
    },
    {
      name: 'attainment',
      query: { orgId: PROVINCE, period: '2021', ...AS_OF },
      caption: 'Kết nạp đảng viên từ đầu năm 2021 đến 30/06/2021 so với kế hoạch năm 2021',
    },
    {
      name: 'roll',
      query: { orgId: PROVINCE, ...AS_OF },
      caption: 'Tổng số đảng viên của Đảng bộ tỉnh',
    },
    {
      name: 'attainment',
      query: { orgId: DAK_NHOONG, period: '2021', ...AS_OF },
      caption: 'Xã Đăk Nhoong (huyện Đăk Glei): kết nạp năm 2021 so với chỉ tiêu BTV Huyện ủy giao',
    },
    {
      name: 'attainment',
      query: { orgId: DAK_BLA, period: '2020-2025', ...AS_OF },
      caption: 'Xã Đăk Blà: chỉ tiêu nhiệm kỳ theo Nghị quyết Đại hội xã và theo kế hoạch của Thành ủy',
    },
    {
      name: 'village-heads',
      query: { orgId: PROVINCE, ...AS_OF },
      caption: 'Thôn trưởng, tổ trưởng tổ dân phố là đảng viên',
    },
  ],
  figures: [
    {
      label: 'Term quota 2020-2025 of the province (the article: "trên 5.000", over 5,000)',
      expected: '5.000',
      observe: (ctx) => int(attainmentAt(ctx, 0).target ?? 0),
    },
    {
      label:
        '2021 plan of the province, and admitted to 30/06/2021 (the article: "hơn 500", "hơn 56 %"; it does not give the plan of 890)',
      expected: '500 / 890 = 56,18 %',
      observe: (ctx) => attainmentText(attainmentAt(ctx, 1)),
    },
    {
      label: 'Members on the roll on 30/06/2021 (the article: "gần 29.590", about)',
      expected: '29.590',
      observe: (ctx) => int(rollAt(ctx, 2).members),
    },
    {
      label:
        'Đăk Nhoong commune (Đăk Glei district), 2021: admitted against its quota ("vượt"; the article: 146 %)',
      expected: '19 / 13 = 146,15 %',
      observe: (ctx) => attainmentText(attainmentAt(ctx, 3)),
    },
    {
      label:
        "Đăk Blà commune, term quota of its own resolution and of the city's plan; the attainment uses the city's",
      expected: '20 and 25; target 25',
      observe: (ctx) => {
        const r = attainmentAt(ctx, 4)
        return `${quotaBy(r, DAK_BLA)} and ${quotaBy(r, CITY)}; target ${int(r.target ?? 0)}`
      },
    },
    {
      label:
        'Village heads who are members (the article: "gần 78 %", about); target (the congress: "trên 90 %")',
      expected: '663 / 850 = 78,00 %; target 90,00 %',
      observe: (ctx) => {
        const r = headsAt(ctx, 5)
        return `${int(r.headsWhoAreMembers)} / ${int(r.villagesWithHead)} = ${pct(r.share)}; target ${pct(r.target)}`
      },
    },
  ],
}
