/**
 * Lào Cai, the provincial agencies-and-enterprises bloc (seed 004, Báo Lào Cai, 2022).
 *
 * Đảng bộ Khối Cơ quan - Doanh nghiệp tỉnh: 90 grassroots organizations (60 in public agencies and
 * service units, 29 in enterprises, 1 other), 5,558 members, 220 admitted in 2022 against a plan of
 * 200, 4 awareness classes for 430 candidates. Among them Lào Cai College (Trường Cao đẳng Lào Cai):
 * 8 cells, 192 members, 8 admitted against a plan of 7, 3 of them students, a class of 54 students,
 * and Resolution 25 of 26/05/2022 aiming at 15 or more student admissions from 2022 to 2025.
 */
import { addDays, daysBetween } from './internal/dates'
import { attainmentAt, attainmentText, int, organizationsAt, rollAt, trainingAt } from './internal/figures'
import { registerUnit } from './internal/geography'
import { createLog } from './internal/log'
import { admit, pad, registerExisting, type PeopleStyle } from './internal/people'
import { apportion, createRng, spread } from './internal/prng'
import type { ImportLine, Scenario } from './types'

const P = 'lc22'
/** Tỉnh ủy Lào Cai. */
const PROVINCE = `${P}-tu`
/** Đảng ủy Khối Cơ quan - Doanh nghiệp tỉnh. */
const BLOC = `${P}-khoi`
/** Trường Cao đẳng Lào Cai, the unit, and its grassroots committee (Đảng bộ Trường Cao đẳng Lào Cai). */
const COLLEGE_UNIT = `${P}-cao-dang-lao-cai`
const COLLEGE = `${COLLEGE_UNIT}-du`
const REPORT_DATE = '2022-12-31'
const SETUP = '2021-09-01'
const PLAN_REF = 'Kế hoạch phát triển đảng viên năm 2022 của BTV Đảng ủy Khối'

const MEMBERS = 5558
const ADMITTED = 220
const COLLEGE_MEMBERS = 192
const COLLEGE_CELLS = [
  'Chi bộ Khoa Kỹ thuật - Công nghệ',
  'Chi bộ Khoa Nông lâm',
  'Chi bộ Khoa Kinh tế',
  'Chi bộ Khoa Sư phạm',
  'Chi bộ Khoa Văn hóa - Du lịch',
  'Chi bộ Phòng Đào tạo',
  'Chi bộ Hành chính - Tổng hợp',
  'Chi bộ Học sinh - Sinh viên',
]

const STYLE: PeopleStyle = {
  minorityShare: 0.35,
  minorities: ["H'Mông", 'Tày', 'Dao', 'Giáy', 'Nùng', 'Phù Lá'],
  femaleShare: 0.48,
  occupations: [['public-servant', 1]],
}

/** Public agencies and service units of the bloc besides the college (59): named, then numbered. */
const AGENCIES: ReadonlyArray<string> = [
  'Văn phòng Ủy ban nhân dân tỉnh',
  'Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh',
  'Sở Nội vụ',
  'Sở Tài chính',
  'Sở Kế hoạch và Đầu tư',
  'Sở Tư pháp',
  'Sở Công Thương',
  'Sở Nông nghiệp và Phát triển nông thôn',
  'Sở Tài nguyên và Môi trường',
  'Sở Thông tin và Truyền thông',
  'Sở Lao động - Thương binh và Xã hội',
  'Sở Khoa học và Công nghệ',
  'Sở Giáo dục và Đào tạo',
  'Sở Y tế',
  'Thanh tra tỉnh',
  'Ban Dân tộc tỉnh',
  'Kho bạc Nhà nước tỉnh',
  'Cục Thuế tỉnh',
  'Cục Hải quan tỉnh',
  'Cục Thống kê tỉnh',
  'Bảo hiểm xã hội tỉnh',
  'Tòa án nhân dân tỉnh',
  'Viện Kiểm sát nhân dân tỉnh',
  'Cục Thi hành án dân sự tỉnh',
  'Đài Phát thanh - Truyền hình tỉnh',
  'Báo Lào Cai',
  'Bệnh viện Đa khoa tỉnh',
  'Trường Chính trị tỉnh',
  ...Array.from({ length: 31 }, (_, i) => `Đơn vị sự nghiệp công lập số ${i + 1}`),
]

/** Awareness classes: id suffix, organizer, from, to, trainees, audience. */
const CLASSES = {
  autumn2021: [BLOC, '2021-10-11', '2021-10-15', 110, 'quần chúng ưu tú'],
  march: [BLOC, '2022-03-14', '2022-03-18', 130, 'quần chúng ưu tú'],
  students: [COLLEGE, '2022-06-13', '2022-06-17', 54, 'sinh viên'],
  july: [BLOC, '2022-07-11', '2022-07-15', 126, 'quần chúng ưu tú'],
  september: [BLOC, '2022-09-12', '2022-09-16', 120, 'quần chúng ưu tú'],
} as const

type ClassKey = keyof typeof CLASSES

/** Admissions of 2022: from which class, how many, in which window, where (the college or elsewhere). */
const ADMISSIONS: ReadonlyArray<
  readonly [ClassKey, number, string, string, 'college' | 'college-students' | 'bloc']
> = [
  ['autumn2021', 2, '2022-01-04', '2022-05-31', 'college'],
  ['march', 3, '2022-05-03', '2022-09-30', 'college'],
  ['students', 3, '2022-09-05', '2022-12-20', 'college-students'],
  ['autumn2021', 70, '2022-01-04', '2022-05-31', 'bloc'],
  ['march', 70, '2022-05-03', '2022-09-30', 'bloc'],
  ['july', 50, '2022-08-29', '2022-12-28', 'bloc'],
  ['september', 22, '2022-10-31', '2022-12-28', 'bloc'],
]

/** Builds the Lào Cai log. */
const build = (): ReadonlyArray<ImportLine> => {
  const rng = createRng(0x04_2022)
  // Recorded as things happen from the ledger's setup on 01/09/2021, after the Kon Tum scenario's records.
  const log = createLog({
    prefix: P,
    actor: `${P}-van-phong-dang-uy-khoi`,
    recordedFrom: `${SETUP}T01:00:00.000Z`,
  })
  log.add('OrganizationRegistered', {
    orgId: PROVINCE,
    name: 'Đảng bộ tỉnh Lào Cai',
    level: 'province',
    parentId: null,
    on: SETUP,
  })
  log.add('OrganizationRegistered', {
    orgId: BLOC,
    name: 'Đảng bộ Khối Cơ quan - Doanh nghiệp tỉnh',
    level: 'bloc',
    parentId: PROVINCE,
    on: SETUP,
  })
  registerUnit(log, {
    unitId: COLLEGE_UNIT,
    name: 'Trường Cao đẳng Lào Cai',
    kind: 'school',
    orgId: BLOC,
    organization: 'Đảng bộ Trường Cao đẳng Lào Cai',
    organizationId: COLLEGE,
    on: SETUP,
  })
  const collegeCells = COLLEGE_CELLS.map((name, i) => {
    const orgId = `${COLLEGE}-cb${i + 1}`
    log.add('OrganizationRegistered', { orgId, name, level: 'cell', parentId: COLLEGE, on: SETUP })
    return orgId
  })
  const studentsCell = collegeCells[collegeCells.length - 1]!
  const register = (
    i: number,
    name: string,
    kind: 'agency' | 'enterprise' | 'other',
  ): { orgId: string; kind: 'agency' | 'enterprise' | 'other' } => ({
    orgId: registerUnit(log, {
      unitId: `${P}-dv${pad(i, 2)}`,
      name,
      kind,
      orgId: BLOC,
      organization: `Chi bộ ${name}`,
      on: SETUP,
    })!,
    kind,
  })
  const orgs = [
    ...AGENCIES.map((name, i) => register(i + 1, name, 'agency')),
    ...Array.from({ length: 29 }, (_, i) =>
      register(
        AGENCIES.length + i + 1,
        `Doanh nghiệp số ${i + 1} (Khối Cơ quan - Doanh nghiệp tỉnh)`,
        'enterprise',
      ),
    ),
    register(AGENCIES.length + 30, 'Hội Văn học Nghệ thuật tỉnh', 'other'),
  ]

  // Members before 2022: the college's 192 − 8 across its cells; the bloc's remainder across the others.
  let members = 0
  const collegeExisting = COLLEGE_MEMBERS - 8
  const perCell = spread(collegeExisting, collegeCells.length)
  collegeCells.forEach((orgId, i) => {
    for (let k = 0; k < (perCell[i] ?? 0); k++) {
      registerExisting(log, rng, {
        personId: `${P}-m${pad(++members)}`,
        orgId,
        on: addDays(SETUP, 1),
        admittedFrom: '1985-01-01',
        admittedTo: '2020-08-31',
        style: STYLE,
      })
    }
  })
  const perOrg = apportion(
    MEMBERS - ADMITTED - collegeExisting,
    orgs.map(() => rng.int(3, 12)),
  )
  orgs.forEach(({ orgId, kind }, i) => {
    for (let k = 0; k < (perOrg[i] ?? 0); k++) {
      registerExisting(log, rng, {
        personId: `${P}-m${pad(++members)}`,
        orgId,
        on: addDays(SETUP, 1),
        admittedFrom: '1980-01-01',
        admittedTo: '2020-08-31',
        style: STYLE,
        occupation:
          kind === 'enterprise' ? 'private-sector-worker' : kind === 'other' ? 'other' : 'public-servant',
      })
    }
  })

  // Plans for 2022 and the college's resolution on students.
  log.add('QuotaAssigned', {
    orgId: BLOC,
    period: '2022',
    target: 200,
    assignedBy: BLOC,
    ref: PLAN_REF,
    on: '2022-01-10',
  })
  log.add('QuotaAssigned', {
    orgId: COLLEGE,
    period: '2022',
    target: 7,
    assignedBy: BLOC,
    ref: PLAN_REF,
    on: '2022-01-10',
  })
  log.add('QuotaAssigned', {
    orgId: COLLEGE,
    period: '2022-2025',
    target: 15,
    assignedBy: COLLEGE,
    ref: 'NQ 25-NQ/ĐU',
    occupation: 'student',
    on: '2022-05-26',
  })

  for (const [key, [orgId, from, to, trainees, audience]] of Object.entries(CLASSES)) {
    log.add('AwarenessClassHeld', { classId: `${P}-lop-${key}`, orgId, from, to, trainees, audience })
  }
  let persons = 0
  for (const [key, count, first, last, where] of ADMISSIONS) {
    const [, , to] = CLASSES[key]
    for (let k = 0; k < count; k++) {
      persons += 1
      const org =
        where === 'college-students'
          ? { orgId: studentsCell, kind: 'agency' as const }
          : where === 'college'
            ? { orgId: rng.pick(collegeCells.slice(0, -1)), kind: 'agency' as const }
            : rng.pick(orgs)
      admit(log, rng, {
        personId: `${P}-p${pad(persons)}`,
        orgId: org.orgId,
        admittedOn: addDays(first, rng.int(0, daysBetween(first, last))),
        decidedBy: BLOC,
        decisionNo: `${persons}-QĐ/ĐUK`,
        certificateNo: `${pad(persons, 3)}/GCN-ĐUK`,
        trainedOn: to,
        classId: `${P}-lop-${key}`,
        notBefore: addDays(SETUP, 2),
        style: STYLE,
        ...(where === 'college-students'
          ? { occupation: 'student' as const, ages: [19, 21] as const, nominatedBy: 'youth-union' as const }
          : {
              occupation:
                org.kind === 'enterprise' ? ('private-sector-worker' as const) : ('public-servant' as const),
              ages: [22, 40] as const,
            }),
      })
    }
  }
  return log.finish()
}

const AS_OF = { asOf: REPORT_DATE } as const

/** The Lào Cai agencies-and-enterprises bloc scenario (seed 004). */
export const laoCai2022: Scenario = {
  key: 'laoCai2022',
  title: 'Lào Cai, Đảng bộ Khối Cơ quan - Doanh nghiệp tỉnh: phát triển đảng viên năm 2022',
  reportDate: REPORT_DATE,
  build,
  reports: [
    {
      name: 'coverage',
      query: { orgId: BLOC, ...AS_OF },
      caption: 'Tổ chức cơ sở đảng của Đảng bộ Khối',
    },
    { name: 'roll', query: { orgId: BLOC, ...AS_OF }, caption: 'Đảng viên của Đảng bộ Khối' },
    {
      name: 'attainment',
      query: { orgId: BLOC, period: '2022', ...AS_OF },
      caption: 'Kết nạp đảng viên năm 2022 so với kế hoạch của BTV Đảng ủy Khối',
    },
    {
      name: 'training',
      query: { orgId: BLOC, period: '2022', ...AS_OF },
      caption: 'Lớp bồi dưỡng nhận thức về Đảng năm 2022 (kể cả lớp của Trường Cao đẳng Lào Cai)',
    },
    {
      name: 'roll',
      query: { orgId: COLLEGE, ...AS_OF },
      caption: 'Đảng bộ Trường Cao đẳng Lào Cai: đảng viên',
    },
    {
      name: 'attainment',
      query: { orgId: COLLEGE, period: '2022', ...AS_OF },
      caption: 'Đảng bộ Trường Cao đẳng Lào Cai: kết nạp năm 2022 so với kế hoạch',
    },
    {
      name: 'attainment',
      query: { orgId: COLLEGE, period: '2022', occupation: 'student', ...AS_OF },
      caption: 'Đảng bộ Trường Cao đẳng Lào Cai: đảng viên mới là sinh viên, năm 2022',
    },
    {
      name: 'training',
      query: { orgId: COLLEGE, period: '2022', ...AS_OF },
      caption: 'Đảng bộ Trường Cao đẳng Lào Cai: lớp bồi dưỡng nhận thức về Đảng cho sinh viên năm 2022',
    },
    {
      name: 'attainment',
      query: { orgId: COLLEGE, period: '2022-2025', occupation: 'student', ...AS_OF },
      caption:
        'Nghị quyết số 25 ngày 26/5/2022: kết nạp từ 15 đảng viên trở lên là học sinh, sinh viên (2022-2025)',
    },
    {
      name: 'organizations',
      query: { orgId: BLOC, ...AS_OF },
      caption: 'Tổ chức cơ sở đảng của Đảng bộ Khối theo loại hình đơn vị',
    },
    {
      name: 'organizations',
      query: { orgId: COLLEGE, ...AS_OF },
      caption: 'Đảng bộ Trường Cao đẳng Lào Cai: chi bộ trực thuộc và đảng viên',
    },
  ],
  figures: [
    {
      label:
        'Grassroots organizations of the bloc: in public agencies and service units (agencies and the college), in enterprises, other',
      expected: '90: 60 + 29 + 1',
      observe: (ctx) => {
        const r = organizationsAt(ctx, 9)
        const k = r.byUnitKind
        const publicUnits = (k['agency'] ?? 0) + (k['school'] ?? 0)
        return `${int(r.grassroots)}: ${publicUnits} + ${k['enterprise'] ?? 0} + ${k['other'] ?? 0}`
      },
    },
    { label: 'Members of the bloc', expected: '5.558', observe: (ctx) => int(rollAt(ctx, 1).members) },
    {
      label: '2022 plan and admitted ("vượt")',
      expected: '220 / 200 = 110,00 %',
      observe: (ctx) => attainmentText(attainmentAt(ctx, 2)),
    },
    {
      label: "Classes and trainees, 2022 (the college's class for students is one of the four)",
      expected: '4 classes, 430 trainees',
      observe: (ctx) => {
        const r = trainingAt(ctx, 3)
        return `${r.classes} classes, ${int(r.trainees)} trainees`
      },
    },
    {
      label: 'Lào Cai College: cells, members',
      expected: '8 cells, 192 members',
      observe: (ctx) => {
        const r = organizationsAt(ctx, 10)
        return `${r.cells} cells, ${int(r.members)} members`
      },
    },
    {
      label: 'Lào Cai College 2022 plan and admitted (the article writes 114 %); students among them',
      expected: '8 / 7 = 114,29 %; 3 students',
      observe: (ctx) => `${attainmentText(attainmentAt(ctx, 5))}; ${attainmentAt(ctx, 6).admitted} students`,
    },
    {
      label: 'Lào Cai College class for students, 2022',
      expected: '1 class, 54 trainees',
      observe: (ctx) => {
        const r = trainingAt(ctx, 7)
        return `${r.classes} class${r.classes === 1 ? '' : 'es'}, ${int(r.trainees)} trainees`
      },
    },
    {
      label:
        'Lào Cai College student quota 2022-2025 (Resolution 25 of 26/05/2022: "từ 15 ... trở lên", at least 15)',
      expected: '15',
      observe: (ctx) => int(attainmentAt(ctx, 8).target ?? 0),
    },
  ],
}
