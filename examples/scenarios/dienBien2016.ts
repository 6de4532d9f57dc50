/**
 * Điện Biên, Resolution 04-NQ/TU of 23/05/2016 (seed 001, Điện Biên TV, 17/11/2016).
 *
 * The province (Đảng bộ tỉnh Điện Biên) with its ten district-level committees and five blocs, 821
 * grassroots units (638 with a grassroots party organization), 1,813 villages (1,417 covered by a
 * cell), 95 villages without any member on the day of the resolution, 24 of them cleared by
 * 17/11/2016 (Mường Nhé: 38, 20 cleared), and 1,873 admissions in 2016 against a quota of 2,000.
 */
import { addDays, daysBetween } from './internal/dates'
import { attainmentAt, attainmentText, blankAt, coverageAt, int, pct } from './internal/figures'
import { registerCommune, registerUnit, type Commune, type Village } from './internal/geography'
import { createLog } from './internal/log'
import { admit, pad, registerExisting, type PeopleStyle } from './internal/people'
import { createRng } from './internal/prng'
import type { ImportLine, Scenario } from './types'

const P = 'db16'
/** Tỉnh ủy Điện Biên. */
const PROVINCE = `${P}-tu`
/** Huyện ủy Mường Nhé. */
const MUONG_NHE = `${P}-muong-nhe`
const REPORT_DATE = '2016-11-17'
/** Resolution 04-NQ/TU: the date blank villages are compared with. */
const RESOLUTION_DATE = '2016-05-23'
/** The hierarchy and geography as they stood when the ledger was set up. */
const SETUP = '2015-06-01'
const FIRST_ADMISSION = '2016-01-11'

const STYLE: PeopleStyle = {
  minorityShare: 0.8,
  minorities: ['Thái', "H'Mông", 'Khơ Mú', 'Dao', 'Hà Nhì', 'Lào', 'Cống', 'Si La'],
  femaleShare: 0.38,
  occupations: [
    ['farmer', 60],
    ['public-servant', 20],
    ['armed-forces', 5],
    ['private-sector-worker', 5],
    ['other', 10],
  ],
}

interface District {
  readonly slug: string
  /** "huyện Mường Nhé": the committee is its Huyện ủy / Thành ủy / Thị ủy. */
  readonly name: string
  readonly committee: string
  readonly decisionSuffix: string
  readonly communes: ReadonlyArray<string>
  readonly villages: number
  /** Villages no cell covers. */
  readonly noCell: number
  /** Villages with no member on 23/05/2016, all among those without a cell. */
  readonly blank: number
  /** Of those, cleared by 17/11/2016 by a new member admitted there, and by a member moving in. */
  readonly clearedByAdmission: number
  readonly clearedByMove: number
  /** Grassroots units with a grassroots organization (communes included), and without. */
  readonly unitsWithOrg: number
  readonly unitsWithout: number
  readonly quota: number
  readonly admitted: number
  /** Share of admissions in agencies rather than communes. */
  readonly agencyShare: number
}

// Villages 1,813, cells 1,417, blank 95 → 71; units 821 = 638 + 183; quotas and admissions by district.
const DISTRICTS: ReadonlyArray<District> = [
  {
    slug: 'tp-dien-bien-phu',
    name: 'thành phố Điện Biên Phủ',
    committee: 'Thành ủy Điện Biên Phủ',
    decisionSuffix: 'QĐ/ThU',
    communes: [
      'Phường Him Lam',
      'Phường Mường Thanh',
      'Phường Noong Bua',
      'Phường Tân Thanh',
      'Phường Thanh Bình',
      'Phường Thanh Trường',
      'Phường Nam Thanh',
      'Xã Thanh Minh',
      'Xã Tà Lèng',
    ],
    villages: 160,
    noCell: 4,
    blank: 0,
    clearedByAdmission: 0,
    clearedByMove: 0,
    unitsWithOrg: 49,
    unitsWithout: 15,
    quota: 200,
    admitted: 190,
    agencyShare: 0.3,
  },
  {
    slug: 'tx-muong-lay',
    name: 'thị xã Mường Lay',
    committee: 'Thị ủy Mường Lay',
    decisionSuffix: 'QĐ/TU',
    communes: ['Phường Na Lay', 'Phường Sông Đà', 'Xã Lay Nưa'],
    villages: 40,
    noCell: 2,
    blank: 0,
    clearedByAdmission: 0,
    clearedByMove: 0,
    unitsWithOrg: 13,
    unitsWithout: 5,
    quota: 40,
    admitted: 38,
    agencyShare: 0.2,
  },
  {
    slug: 'dien-bien',
    name: 'huyện Điện Biên',
    committee: 'Huyện ủy Điện Biên',
    decisionSuffix: 'QĐ/HU',
    communes: [
      'Xã Mường Pồn',
      'Xã Thanh Nưa',
      'Xã Hua Thanh',
      'Xã Mường Phăng',
      'Xã Thanh Luông',
      'Xã Thanh Hưng',
      'Xã Thanh Xương',
      'Xã Thanh Chăn',
      'Xã Pá Khoang',
      'Xã Thanh An',
      'Xã Thanh Yên',
      'Xã Noong Luống',
      'Xã Noọng Hẹt',
      'Xã Sam Mứn',
      'Xã Núa Ngam',
      'Xã Na Ư',
      'Xã Mường Nhà',
      'Xã Mường Lói',
      'Xã Pom Lót',
      'Xã Hẹ Muông',
      'Xã Na Tông',
      'Xã Phu Luông',
      'Xã Nà Nhạn',
      'Xã Nà Tấu',
    ],
    villages: 400,
    noCell: 50,
    blank: 5,
    clearedByAdmission: 1,
    clearedByMove: 0,
    unitsWithOrg: 55,
    unitsWithout: 20,
    quota: 300,
    admitted: 285,
    agencyShare: 0.15,
  },
  {
    slug: 'dien-bien-dong',
    name: 'huyện Điện Biên Đông',
    committee: 'Huyện ủy Điện Biên Đông',
    decisionSuffix: 'QĐ/HU',
    communes: [
      'Thị trấn Điện Biên Đông',
      'Xã Chiềng Sơ',
      'Xã Háng Lìa',
      'Xã Keo Lôm',
      'Xã Luân Giói',
      'Xã Mường Luân',
      'Xã Na Son',
      'Xã Nong U',
      'Xã Phì Nhừ',
      'Xã Phình Giàng',
      'Xã Pú Hồng',
      'Xã Pú Nhi',
      'Xã Tìa Dình',
      'Xã Xa Dung',
    ],
    villages: 208,
    noCell: 48,
    blank: 10,
    clearedByAdmission: 0,
    clearedByMove: 1,
    unitsWithOrg: 34,
    unitsWithout: 15,
    quota: 160,
    admitted: 150,
    agencyShare: 0.15,
  },
  {
    slug: 'muong-ang',
    name: 'huyện Mường Ảng',
    committee: 'Huyện ủy Mường Ảng',
    decisionSuffix: 'QĐ/HU',
    communes: [
      'Thị trấn Mường Ảng',
      'Xã Ẳng Cang',
      'Xã Ẳng Nưa',
      'Xã Ẳng Tở',
      'Xã Búng Lao',
      'Xã Mường Đăng',
      'Xã Mường Lạn',
      'Xã Nặm Lịch',
      'Xã Ngối Cáy',
      'Xã Xuân Lao',
    ],
    villages: 120,
    noCell: 20,
    blank: 3,
    clearedByAdmission: 0,
    clearedByMove: 0,
    unitsWithOrg: 28,
    unitsWithout: 12,
    quota: 120,
    admitted: 115,
    agencyShare: 0.15,
  },
  {
    slug: 'tuan-giao',
    name: 'huyện Tuần Giáo',
    committee: 'Huyện ủy Tuần Giáo',
    decisionSuffix: 'QĐ/HU',
    communes: [
      'Thị trấn Tuần Giáo',
      'Xã Chiềng Đông',
      'Xã Chiềng Sinh',
      'Xã Mùn Chung',
      'Xã Mường Khong',
      'Xã Mường Mùn',
      'Xã Mường Thín',
      'Xã Nà Sáy',
      'Xã Nà Tòng',
      'Xã Phình Sáng',
      'Xã Pú Nhung',
      'Xã Pú Xi',
      'Xã Quài Cang',
      'Xã Quài Nưa',
      'Xã Quài Tở',
      'Xã Rạng Đông',
      'Xã Ta Ma',
      'Xã Tênh Phông',
      'Xã Tỏa Tình',
    ],
    villages: 270,
    noCell: 50,
    blank: 8,
    clearedByAdmission: 1,
    clearedByMove: 0,
    unitsWithOrg: 44,
    unitsWithout: 20,
    quota: 220,
    admitted: 205,
    agencyShare: 0.15,
  },
  {
    slug: 'tua-chua',
    name: 'huyện Tủa Chùa',
    committee: 'Huyện ủy Tủa Chùa',
    decisionSuffix: 'QĐ/HU',
    communes: [
      'Thị trấn Tủa Chùa',
      'Xã Huổi Só',
      'Xã Lao Xả Phình',
      'Xã Mường Báng',
      'Xã Mường Đun',
      'Xã Sín Chải',
      'Xã Sính Phình',
      'Xã Tả Phìn',
      'Xã Tả Sìn Thàng',
      'Xã Trung Thu',
      'Xã Tủa Thàng',
      'Xã Xá Nhè',
    ],
    villages: 130,
    noCell: 30,
    blank: 5,
    clearedByAdmission: 0,
    clearedByMove: 0,
    unitsWithOrg: 30,
    unitsWithout: 15,
    quota: 130,
    admitted: 120,
    agencyShare: 0.15,
  },
  {
    slug: 'muong-cha',
    name: 'huyện Mường Chà',
    committee: 'Huyện ủy Mường Chà',
    decisionSuffix: 'QĐ/HU',
    communes: [
      'Thị trấn Mường Chà',
      'Xã Huổi Lèng',
      'Xã Huổi Mí',
      'Xã Hừa Ngài',
      'Xã Ma Thì Hồ',
      'Xã Mường Mươn',
      'Xã Mường Tùng',
      'Xã Na Sang',
      'Xã Nậm Nèn',
      'Xã Pa Ham',
      'Xã Sa Lông',
      'Xã Sá Tổng',
    ],
    villages: 145,
    noCell: 45,
    blank: 8,
    clearedByAdmission: 1,
    clearedByMove: 0,
    unitsWithOrg: 30,
    unitsWithout: 15,
    quota: 140,
    admitted: 125,
    agencyShare: 0.15,
  },
  {
    slug: 'muong-nhe',
    name: 'huyện Mường Nhé',
    committee: 'Huyện ủy Mường Nhé',
    decisionSuffix: 'QĐ/HU',
    communes: [
      'Xã Sín Thầu',
      'Xã Sen Thượng',
      'Xã Chung Chải',
      'Xã Leng Su Sìn',
      'Xã Mường Nhé',
      'Xã Nậm Vì',
      'Xã Pá Mỳ',
      'Xã Mường Toong',
      'Xã Huổi Lếch',
      'Xã Nậm Kè',
      'Xã Quảng Lâm',
    ],
    villages: 140,
    noCell: 60,
    blank: 38,
    clearedByAdmission: 15,
    clearedByMove: 5,
    unitsWithOrg: 26,
    unitsWithout: 18,
    quota: 154,
    admitted: 112,
    // "112/154 đảng viên mới ở các đảng bộ xã": all in the communes.
    agencyShare: 0,
  },
  {
    slug: 'nam-po',
    name: 'huyện Nậm Pồ',
    committee: 'Huyện ủy Nậm Pồ',
    decisionSuffix: 'QĐ/HU',
    communes: [
      'Xã Chà Cang',
      'Xã Chà Nưa',
      'Xã Chà Tở',
      'Xã Na Cô Sa',
      'Xã Nà Bủng',
      'Xã Nà Hỳ',
      'Xã Nà Khoa',
      'Xã Nậm Chua',
      'Xã Nậm Khăn',
      'Xã Nậm Nhừ',
      'Xã Nậm Tin',
      'Xã Pa Tần',
      'Xã Phìn Hồ',
      'Xã Si Pa Phìn',
      'Xã Vàng Đán',
    ],
    villages: 200,
    noCell: 87,
    blank: 18,
    clearedByAdmission: 0,
    clearedByMove: 0,
    unitsWithOrg: 31,
    unitsWithout: 20,
    quota: 160,
    admitted: 140,
    agencyShare: 0.15,
  },
]

interface Bloc {
  readonly slug: string
  readonly name: string
  readonly unitKind: 'agency' | 'enterprise' | 'armed-forces'
  readonly unitName: string
  readonly unitsWithOrg: number
  readonly unitsWithout: number
  readonly quota: number
  readonly admitted: number
}

const BLOCS: ReadonlyArray<Bloc> = [
  {
    slug: 'khoi-cq',
    name: 'Đảng bộ Khối các cơ quan tỉnh',
    unitKind: 'agency',
    unitName: 'Cơ quan',
    unitsWithOrg: 70,
    unitsWithout: 10,
    quota: 100,
    admitted: 100,
  },
  {
    slug: 'khoi-dn',
    name: 'Đảng bộ Khối doanh nghiệp tỉnh',
    unitKind: 'enterprise',
    unitName: 'Doanh nghiệp',
    unitsWithOrg: 60,
    unitsWithout: 18,
    quota: 60,
    admitted: 50,
  },
  {
    slug: 'quan-su',
    name: 'Đảng bộ Quân sự tỉnh',
    unitKind: 'armed-forces',
    unitName: 'Đơn vị',
    unitsWithOrg: 70,
    unitsWithout: 0,
    quota: 70,
    admitted: 75,
  },
  {
    slug: 'cong-an',
    name: 'Đảng bộ Công an tỉnh',
    unitKind: 'armed-forces',
    unitName: 'Đơn vị',
    unitsWithOrg: 48,
    unitsWithout: 0,
    quota: 80,
    admitted: 85,
  },
  {
    slug: 'bien-phong',
    name: 'Đảng bộ Bộ đội Biên phòng tỉnh',
    unitKind: 'armed-forces',
    unitName: 'Đồn Biên phòng',
    unitsWithOrg: 50,
    unitsWithout: 0,
    quota: 66,
    admitted: 83,
  },
]

/** Agencies and schools of a district, in the order they are registered. */
const DISTRICT_UNITS: ReadonlyArray<readonly ['agency' | 'school' | 'armed-forces' | 'enterprise', string]> =
  [
    ['agency', 'Cơ quan Ủy ban nhân dân'],
    ['armed-forces', 'Ban Chỉ huy Quân sự'],
    ['armed-forces', 'Công an'],
    ['agency', 'Trung tâm Y tế'],
    ['agency', 'Kho bạc Nhà nước'],
    ['agency', 'Chi cục Thuế'],
    ['agency', 'Bảo hiểm xã hội'],
    ['agency', 'Hạt Kiểm lâm'],
    ['school', 'Trường Phổ thông dân tộc nội trú'],
  ]

/**
 * Villages of a district, in commune order: which have a cell, which are blank on the resolution's
 * date, and which of those get cleared. No-cell villages are spread round-robin over the communes
 * (each keeps at least one cell); blank villages are taken among them the same way.
 */
const villagePlan = (d: District): { counts: number[]; noCell: Set<number>[]; blank: Set<number>[] } => {
  const n = d.communes.length
  const counts = Array.from(
    { length: n },
    (_, i) => Math.floor(d.villages / n) + (i < d.villages % n ? 1 : 0),
  )
  const noCell = counts.map(() => new Set<number>())
  const blank = counts.map(() => new Set<number>())
  const roundRobin = (total: number, room: (c: number) => boolean, take: (c: number) => void): void => {
    let left = total
    for (let c = 0; left > 0; c = (c + 1) % n) {
      if (room(c)) {
        take(c)
        left -= 1
      }
    }
  }
  // Village i of commune c lacks a cell when it is among the last noCell[c] villages.
  roundRobin(
    d.noCell,
    (c) => noCell[c]!.size < counts[c]! - 1,
    (c) => noCell[c]!.add(counts[c]! - 1 - noCell[c]!.size),
  )
  roundRobin(
    d.blank,
    (c) => blank[c]!.size < noCell[c]!.size,
    (c) => blank[c]!.add(counts[c]! - 1 - blank[c]!.size),
  )
  return { counts, noCell, blank }
}

/** Builds the Điện Biên log. */
const build = (): ReadonlyArray<ImportLine> => {
  const rng = createRng(0x04_2016)
  const log = createLog({ prefix: P, actor: `${P}-ban-to-chuc`, recordedFrom: '2015-06-01T01:00:00.000Z' })
  let persons = 0
  let members = 0
  let certificates = 0
  const decisions = new Map<string, number>()
  const decisionNo = (orgId: string, suffix: string): string => {
    const n = (decisions.get(orgId) ?? 0) + 1
    decisions.set(orgId, n)
    return `${n}-${suffix}`
  }
  const admissionDate = (from: string): string => addDays(from, rng.int(0, daysBetween(from, REPORT_DATE)))

  log.add('OrganizationRegistered', {
    orgId: PROVINCE,
    name: 'Đảng bộ tỉnh Điện Biên',
    level: 'province',
    parentId: null,
    on: SETUP,
  })
  log.add('QuotaAssigned', {
    orgId: PROVINCE,
    period: '2016',
    target: 2000,
    assignedBy: PROVINCE,
    ref: 'NQ 04-NQ/TU',
    on: RESOLUTION_DATE,
  })

  for (const d of DISTRICTS) {
    const districtId = `${P}-${d.slug}`
    log.add('OrganizationRegistered', {
      orgId: districtId,
      name: `Đảng bộ ${d.name}`,
      level: 'district',
      parentId: PROVINCE,
      on: SETUP,
    })
    log.add('QuotaAssigned', {
      orgId: districtId,
      period: '2016',
      target: d.quota,
      assignedBy: PROVINCE,
      ref: 'KH thực hiện NQ 04-NQ/TU',
      on: addDays(RESOLUTION_DATE, 7),
    })
    const plan = villagePlan(d)
    const communes: Commune[] = d.communes.map((name, c) =>
      registerCommune(log, {
        idBase: districtId,
        name,
        districtOrgId: districtId,
        villages: plan.counts[c]!,
        hasCell: (i) => !plan.noCell[c]!.has(i),
        ...(name === 'Xã Sín Thầu' ? { knownVillageNames: ['Bản Tả Kố Khừ'] } : {}),
        on: SETUP,
      }),
    )
    const agencies: string[] = []
    const others = d.unitsWithOrg - d.communes.length
    for (let i = 0; i < others + d.unitsWithout; i++) {
      const [kind, label] =
        i < DISTRICT_UNITS.length
          ? DISTRICT_UNITS[i]!
          : i % 3 === 0
            ? (['school', `Trường Trung học cơ sở số ${i}`] as const)
            : i % 3 === 1
              ? (['school', `Trường Tiểu học số ${i}`] as const)
              : (['school', `Trường Mầm non số ${i}`] as const)
      const name = `${label} ${d.name}`
      const orgId = registerUnit(log, {
        unitId: `${districtId}-dv${pad(i + 1, 2)}`,
        name,
        kind,
        orgId: districtId,
        organization: i < others ? `Chi bộ ${name}` : null,
        on: SETUP,
      })
      if (orgId !== null) agencies.push(orgId)
    }

    // Members already on the roll: one in every village that is not blank on the resolution's date.
    const residents: Array<{ village: Village; commune: Commune }> = []
    const blanks: Array<{ village: Village; commune: Commune }> = []
    communes.forEach((commune, c) =>
      commune.villages.forEach((village, i) => {
        if (plan.blank[c]!.has(i)) {
          blanks.push({ village, commune })
          return
        }
        residents.push({ village, commune })
        registerExisting(log, rng, {
          personId: `${P}-m${pad(++members)}`,
          orgId: village.cellId ?? commune.committeeId,
          villageId: village.id,
          on: addDays(SETUP, 1),
          admittedFrom: '1976-01-01',
          admittedTo: '2014-12-31',
          style: STYLE,
        })
      }),
    )

    // A cell of the commune for someone living in a village no cell covers.
    const cellFor = (commune: Commune, village: Village): string =>
      village.cellId ?? rng.pick(commune.villages.filter((v) => v.cellId !== null)).cellId!

    const admitInCommune = (target: { village: Village; commune: Commune }, admittedOn: string): void => {
      admit(log, rng, {
        personId: `${P}-p${pad(++persons)}`,
        orgId: cellFor(target.commune, target.village),
        villageId: target.village.id,
        admittedOn,
        decidedBy: districtId,
        decisionNo: decisionNo(districtId, d.decisionSuffix),
        certificateNo: `${pad(++certificates)}/GCN-ĐB`,
        notBefore: addDays(SETUP, 2),
        style: STYLE,
      })
    }

    // Blank villages cleared after the resolution: a new member admitted there, or a member moving in.
    const cleared = blanks.slice(0, d.clearedByAdmission + d.clearedByMove)
    cleared.forEach((target, k) => {
      const on = addDays(RESOLUTION_DATE, 1 + rng.int(0, daysBetween(RESOLUTION_DATE, REPORT_DATE) - 2))
      if (k < d.clearedByAdmission) {
        admitInCommune(target, on)
        return
      }
      const home = rng.pick(target.commune.villages.filter((v) => v.cellId !== null))
      const personId = `${P}-m${pad(++members)}`
      registerExisting(log, rng, {
        personId,
        orgId: home.cellId!,
        villageId: home.id,
        on: addDays(SETUP, 1),
        admittedFrom: '1990-01-01',
        admittedTo: '2014-12-31',
        style: STYLE,
      })
      log.add('MemberMoved', { personId, villageId: target.village.id, on })
    })

    const inCommunes = d.admitted - d.clearedByAdmission - Math.round(d.admitted * d.agencyShare)
    for (let i = 0; i < inCommunes; i++) admitInCommune(rng.pick(residents), admissionDate(FIRST_ADMISSION))
    for (let i = d.clearedByAdmission + inCommunes; i < d.admitted; i++) {
      admit(log, rng, {
        personId: `${P}-p${pad(++persons)}`,
        orgId: rng.pick(agencies),
        admittedOn: admissionDate(FIRST_ADMISSION),
        decidedBy: districtId,
        decisionNo: decisionNo(districtId, d.decisionSuffix),
        certificateNo: `${pad(++certificates)}/GCN-ĐB`,
        notBefore: addDays(SETUP, 2),
        style: {
          ...STYLE,
          occupations: [
            ['public-servant', 80],
            ['armed-forces', 20],
          ],
        },
      })
    }
  }

  for (const b of BLOCS) {
    const blocId = `${P}-${b.slug}`
    log.add('OrganizationRegistered', {
      orgId: blocId,
      name: b.name,
      level: 'bloc',
      parentId: PROVINCE,
      on: SETUP,
    })
    log.add('QuotaAssigned', {
      orgId: blocId,
      period: '2016',
      target: b.quota,
      assignedBy: PROVINCE,
      ref: 'KH thực hiện NQ 04-NQ/TU',
      on: addDays(RESOLUTION_DATE, 7),
    })
    const orgs: string[] = []
    for (let i = 0; i < b.unitsWithOrg + b.unitsWithout; i++) {
      const name = `${b.unitName} số ${i + 1} (${b.name})`
      const orgId = registerUnit(log, {
        unitId: `${blocId}-dv${pad(i + 1, 2)}`,
        name,
        kind: b.unitKind,
        orgId: blocId,
        organization: i < b.unitsWithOrg ? `Chi bộ ${b.unitName.toLowerCase()} số ${i + 1}` : null,
        on: SETUP,
      })
      if (orgId !== null) orgs.push(orgId)
    }
    for (let i = 0; i < b.admitted; i++) {
      admit(log, rng, {
        personId: `${P}-p${pad(++persons)}`,
        orgId: rng.pick(orgs),
        admittedOn: admissionDate(FIRST_ADMISSION),
        decidedBy: blocId,
        decisionNo: decisionNo(blocId, 'QĐ/ĐU'),
        certificateNo: `${pad(++certificates)}/GCN-ĐB`,
        notBefore: addDays(SETUP, 2),
        style: {
          ...STYLE,
          minorityShare: 0.45,
          occupations: [[b.unitKind === 'armed-forces' ? 'armed-forces' : 'public-servant', 1]],
        },
      })
    }
  }
  return log.finish()
}

const AS_OF = { asOf: REPORT_DATE } as const

/** The Điện Biên scenario (seed 001). */
export const dienBien2016: Scenario = {
  key: 'dienBien2016',
  title: 'Điện Biên: Nghị quyết 04-NQ/TU, kết quả đến 17/11/2016',
  reportDate: REPORT_DATE,
  build,
  reports: [
    {
      name: 'attainment',
      query: { orgId: PROVINCE, period: '2016', ...AS_OF },
      caption: 'Kết nạp đảng viên năm 2016 so với chỉ tiêu Nghị quyết Đại hội XIII và Nghị quyết 04-NQ/TU',
    },
    {
      name: 'coverage',
      query: { orgId: PROVINCE, ...AS_OF },
      caption: 'Đơn vị cơ sở đã có và chưa có tổ chức cơ sở đảng',
    },
    {
      name: 'blank-villages',
      query: { orgId: PROVINCE, since: RESOLUTION_DATE, ...AS_OF },
      caption:
        'Thôn, bản chưa có tổ chức đảng và thôn, bản “trắng” đảng viên so với ngày ban hành Nghị quyết 04',
    },
    {
      name: 'attainment',
      query: { orgId: MUONG_NHE, period: '2016', ...AS_OF },
      caption: 'Huyện Mường Nhé: kết nạp đảng viên năm 2016 so với chỉ tiêu',
    },
    {
      name: 'blank-villages',
      query: { orgId: MUONG_NHE, since: RESOLUTION_DATE, ...AS_OF },
      caption: 'Huyện Mường Nhé: bản “trắng” đảng viên so với ngày ban hành Nghị quyết 04',
    },
  ],
  figures: [
    {
      label: 'Yearly admissions quota of the province, 2016 (Resolution of the 13th Congress; NQ 04-NQ/TU)',
      expected: '2.000',
      observe: (ctx) => int(attainmentAt(ctx, 0).target ?? 0),
    },
    {
      label: 'Admitted in 2016 up to 17/11/2016, against the quota',
      expected: '1.873 / 2.000 = 93,65 %',
      observe: (ctx) => attainmentText(attainmentAt(ctx, 0)),
    },
    {
      label: 'Mường Nhé district: admitted in 2016 against its quota (the article: "112/154")',
      expected: '112 / 154 = 72,73 %',
      observe: (ctx) => attainmentText(attainmentAt(ctx, 3)),
    },
    {
      label: 'Grassroots units (đơn vị cơ sở)',
      expected: '821',
      observe: (ctx) => int(coverageAt(ctx, 1).units),
    },
    {
      label: 'Grassroots units with a grassroots party organization',
      expected: '638 (77,71 %)',
      observe: (ctx) => {
        const r = coverageAt(ctx, 1)
        return `${int(r.withOrganization)} (${pct(r.shares.withOrganization)})`
      },
    },
    {
      label: 'Grassroots units without one (the article writes 22,28 %; 183 ÷ 821 = 22,29 %)',
      expected: '183 (22,29 %)',
      observe: (ctx) => {
        const r = coverageAt(ctx, 1)
        return `${int(r.withoutOrganization)} (${pct(r.shares.withoutOrganization)})`
      },
    },
    {
      label: 'Villages (thôn, bản, tổ dân phố)',
      expected: '1.813',
      observe: (ctx) => int(blankAt(ctx, 2).villages),
    },
    {
      label: 'Villages with a party organization',
      expected: '1.417',
      observe: (ctx) => int(blankAt(ctx, 2).withOrganization),
    },
    {
      label: 'Villages without a party organization',
      expected: '396 (21,84 %)',
      observe: (ctx) => {
        const r = blankAt(ctx, 2)
        return `${int(r.withoutOrganization)} (${pct(r.shares.withoutOrganization)})`
      },
    },
    {
      label: 'Blank villages on 23/05/2016 and on 17/11/2016, cleared in between',
      expected: '95 → 71: 24 cleared',
      observe: (ctx) => {
        const r = blankAt(ctx, 2)
        return `${r.before?.withoutMembers ?? '?'} → ${r.withoutMembers}: ${r.cleared?.length ?? '?'} cleared`
      },
    },
    {
      label: 'Mường Nhé blank villages on those dates (the article: "xóa được 20/38")',
      expected: '38 → 18: 20 cleared',
      observe: (ctx) => {
        const r = blankAt(ctx, 4)
        return `${r.before?.withoutMembers ?? '?'} → ${r.withoutMembers}: ${r.cleared?.length ?? '?'} cleared`
      },
    },
  ],
}
