/**
 * Bạc Liêu, the provincial agencies' bloc (seed 000, Báo Bạc Liêu, 16/07/2021).
 *
 * The provincial standing committee gives Đảng bộ Khối các cơ quan tỉnh a term quota of 1,300 new
 * members for 2020-2025 (Chỉ thị 30 of the Tỉnh ủy); the bloc's own Resolution 02 needs 270 a year,
 * but the bloc hands 391 down to its grassroots organizations for 2021. By 16/07/2021 it has admitted
 * 92 and held 4 political classes for 345 candidates.
 */
import { addDays, daysBetween } from './internal/dates'
import { attainmentAt, attainmentText, int, quotaBy, trainingAt } from './internal/figures'
import { registerUnit } from './internal/geography'
import { createLog } from './internal/log'
import { admit, pad, type PeopleStyle } from './internal/people'
import { apportion, createRng } from './internal/prng'
import type { ImportLine, Scenario } from './types'

const P = 'bl21'
/** Tỉnh ủy Bạc Liêu. */
const PROVINCE = `${P}-tu`
/** Đảng ủy Khối các cơ quan tỉnh. */
const BLOC = `${P}-khoi-cq`
const REPORT_DATE = '2021-07-16'
const SETUP = '2020-10-01'
const SUB_QUOTAS = 391

const STYLE: PeopleStyle = {
  minorityShare: 0.08,
  minorities: ['Khmer', 'Hoa'],
  femaleShare: 0.5,
  occupations: [['public-servant', 1]],
}

/** The bloc's grassroots organizations: the agency they sit in, and whether it is a đảng bộ (else a chi bộ). */
const AGENCIES: ReadonlyArray<readonly [string, 'agency' | 'school', boolean]> = [
  ['Văn phòng Tỉnh ủy', 'agency', true],
  ['Văn phòng Ủy ban nhân dân tỉnh', 'agency', true],
  ['Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh', 'agency', false],
  ['Sở Nội vụ', 'agency', false],
  ['Sở Tài chính', 'agency', false],
  ['Sở Kế hoạch và Đầu tư', 'agency', false],
  ['Sở Tư pháp', 'agency', false],
  ['Sở Công Thương', 'agency', false],
  ['Sở Nông nghiệp và Phát triển nông thôn', 'agency', true],
  ['Sở Giao thông vận tải', 'agency', false],
  ['Sở Xây dựng', 'agency', false],
  ['Sở Tài nguyên và Môi trường', 'agency', true],
  ['Sở Thông tin và Truyền thông', 'agency', false],
  ['Sở Lao động - Thương binh và Xã hội', 'agency', true],
  ['Sở Văn hóa, Thể thao và Du lịch', 'agency', true],
  ['Sở Khoa học và Công nghệ', 'agency', false],
  ['Sở Giáo dục và Đào tạo', 'agency', true],
  ['Sở Y tế', 'agency', true],
  ['Thanh tra tỉnh', 'agency', false],
  ['Ban Dân tộc tỉnh', 'agency', false],
  ['Kho bạc Nhà nước tỉnh', 'agency', false],
  ['Cục Thuế tỉnh', 'agency', true],
  ['Cục Thống kê tỉnh', 'agency', false],
  ['Bảo hiểm xã hội tỉnh', 'agency', true],
  ['Ngân hàng Nhà nước chi nhánh tỉnh', 'agency', false],
  ['Tòa án nhân dân tỉnh', 'agency', true],
  ['Viện Kiểm sát nhân dân tỉnh', 'agency', true],
  ['Cục Thi hành án dân sự tỉnh', 'agency', false],
  ['Đài Phát thanh - Truyền hình tỉnh', 'agency', false],
  ['Báo Bạc Liêu', 'agency', false],
  ['Trường Chính trị Châu Văn Đặng', 'school', false],
  ['Trường Đại học Bạc Liêu', 'school', true],
  ['Bệnh viện Đa khoa tỉnh', 'agency', true],
  ['Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', 'agency', false],
  ['Tỉnh đoàn', 'agency', false],
  ['Hội Liên hiệp Phụ nữ tỉnh', 'agency', false],
  ['Hội Nông dân tỉnh', 'agency', false],
  ['Liên đoàn Lao động tỉnh', 'agency', false],
]

/** Political classes for candidates (lớp bồi dưỡng nhận thức về Đảng) in 2021, and admissions from each by 16/07. */
const CLASSES: ReadonlyArray<readonly [string, string, number, number]> = [
  ['2021-01-11', '2021-01-15', 95, 50],
  ['2021-03-08', '2021-03-12', 90, 42],
  ['2021-04-12', '2021-04-16', 80, 0],
  ['2021-06-07', '2021-06-11', 80, 0],
]

/** Builds the Bạc Liêu log. */
const build = (): ReadonlyArray<ImportLine> => {
  const rng = createRng(0x00_2021)
  // Recorded as things happen, from the ledger's setup on 01/10/2020 (after the Dương Kinh scenario).
  const log = createLog({
    prefix: P,
    actor: `${P}-van-phong-dang-uy-khoi`,
    recordedFrom: `${SETUP}T01:00:00.000Z`,
  })
  log.add('OrganizationRegistered', {
    orgId: PROVINCE,
    name: 'Đảng bộ tỉnh Bạc Liêu',
    level: 'province',
    parentId: null,
    on: SETUP,
  })
  log.add('OrganizationRegistered', {
    orgId: BLOC,
    name: 'Đảng bộ Khối các cơ quan tỉnh',
    level: 'bloc',
    parentId: PROVINCE,
    on: SETUP,
  })
  const orgs = AGENCIES.map(([name, kind, committee], i) =>
    registerUnit(log, {
      unitId: `${P}-dv${pad(i + 1, 2)}`,
      name,
      kind,
      orgId: BLOC,
      organization: `${committee ? 'Đảng bộ' : 'Chi bộ'} ${name}`,
      on: SETUP,
    }),
  ).filter((o): o is string => o !== null)

  log.add('QuotaAssigned', {
    orgId: BLOC,
    period: '2020-2025',
    target: 1300,
    assignedBy: PROVINCE,
    ref: 'Chỉ thị 30-CT/TU',
    on: '2020-11-16',
  })
  log.add('QuotaAssigned', {
    orgId: BLOC,
    period: '2021',
    target: 270,
    assignedBy: BLOC,
    ref: 'NQ 02-NQ/ĐUK',
    on: '2021-01-05',
  })
  // Sub-quotas above the resolution's: 391 in all, in proportion to each organization's pool of candidates.
  const targets = apportion(
    SUB_QUOTAS,
    orgs.map(() => rng.int(5, 15)),
  )
  orgs.forEach((orgId, i) =>
    log.add('QuotaAssigned', {
      orgId,
      period: '2021',
      target: targets[i]!,
      assignedBy: BLOC,
      ref: 'Chỉ tiêu kết nạp đảng viên năm 2021 của BTV Đảng ủy Khối',
      on: '2021-01-08',
    }),
  )

  let persons = 0
  CLASSES.forEach(([from, to, trainees, admitted], c) => {
    const classId = `${P}-lop-${c + 1}`
    log.add('AwarenessClassHeld', {
      classId,
      orgId: BLOC,
      from,
      to,
      trainees,
      audience: 'đối tượng kết nạp Đảng',
    })
    const first = addDays(to, 45)
    for (let k = 0; k < admitted; k++) {
      const admittedOn = addDays(first, rng.int(0, daysBetween(first, REPORT_DATE)))
      persons += 1
      admit(log, rng, {
        personId: `${P}-p${pad(persons)}`,
        orgId: rng.pick(orgs),
        admittedOn,
        decidedBy: BLOC,
        decisionNo: `${persons}-QĐ/ĐUK`,
        certificateNo: `${pad(persons, 3)}/GCN-ĐUK`,
        trainedOn: to,
        classId,
        notBefore: addDays(SETUP, 1),
        style: STYLE,
        ages: [22, 38],
      })
    }
  })
  return log.finish()
}

const AS_OF = { asOf: REPORT_DATE } as const

/** The Bạc Liêu provincial agencies' bloc scenario (seed 000). */
export const bacLieu2021: Scenario = {
  key: 'bacLieu2021',
  title: 'Bạc Liêu, Đảng bộ Khối các cơ quan tỉnh: phát triển đảng viên đến 16/07/2021',
  reportDate: REPORT_DATE,
  build,
  reports: [
    {
      name: 'attainment',
      query: { orgId: BLOC, period: '2021', ...AS_OF },
      caption:
        'Kết nạp đảng viên năm 2021 so với chỉ tiêu Nghị quyết 02 và chỉ tiêu giao các tổ chức cơ sở đảng',
    },
    {
      name: 'attainment',
      query: { orgId: BLOC, period: '2020-2025', ...AS_OF },
      caption: 'Chỉ tiêu nhiệm kỳ 2020-2025 do BTV Tỉnh ủy giao (ví dụ chỉ ghi các lần kết nạp năm 2021)',
    },
    {
      name: 'training',
      query: { orgId: BLOC, period: '2021', ...AS_OF },
      caption: 'Lớp bồi dưỡng lý luận chính trị cho đối tượng kết nạp Đảng năm 2021',
    },
  ],
  figures: [
    {
      label:
        'Term quota 2020-2025 assigned by the provincial standing committee to the bloc (the article: "khoảng 1.300", about)',
      expected: '1.300',
      observe: (ctx) => quotaBy(attainmentAt(ctx, 1), PROVINCE),
    },
    {
      label: "Yearly quota in the bloc's own resolution (NQ 02), 2021",
      expected: '270',
      observe: (ctx) => quotaBy(attainmentAt(ctx, 0), BLOC),
    },
    {
      label: "2021 sub-quotas handed to the bloc's grassroots organizations, in total",
      expected: '391',
      observe: (ctx) => int(attainmentAt(ctx, 0).subQuotaTotal),
    },
    {
      label: 'Admitted 01/01/2021 to 16/07/2021, against the 270 of NQ 02',
      expected: '92 / 270 = 34,07 %',
      observe: (ctx) => attainmentText(attainmentAt(ctx, 0)),
    },
    {
      label: 'Political classes for candidates, 2021',
      expected: '4 classes, 345 trainees',
      observe: (ctx) => {
        const r = trainingAt(ctx, 2)
        return `${r.classes} classes, ${int(r.trainees)} trainees`
      },
    },
  ],
}
