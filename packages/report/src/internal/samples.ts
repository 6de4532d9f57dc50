/**
 * @internal
 * Hand-made report results shaped after SCENARIOS.md, for golden tests, the screenshot script and the
 * docs. The province totals are the articles' figures; the per-district figures other than Mường Nhé
 * are invented so that rows and direct admissions add up to the province's total.
 */
import type {
  AttainmentReport,
  BlankVillagesReport,
  CoverageReport,
  FunnelReport,
  OrganizationRow,
  OrganizationsReport,
  RatingsReport,
  Report,
  RollReport,
  TrainingReport,
  VillageHeadsReport,
} from '@ketnap/core'

const districts: ReadonlyArray<readonly [string, string, number, number]> = [
  ['db-bloc-agencies', 'Đảng bộ Khối các cơ quan tỉnh', 150, 141],
  ['db-bloc-enterprises', 'Đảng bộ Khối doanh nghiệp tỉnh', 60, 58],
  ['db-border-guard', 'Đảng bộ Bộ đội Biên phòng tỉnh', 70, 68],
  ['db-dien-bien', 'Huyện ủy Điện Biên', 260, 251],
  ['db-dien-bien-dong', 'Huyện ủy Điện Biên Đông', 190, 176],
  ['db-dien-bien-phu', 'Thành ủy Điện Biên Phủ', 170, 182],
  ['db-military', 'Đảng bộ Quân sự tỉnh', 100, 95],
  ['db-muong-ang', 'Huyện ủy Mường Ảng', 130, 119],
  ['db-muong-cha', 'Huyện ủy Mường Chà', 140, 121],
  ['db-muong-lay', 'Thị ủy Mường Lay', 40, 37],
  ['db-muong-nhe', 'Huyện ủy Mường Nhé', 154, 112],
  ['db-nam-po', 'Huyện ủy Nậm Pồ', 160, 131],
  ['db-police', 'Đảng bộ Công an tỉnh', 80, 78],
  ['db-tua-chua', 'Huyện ủy Tủa Chùa', 140, 128],
  ['db-tuan-giao', 'Huyện ủy Tuần Giáo', 190, 172],
]

/** @internal Điện Biên, 2016, on 17/11/2016: 1,873 admitted of a quota of 2,000 (93.65 %). */
export const dienBienAttainment: AttainmentReport = {
  report: 'attainment',
  orgId: 'dien-bien',
  orgName: 'Đảng bộ tỉnh Điện Biên',
  asOf: '2016-11-17',
  knownAt: null,
  period: '2016',
  occupation: null,
  target: 2000,
  admitted: 1873,
  rate: 1873 / 2000,
  quotas: [
    {
      assignedBy: 'dien-bien',
      assignedByName: 'Đảng bộ tỉnh Điện Biên',
      target: 2000,
      rate: 1873 / 2000,
      ref: 'NQ ĐH XIII',
    },
  ],
  direct: 1873 - districts.reduce((sum, [, , , admitted]) => sum + admitted, 0),
  subQuotaTotal: districts.reduce((sum, [, , target]) => sum + target, 0),
  rows: districts.map(([orgId, orgName, target, admitted]) => ({
    orgId,
    orgName,
    target,
    admitted,
    rate: admitted / target,
  })),
}

/** @internal Kon Tum, Đăk Nhoong commune, 2021: 19 admitted of 13 (146.15 %, vượt), known at an instant. */
export const dakNhoongAttainment: AttainmentReport = {
  report: 'attainment',
  orgId: 'kt-dak-nhoong',
  orgName: 'Đảng bộ xã Đăk Nhoong',
  asOf: '2021-06-30',
  knownAt: '2021-07-05T09:00:00Z',
  period: '2021',
  occupation: null,
  target: 13,
  admitted: 19,
  rate: 19 / 13,
  quotas: [
    {
      assignedBy: 'kt-dak-glei',
      assignedByName: 'Đảng bộ huyện Đăk Glei',
      target: 13,
      rate: 19 / 13,
      ref: null,
    },
  ],
  direct: 0,
  subQuotaTotal: 9,
  rows: [
    { orgId: 'kt-dak-nhoong-1', orgName: 'Chi bộ thôn Đăk Nhoong', target: 5, admitted: 8, rate: 8 / 5 },
    { orgId: 'kt-dak-nhoong-2', orgName: 'Chi bộ thôn Đăk Xa', target: 4, admitted: 6, rate: 6 / 4 },
    { orgId: 'kt-dak-nhoong-3', orgName: 'Chi bộ thôn Đăk Sing', target: null, admitted: 5, rate: null },
  ],
}

const villageId = (i: number): string => `db-v${String(i).padStart(4, '0')}`
const blankBefore = Array.from({ length: 95 }, (_, i) => villageId(i * 17 + 3))
const cleared = blankBefore.filter((_, i) => i % 4 === 0)

/** @internal Điện Biên villages on 17/11/2016 against 23/05/2016: 95 blank then, 71 now, 24 cleared. */
export const dienBienBlankVillages: BlankVillagesReport = {
  report: 'blank-villages',
  orgId: 'dien-bien',
  orgName: 'Đảng bộ tỉnh Điện Biên',
  asOf: '2016-11-17',
  knownAt: null,
  villages: 1813,
  withOrganization: 1417,
  withoutOrganization: 396,
  withoutMembers: 71,
  blankVillageIds: blankBefore.filter((id) => !cleared.includes(id)),
  since: '2016-05-23',
  shares: { withOrganization: 1417 / 1813, withoutOrganization: 396 / 1813, withoutMembers: 71 / 1813 },
  before: {
    villages: 1813,
    withOrganization: 1398,
    withoutOrganization: 415,
    withoutMembers: 95,
    shares: { withOrganization: 1398 / 1813, withoutOrganization: 415 / 1813, withoutMembers: 95 / 1813 },
  },
  cleared,
  newlyBlank: [],
}

/** @internal Blank villages of Điện Biên between the resolution and the report date (illustrative steps). */
export const dienBienBlankSeries: ReadonlyArray<{ readonly date: string; readonly blank: number }> = [
  { date: '2016-05-23', blank: 95 },
  { date: '2016-06-30', blank: 91 },
  { date: '2016-07-31', blank: 86 },
  { date: '2016-08-31', blank: 82 },
  { date: '2016-09-30', blank: 77 },
  { date: '2016-10-31', blank: 74 },
  { date: '2016-11-17', blank: 71 },
]

/** @internal Mường Nhé district on 17/11/2016, without `since`: 18 blank villages. */
export const muongNheBlankVillages: BlankVillagesReport = {
  report: 'blank-villages',
  orgId: 'db-muong-nhe',
  orgName: 'Huyện ủy Mường Nhé',
  asOf: '2016-11-17',
  knownAt: null,
  villages: 104,
  withOrganization: 71,
  withoutOrganization: 33,
  withoutMembers: 18,
  shares: { withOrganization: 71 / 104, withoutOrganization: 33 / 104, withoutMembers: 18 / 104 },
  blankVillageIds: Array.from({ length: 18 }, (_, i) => `mn-v${String(i * 5 + 2).padStart(3, '0')}`),
}

/** @internal Lào Cai College, 2022, students only: 3 admitted of a student quota of 15 for the term. */
export const laoCaiCollegeStudents: AttainmentReport = {
  report: 'attainment',
  orgId: 'lc-college',
  orgName: 'Đảng bộ Trường Cao đẳng Lào Cai',
  asOf: '2022-12-31',
  knownAt: null,
  period: '2022-2025',
  occupation: 'student',
  target: 15,
  admitted: 3,
  rate: 3 / 15,
  quotas: [
    {
      assignedBy: 'lc-college',
      assignedByName: 'Đảng bộ Trường Cao đẳng Lào Cai',
      target: 15,
      rate: 3 / 15,
      ref: 'NQ 25, 26/05/2022',
    },
  ],
  direct: 0,
  subQuotaTotal: 15,
  rows: [
    { orgId: 'lc-college-c1', orgName: 'Chi bộ Khoa Sư phạm', target: 5, admitted: 2, rate: 2 / 5 },
    { orgId: 'lc-college-c2', orgName: 'Chi bộ Khoa Kỹ thuật', target: 5, admitted: 1, rate: 1 / 5 },
    { orgId: 'lc-college-c3', orgName: 'Chi bộ Khoa Kinh tế', target: 5, admitted: 0, rate: 0 },
  ],
}

/** @internal Hải Phòng, Dương Kinh district, on 14/08/2018: 2,555 members. */
export const duongKinhRoll: RollReport = {
  report: 'roll',
  orgId: 'hp-duong-kinh',
  orgName: 'Đảng bộ quận Dương Kinh',
  asOf: '2018-08-14',
  knownAt: null,
  members: 2555,
  official: 2472,
  probationary: 83,
  female: 1021,
  ethnicMinority: 4,
  under30: 236,
  byOccupation: {
    'public-servant': 1104,
    'private-sector-worker': 412,
    farmer: 389,
    'armed-forces': 97,
    student: 12,
    other: 498,
    unknown: 43,
  },
  byReligion: { 'Phật giáo': 120, 'Công giáo': 35, none: 2357, unknown: 43 },
}

/**
 * @internal The Dương Kinh roll with `--period 2018`: beside the members on the date, the 48 admitted
 * from 01/01/2018 to the date, by the profile of their admission date (figures made up to add up).
 */
export const duongKinhRollAdmitted: RollReport = {
  ...duongKinhRoll,
  admittedInPeriod: {
    period: '2018',
    admitted: 48,
    female: 21,
    ethnicMinority: 0,
    under30: 31,
    byOccupation: {
      'public-servant': 14,
      'private-sector-worker': 11,
      farmer: 6,
      'armed-forces': 4,
      student: 3,
      other: 10,
      unknown: 0,
    },
    byReligion: { 'Phật giáo': 2, 'Cao Đài': 1, none: 45, unknown: 0 },
  },
}

/** @internal Bạc Liêu, provincial agencies' bloc, 2021 to 16/07/2021: 92 admitted, two overdue. */
export const bacLieuFunnel: FunnelReport = {
  report: 'funnel',
  orgId: 'bl-bloc-agencies',
  orgName: 'Đảng bộ Khối các cơ quan tỉnh Bạc Liêu',
  asOf: '2021-07-16',
  knownAt: null,
  period: '2021',
  nominated: 351,
  trained: 345,
  verified: 188,
  cellApproved: 121,
  decided: 97,
  admitted: 92,
  confirmed: 64,
  closed: 6,
  overdue: ['bl-p0107', 'bl-p0212'],
  overdueByKind: {
    decision: ['bl-p0311'],
    ceremony: [],
    confirmation: ['bl-p0107', 'bl-p0212'],
    certificate: ['bl-p0033', 'bl-p0350'],
  },
  conversion: [
    {
      from: 'nominated',
      to: 'trained',
      persons: 351,
      converted: 340,
      rate: 340 / 351,
      medianWorkingDays: 24,
    },
    { from: 'trained', to: 'verified', persons: 345, converted: 190, rate: 190 / 345, medianWorkingDays: 41 },
    {
      from: 'verified',
      to: 'cellApproved',
      persons: 188,
      converted: 122,
      rate: 122 / 188,
      medianWorkingDays: 17.5,
    },
    {
      from: 'cellApproved',
      to: 'decided',
      persons: 121,
      converted: 97,
      rate: 97 / 121,
      medianWorkingDays: 33,
    },
    { from: 'decided', to: 'admitted', persons: 97, converted: 92, rate: 92 / 97, medianWorkingDays: 12 },
    { from: 'admitted', to: 'confirmed', persons: 92, converted: 0, rate: 0, medianWorkingDays: null },
  ],
}

/** @internal Bạc Liêu, provincial agencies' bloc, 2021: 4 classes, 345 trainees. */
export const bacLieuTraining: TrainingReport = {
  report: 'training',
  orgId: 'bl-bloc-agencies',
  orgName: 'Đảng bộ Khối các cơ quan tỉnh Bạc Liêu',
  asOf: '2021-07-16',
  knownAt: null,
  period: '2021',
  classes: 4,
  trainees: 345,
}

/** @internal Kon Tum on 30/06/2021: about 78 % of village heads are members, against a target of 90 %. */
export const konTumVillageHeads: VillageHeadsReport = {
  report: 'village-heads',
  orgId: 'kon-tum',
  orgName: 'Đảng bộ tỉnh Kon Tum',
  asOf: '2021-06-30',
  knownAt: null,
  villagesWithHead: 862,
  headsWhoAreMembers: 672,
  share: 672 / 862,
  target: 0.9,
  targetSetBy: 'kon-tum',
  targetRef: 'NQ Đại hội Đảng bộ tỉnh lần thứ XVI',
  met: false,
}

/** @internal Điện Biên on 17/11/2016: 821 grassroots units, 638 with a grassroots organization. */
export const dienBienCoverage: CoverageReport = {
  report: 'coverage',
  orgId: 'dien-bien',
  orgName: 'Đảng bộ tỉnh Điện Biên',
  asOf: '2016-11-17',
  knownAt: null,
  units: 821,
  withOrganization: 638,
  withoutOrganization: 183,
  shares: { withOrganization: 638 / 821, withoutOrganization: 183 / 821 },
}

const bacLieuUnits: ReadonlyArray<readonly [string, string, number | null, number]> = [
  ['bl-khoi-cq-bao-hiem-xa-hoi-tinh-db', 'Đảng bộ Bảo hiểm xã hội tỉnh', 9, 4],
  ['bl-khoi-cq-so-lao-dong-thuong-binh-va-xa-hoi-db', 'Đảng bộ Sở Lao động - Thương binh và Xã hội', 11, 4],
  [
    'bl-khoi-cq-so-nong-nghiep-va-phat-trien-nong-thon-db',
    'Đảng bộ Sở Nông nghiệp và Phát triển nông thôn',
    12,
    3,
  ],
  ['bl-khoi-cq-so-tu-phap-cb', 'Chi bộ Sở Tư pháp', 5, 5],
  ['bl-khoi-cq-truong-chinh-tri-chau-van-dang-cb', 'Chi bộ Trường Chính trị Châu Văn Đặng', null, 2],
  [
    'bl-khoi-cq-van-phong-doan-dbqh-va-hdnd-tinh-cb',
    'Chi bộ Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh',
    6,
    4,
  ],
]

/**
 * @internal Bạc Liêu provincial agencies bloc, 2021: long names, ids and references, wider than a
 * terminal unless they wrap; two quotas, one assigned by the province.
 */
export const bacLieuAttainment: AttainmentReport = {
  report: 'attainment',
  orgId: 'bl-khoi-cq',
  orgName: 'Đảng bộ Khối các cơ quan tỉnh',
  asOf: '2021-07-16',
  knownAt: null,
  period: '2021',
  occupation: null,
  target: 300,
  admitted: 24,
  rate: 24 / 300,
  quotas: [
    {
      assignedBy: 'bl-khoi-cq',
      assignedByName: 'Đảng bộ Khối các cơ quan tỉnh',
      target: 270,
      rate: 24 / 270,
      ref: 'Nghị quyết 02-NQ/ĐUK của Ban Chấp hành Đảng bộ Khối về công tác phát triển đảng viên',
    },
    {
      assignedBy: 'bl-tinh-uy',
      assignedByName: 'Ban Thường vụ Tỉnh ủy Bạc Liêu',
      target: 300,
      rate: 24 / 300,
      ref: 'Kế hoạch phát triển đảng viên năm 2021 của Ban Thường vụ Tỉnh ủy',
    },
  ],
  direct: 2,
  subQuotaTotal: 391,
  rows: bacLieuUnits.map(([orgId, orgName, target, admitted]) => ({
    orgId,
    orgName,
    target,
    admitted,
    rate: target === null ? null : admitted / target,
  })),
}

const duongKinhCommittees: ReadonlyArray<readonly [string, string, string, number, number]> = [
  ['hp-anh-dung-du', 'Đảng bộ phường Anh Dũng', 'commune', 10, 231],
  ['hp-da-phuc-du', 'Đảng bộ phường Đa Phúc', 'commune', 10, 228],
  ['hp-hai-thanh-du', 'Đảng bộ phường Hải Thành', 'commune', 10, 226],
  ['hp-hoa-nghia-du', 'Đảng bộ phường Hòa Nghĩa', 'commune', 10, 230],
  ['hp-hung-dao-du', 'Đảng bộ phường Hưng Đạo', 'commune', 10, 224],
  ['hp-tan-thanh-du', 'Đảng bộ phường Tân Thành', 'commune', 10, 229],
  ['hp-quan-su-du', 'Đảng bộ Quân sự quận Dương Kinh', 'armed-forces', 4, 61],
  ['hp-cong-an-du', 'Đảng bộ Công an quận Dương Kinh', 'armed-forces', 6, 92],
  ['hp-chinh-quyen-du', 'Đảng bộ Cơ quan Chính quyền quận Dương Kinh', 'agency', 8, 124],
  ['hp-dan-dang-du', 'Đảng bộ Cơ quan Dân - Đảng quận Dương Kinh', 'agency', 5, 77],
  ['hp-y-te-du', 'Đảng bộ Trung tâm Y tế quận Dương Kinh', 'agency', 4, 63],
]
const duongKinhRows: ReadonlyArray<OrganizationRow> = [
  ...duongKinhCommittees.map(([orgId, name, unitKind, cells, members]) => ({
    orgId,
    name,
    form: 'committee' as const,
    unitKind,
    cells,
    members,
  })),
  ...Array.from({ length: 30 }, (_, i) => ({
    orgId: `hp-dv${String(i + 1).padStart(2, '0')}-cb`,
    name:
      i < 18
        ? `Chi bộ Trường số ${i + 1}`
        : i < 27
          ? `Chi bộ Cơ quan số ${i - 17}`
          : `Chi bộ Doanh nghiệp số ${i - 26}`,
    form: 'cell' as const,
    unitKind: i < 18 ? 'school' : i < 27 ? 'agency' : 'enterprise',
    cells: 0,
    members: 20 + (i % 7) * 2,
  })),
].sort((a, b) => (a.orgId < b.orgId ? -1 : 1))

/** @internal Hải Phòng, Dương Kinh district, on 14/08/2018: 41 grassroots organizations (11 committees, 30 cells), 2,555 members. */
export const duongKinhOrganizations: OrganizationsReport = {
  report: 'organizations',
  orgId: 'hp-duong-kinh',
  orgName: 'Đảng bộ quận Dương Kinh',
  asOf: '2018-08-14',
  knownAt: null,
  grassroots: 41,
  byForm: { committee: 11, cell: 30 },
  byUnitKind: { commune: 6, 'armed-forces': 2, agency: 12, school: 18, enterprise: 3 },
  cells: duongKinhRows.reduce((a, r) => a + r.cells, 0),
  members: duongKinhRows.reduce((a, r) => a + r.members, 0),
  rows: duongKinhRows,
}

/** @internal Lào Cai College on 31/12/2022: one grassroots committee with 8 cells and 192 members. */
export const laoCaiCollegeOrganizations: OrganizationsReport = {
  report: 'organizations',
  orgId: 'lc-college',
  orgName: 'Đảng bộ Trường Cao đẳng Lào Cai',
  asOf: '2022-12-31',
  knownAt: '2023-01-05T09:00:00Z',
  grassroots: 1,
  byForm: { committee: 1, cell: 0 },
  byUnitKind: { school: 1 },
  cells: 8,
  members: 192,
  rows: [
    {
      orgId: 'lc-college',
      name: 'Đảng bộ Trường Cao đẳng Lào Cai',
      form: 'committee',
      unitKind: 'school',
      cells: 8,
      members: 192,
    },
  ],
}

const bacLieuRatings: ReadonlyArray<readonly [string, string, string, number | null]> = [
  ['bl-khoi-cq-bao-hiem-xa-hoi-tinh-db', 'Đảng bộ Bảo hiểm xã hội tỉnh', 'excellent', 11 / 9],
  [
    'bl-khoi-cq-so-lao-dong-thuong-binh-va-xa-hoi-db',
    'Đảng bộ Sở Lao động - Thương binh và Xã hội',
    'good',
    10 / 11,
  ],
  [
    'bl-khoi-cq-so-nong-nghiep-va-phat-trien-nong-thon-db',
    'Đảng bộ Sở Nông nghiệp và Phát triển nông thôn',
    'good',
    12 / 12,
  ],
  ['bl-khoi-cq-so-tu-phap-cb', 'Chi bộ Sở Tư pháp', 'fulfilled', 3 / 5],
  [
    'bl-khoi-cq-truong-chinh-tri-chau-van-dang-cb',
    'Chi bộ Trường Chính trị Châu Văn Đặng',
    'fulfilled',
    null,
  ],
  [
    'bl-khoi-cq-van-phong-doan-dbqh-va-hdnd-tinh-cb',
    'Chi bộ Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh',
    'not-fulfilled',
    1 / 6,
  ],
]

/** @internal Bạc Liêu provincial agencies bloc, 2021, rated early in 2022: attainment beside each rating. */
export const bacLieuRatingsReport: RatingsReport = {
  report: 'ratings',
  orgId: 'bl-khoi-cq',
  orgName: 'Đảng bộ Khối các cơ quan tỉnh',
  asOf: '2022-02-28',
  knownAt: null,
  period: '2021',
  rated: 6,
  byRating: { excellent: 1, good: 2, fulfilled: 2, 'not-fulfilled': 1 },
  shares: { excellent: 1 / 6, good: 2 / 6, fulfilled: 2 / 6, 'not-fulfilled': 1 / 6 },
  rows: bacLieuRatings.map(([orgId, name, rating, rate]) => ({ orgId, name, rating, rate })),
}

/**
 * @internal Lào Cai, 2025, with `--include-merged`: Yên Bái was merged into it on 01/07/2025, and its
 * admissions before that day are a row of their own (figures made up to add up).
 */
export const laoCaiMergedAttainment: AttainmentReport = {
  report: 'attainment',
  orgId: 'lao-cai',
  orgName: 'Đảng bộ tỉnh Lào Cai',
  asOf: '2025-12-31',
  knownAt: null,
  merged: [{ orgId: 'yen-bai', orgName: 'Đảng bộ tỉnh Yên Bái', until: '2025-07-01' }],
  period: '2025',
  occupation: null,
  target: 1600,
  admitted: 800,
  rate: 800 / 1600,
  quotas: [
    {
      assignedBy: 'lao-cai',
      assignedByName: 'Đảng bộ tỉnh Lào Cai',
      target: 1600,
      rate: 800 / 1600,
      ref: 'NQ 12-NQ/TU',
    },
  ],
  direct: 5,
  subQuotaTotal: 330,
  rows: [
    {
      orgId: 'lc-bao-thang',
      orgName: 'Đảng bộ huyện Bảo Thắng',
      target: 180,
      admitted: 120,
      rate: 120 / 180,
    },
    { orgId: 'lc-bat-xat', orgName: 'Đảng bộ huyện Bát Xát', target: 150, admitted: 95, rate: 95 / 150 },
    { orgId: 'lc-xa-bat-xat', orgName: 'Đảng bộ xã Bát Xát', target: null, admitted: 60, rate: null },
    { orgId: 'yen-bai', orgName: 'Đảng bộ tỉnh Yên Bái', target: 1000, admitted: 520, rate: 520 / 1000 },
  ],
}

/** A sample as the ledger returns it: naming the log position and hash it reflects (made up). */
const reflecting = (report: Report): Report => ({
  ...report,
  log: { position: 1733, hash: '9b1f0c5e7d2a4b68c3e1f0a9d8b7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9' },
})

/** @internal One sample of every report, named for golden files, each naming the log position it reflects. */
export const SAMPLES: ReadonlyArray<readonly [string, Report]> = (
  [
    ['attainment-dien-bien', dienBienAttainment],
    ['attainment-dak-nhoong', dakNhoongAttainment],
    ['attainment-lao-cai-college-students', laoCaiCollegeStudents],
    ['attainment-bac-lieu', bacLieuAttainment],
    ['attainment-lao-cai-merged', laoCaiMergedAttainment],
    ['blank-villages-dien-bien', dienBienBlankVillages],
    ['blank-villages-muong-nhe', muongNheBlankVillages],
    ['roll-duong-kinh', duongKinhRoll],
    ['roll-duong-kinh-admitted', duongKinhRollAdmitted],
    ['funnel-bac-lieu', bacLieuFunnel],
    ['training-bac-lieu', bacLieuTraining],
    ['village-heads-kon-tum', konTumVillageHeads],
    ['coverage-dien-bien', dienBienCoverage],
    ['organizations-duong-kinh', duongKinhOrganizations],
    ['organizations-lao-cai-college', laoCaiCollegeOrganizations],
    ['ratings-bac-lieu', bacLieuRatingsReport],
  ] as const
).map(([name, report]) => [name, reflecting(report)] as const)
