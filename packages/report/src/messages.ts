/**
 * The message catalog: every label a renderer prints, in Vietnamese (the default) and English.
 */
import type { ReportName } from '@ketnap/core'

/** A language a report can be rendered in. */
export type Lang = 'vi' | 'en'

/** The languages, the default first. */
export const LANGS: ReadonlyArray<Lang> = ['vi', 'en']

/** Every label of one language. */
export interface Messages {
  /** Title of each report. */
  readonly title: Readonly<Record<ReportName, string>>
  /** Short name of each report, fit for an XLSX sheet tab (at most 31 characters). */
  readonly sheet: Readonly<Record<ReportName, string>>
  readonly meta: {
    readonly organization: string
    readonly period: string
    readonly occupation: string
    readonly asOf: string
    readonly knownAt: string
    readonly knownAtAll: string
    readonly since: string
    /** The published checkpoint of the log a report was computed at. */
    readonly checkpoint: string
    /** What a checkpoint's size counts. */
    readonly events: string
    /** With --include-merged: the organizations merged into the report's, each counted before a date. */
    readonly merged: string
    readonly mergedBefore: string
    readonly mergedNone: string
    /** The log position and hash a report reflects, and the words before each. */
    readonly log: string
    readonly logPosition: string
    readonly logHash: string
  }
  /** Said after a rate above 100 % (vượt chỉ tiêu). */
  readonly exceeded: string
  /** Column headers. */
  readonly column: {
    readonly kind: string
    readonly orgId: string
    readonly orgName: string
    readonly target: string
    readonly admitted: string
    readonly rate: string
    readonly ref: string
    readonly indicator: string
    readonly value: string
    /** A count's share of its total. */
    readonly share: string
    readonly onDate: (date: string) => string
    readonly shareOnDate: (date: string) => string
  }
  readonly attainment: {
    readonly total: string
    readonly quota: string
    readonly child: string
    /** A row of an organization merged into the report's (--include-merged). */
    readonly merged: string
    readonly direct: string
    /** The sum of the quotas the organization handed down for the period. */
    readonly subQuotaTotal: string
    readonly chartTitle: string
    readonly chartRate: string
    readonly chartTarget: string
  }
  readonly blankVillages: {
    readonly villages: string
    readonly withOrganization: string
    readonly withoutOrganization: string
    readonly withoutMembers: string
    readonly clearedCount: string
    readonly newlyBlankCount: string
    readonly blankList: string
    readonly clearedList: string
    readonly newlyBlankList: string
    readonly chartTitle: string
    readonly chartDate: string
    readonly chartBlank: string
  }
  readonly roll: {
    readonly members: string
    readonly official: string
    readonly probationary: string
    readonly female: string
    readonly ethnicMinority: string
    readonly under30: string
    readonly byOccupation: (occupation: string) => string
    readonly byReligion: (religion: string) => string
    /** A profile naming no religion, and no profile recorded. */
    readonly noReligion: string
    readonly noProfile: string
    /** With a period: the column of the roll on the date, and the one of the members admitted in the period. */
    readonly onDate: string
    readonly admittedInPeriod: string
  }
  /** Occupation values of the event catalog, and `unknown` for members without a profile. */
  readonly occupation: Readonly<Record<string, string>>
  readonly funnel: {
    readonly nominated: string
    readonly trained: string
    readonly verified: string
    readonly cellApproved: string
    readonly decided: string
    readonly admitted: string
    readonly confirmed: string
    readonly closed: string
    readonly overdueCount: string
    readonly overdueList: string
    /** Persons past each other deadline: count and list. */
    readonly overdueDecisionCount: string
    readonly overdueCeremonyCount: string
    readonly overdueCertificateCount: string
    readonly overdueDecisionList: string
    readonly overdueCeremonyList: string
    readonly overdueCertificateList: string
    /** From one step to the next, by the steps' labels. */
    readonly conversion: (from: string, to: string) => string
    readonly medianDays: (from: string, to: string) => string
  }
  readonly training: { readonly classes: string; readonly trainees: string }
  readonly villageHeads: {
    readonly villagesWithHead: string
    readonly headsWhoAreMembers: string
    readonly share: string
    readonly target: string
    readonly targetSetBy: string
    readonly met: string
  }
  /** Yes and no, for a condition that holds or not. */
  readonly yes: string
  readonly no: string
  readonly coverage: {
    readonly units: string
    readonly withOrganization: string
    readonly withoutOrganization: string
  }
  readonly organizations: {
    /** The first column: an organization, or what a summary row counts. */
    readonly label: string
    readonly total: string
    readonly byForm: (form: string) => string
    readonly byUnitKind: (kind: string) => string
    readonly form: string
    readonly unitKind: string
    readonly grassroots: string
    readonly cells: string
    readonly members: string
  }
  /** Forms of a grassroots organization. */
  readonly form: Readonly<Record<string, string>>
  /** Kinds of unit of the event catalog, and `none` for an organization without a unit. */
  readonly unitKind: Readonly<Record<string, string>>
  readonly ratings: {
    readonly label: string
    readonly rated: string
    readonly rating: string
    readonly organizations: string
    readonly share: string
    readonly rate: string
  }
  /** Ratings of the event catalog (xếp loại). */
  readonly rating: Readonly<Record<string, string>>
  /** Printed in place of an empty list. */
  readonly none: string
  /** Footer of printed reports. */
  readonly generatedBy: string
}

const vi: Messages = {
  title: {
    attainment: 'Kết quả thực hiện chỉ tiêu kết nạp đảng viên',
    'blank-villages': 'Thôn, bản chưa có đảng viên (thôn, bản “trắng”)',
    roll: 'Số lượng đảng viên',
    funnel: 'Tiến độ các bước phát triển đảng viên',
    training: 'Lớp bồi dưỡng nhận thức về Đảng',
    'village-heads': 'Trưởng thôn, bản là đảng viên',
    coverage: 'Đơn vị cơ sở có tổ chức cơ sở đảng',
    organizations: 'Tổ chức cơ sở đảng',
    ratings: 'Đánh giá, xếp loại tổ chức đảng',
  },
  sheet: {
    attainment: 'Chỉ tiêu kết nạp',
    'blank-villages': 'Thôn trắng',
    roll: 'Đảng viên',
    funnel: 'Tiến độ',
    training: 'Bồi dưỡng',
    'village-heads': 'Trưởng thôn',
    coverage: 'Tổ chức cơ sở',
    organizations: 'TCCSĐ',
    ratings: 'Xếp loại',
  },
  meta: {
    organization: 'Đơn vị',
    period: 'Kỳ',
    occupation: 'Đối tượng',
    asOf: 'Số liệu đến ngày',
    knownAt: 'Dữ liệu ghi nhận đến',
    knownAtAll: 'toàn bộ dữ liệu đã ghi nhận',
    since: 'So với ngày',
    checkpoint: 'Tính trên nhật ký đã công bố',
    events: 'sự kiện',
    merged: 'Gồm cả tổ chức đã hợp nhất vào',
    mergedBefore: 'trước',
    mergedNone: 'không có',
    log: 'Theo nhật ký',
    logPosition: 'vị trí',
    logHash: 'mã băm',
  },
  exceeded: 'vượt',
  column: {
    kind: 'Loại',
    orgId: 'Mã tổ chức',
    orgName: 'Tổ chức',
    target: 'Chỉ tiêu',
    admitted: 'Đã kết nạp',
    rate: 'Tỷ lệ đạt',
    ref: 'Văn bản',
    indicator: 'Chỉ số',
    value: 'Giá trị',
    share: 'Tỷ lệ',
    onDate: (date) => `Ngày ${date}`,
    shareOnDate: (date) => `Tỷ lệ ngày ${date}`,
  },
  attainment: {
    total: 'Tổng',
    quota: 'Chỉ tiêu được giao',
    child: 'Tổ chức trực thuộc',
    merged: 'Tổ chức đã hợp nhất',
    direct: 'Kết nạp trực tiếp',
    subQuotaTotal: 'Tổng giao cấp dưới',
    chartTitle: 'Tỷ lệ đạt chỉ tiêu theo tổ chức trực thuộc',
    chartRate: 'Tỷ lệ đạt',
    chartTarget: 'Chỉ tiêu (100 %)',
  },
  blankVillages: {
    villages: 'Tổng số thôn, bản',
    withOrganization: 'Có tổ chức đảng',
    withoutOrganization: 'Chưa có tổ chức đảng',
    withoutMembers: 'Chưa có đảng viên (thôn, bản “trắng”)',
    clearedCount: 'Số thôn, bản đã xoá “trắng”',
    newlyBlankCount: 'Số thôn, bản mới “trắng”',
    blankList: 'Thôn, bản “trắng”',
    clearedList: 'Đã xoá “trắng”',
    newlyBlankList: 'Mới “trắng”',
    chartTitle: 'Số thôn, bản “trắng” đảng viên theo thời gian',
    chartDate: 'Ngày',
    chartBlank: 'Thôn, bản “trắng”',
  },
  roll: {
    members: 'Tổng số đảng viên',
    official: 'Đảng viên chính thức',
    probationary: 'Đảng viên dự bị',
    female: 'Nữ',
    ethnicMinority: 'Dân tộc thiểu số',
    under30: 'Dưới 30 tuổi',
    byOccupation: (o) => `Nghề nghiệp: ${o}`,
    byReligion: (r) => `Tôn giáo: ${r}`,
    noReligion: 'không',
    noProfile: 'chưa có lý lịch',
    onDate: 'Đến ngày',
    admittedInPeriod: 'Kết nạp trong kỳ',
  },
  occupation: {
    student: 'học sinh, sinh viên',
    'private-sector-worker': 'công nhân, lao động khu vực tư nhân',
    'public-servant': 'cán bộ, công chức, viên chức',
    'armed-forces': 'lực lượng vũ trang',
    farmer: 'nông dân',
    other: 'khác',
    unknown: 'chưa có lý lịch',
  },
  funnel: {
    nominated: 'Được giới thiệu',
    trained: 'Đã học lớp bồi dưỡng',
    verified: 'Đã thẩm tra lý lịch (đạt)',
    cellApproved: 'Chi bộ đề nghị kết nạp',
    decided: 'Có quyết định kết nạp',
    admitted: 'Đã kết nạp',
    confirmed: 'Công nhận đảng viên chính thức',
    closed: 'Dừng xem xét',
    overdueCount: 'Dự bị quá hạn chưa công nhận',
    overdueList: 'Đảng viên dự bị quá hạn',
    overdueDecisionCount: 'Quá hạn ra quyết định kết nạp',
    overdueCeremonyCount: 'Quá hạn tổ chức lễ kết nạp',
    overdueCertificateCount: 'Giấy chứng nhận bồi dưỡng hết hạn',
    overdueDecisionList: 'Quá hạn ra quyết định kết nạp',
    overdueCeremonyList: 'Quá hạn tổ chức lễ kết nạp',
    overdueCertificateList: 'Giấy chứng nhận bồi dưỡng hết hạn',
    conversion: (from, to) => `Tỷ lệ chuyển bước: ${from} → ${to}`,
    medianDays: (from, to) => `Số ngày làm việc (trung vị): ${from} → ${to}`,
  },
  training: { classes: 'Số lớp', trainees: 'Số học viên' },
  villageHeads: {
    villagesWithHead: 'Thôn, bản có trưởng thôn',
    headsWhoAreMembers: 'Trưởng thôn là đảng viên',
    share: 'Tỷ lệ',
    target: 'Mục tiêu',
    targetSetBy: 'Mục tiêu theo',
    met: 'Đạt mục tiêu',
  },
  yes: 'có',
  no: 'không',
  coverage: {
    units: 'Tổng số đơn vị cơ sở',
    withOrganization: 'Có tổ chức cơ sở đảng',
    withoutOrganization: 'Chưa có tổ chức cơ sở đảng',
  },
  organizations: {
    label: 'Tổ chức',
    total: 'Tổng số TCCSĐ',
    byForm: (f) => `Là ${f}`,
    byUnitKind: (k) => `Đơn vị: ${k}`,
    form: 'Hình thức',
    unitKind: 'Loại đơn vị',
    grassroots: 'Số TCCSĐ',
    cells: 'Chi bộ trực thuộc',
    members: 'Đảng viên',
  },
  form: { committee: 'đảng bộ cơ sở', cell: 'chi bộ cơ sở' },
  unitKind: {
    commune: 'xã, phường, thị trấn',
    agency: 'cơ quan, đơn vị sự nghiệp',
    school: 'trường học',
    enterprise: 'doanh nghiệp',
    'armed-forces': 'lực lượng vũ trang',
    other: 'loại hình khác',
    none: 'không gắn đơn vị',
  },
  ratings: {
    label: 'Xếp loại, tổ chức',
    rated: 'Tổ chức được xếp loại',
    rating: 'Xếp loại',
    organizations: 'Số tổ chức',
    share: 'Tỷ lệ',
    rate: 'Tỷ lệ đạt chỉ tiêu kết nạp',
  },
  rating: {
    excellent: 'hoàn thành xuất sắc nhiệm vụ',
    good: 'hoàn thành tốt nhiệm vụ',
    fulfilled: 'hoàn thành nhiệm vụ',
    'not-fulfilled': 'không hoàn thành nhiệm vụ',
  },
  none: 'không có',
  generatedBy: 'Lập bằng ketnap',
}

const en: Messages = {
  title: {
    attainment: 'Admissions quota attainment',
    'blank-villages': 'Villages without party members (“blank” villages)',
    roll: 'Party members on the roll',
    funnel: 'Party member development pipeline',
    training: 'Party awareness classes',
    'village-heads': 'Village heads who are party members',
    coverage: 'Grassroots units with a grassroots party organization',
    organizations: 'Grassroots party organizations',
    ratings: 'Ratings of party organizations',
  },
  sheet: {
    attainment: 'Attainment',
    'blank-villages': 'Blank villages',
    roll: 'Roll',
    funnel: 'Pipeline',
    training: 'Training',
    'village-heads': 'Village heads',
    coverage: 'Coverage',
    organizations: 'Organizations',
    ratings: 'Ratings',
  },
  meta: {
    organization: 'Organization',
    period: 'Period',
    occupation: 'Occupation',
    asOf: 'As of',
    knownAt: 'Known at',
    knownAtAll: 'everything recorded',
    since: 'Compared with',
    checkpoint: 'Computed on the published log',
    events: 'events',
    merged: 'Including organizations merged into it',
    mergedBefore: 'before',
    mergedNone: 'none',
    log: 'Reflects the log',
    logPosition: 'position',
    logHash: 'hash',
  },
  exceeded: 'exceeded',
  column: {
    kind: 'Kind',
    orgId: 'Organization id',
    orgName: 'Organization',
    target: 'Quota',
    admitted: 'Admitted',
    rate: 'Attainment',
    ref: 'Reference',
    indicator: 'Indicator',
    value: 'Value',
    share: 'Share',
    onDate: (date) => `On ${date}`,
    shareOnDate: (date) => `Share on ${date}`,
  },
  attainment: {
    total: 'Total',
    quota: 'Quota assigned',
    child: 'Child organization',
    merged: 'Merged organization',
    direct: 'Admitted directly',
    subQuotaTotal: 'Sub-quotas total',
    chartTitle: 'Attainment by child organization',
    chartRate: 'Attainment',
    chartTarget: 'Quota (100%)',
  },
  blankVillages: {
    villages: 'Villages',
    withOrganization: 'With a party organization',
    withoutOrganization: 'Without a party organization',
    withoutMembers: 'Without party members (“blank”)',
    clearedCount: 'Villages no longer blank',
    newlyBlankCount: 'Villages newly blank',
    blankList: 'Blank villages',
    clearedList: 'No longer blank',
    newlyBlankList: 'Newly blank',
    chartTitle: 'Blank villages over time',
    chartDate: 'Date',
    chartBlank: 'Blank villages',
  },
  roll: {
    members: 'Members',
    official: 'Official members',
    probationary: 'Probationary members',
    female: 'Women',
    ethnicMinority: 'Ethnic minorities',
    under30: 'Under 30',
    byOccupation: (o) => `Occupation: ${o}`,
    byReligion: (r) => `Religion: ${r}`,
    noReligion: 'none',
    noProfile: 'no profile recorded',
    onDate: 'On the date',
    admittedInPeriod: 'Admitted in the period',
  },
  occupation: {
    student: 'students',
    'private-sector-worker': 'private-sector workers',
    'public-servant': 'public servants',
    'armed-forces': 'armed forces',
    farmer: 'farmers',
    other: 'other',
    unknown: 'no profile recorded',
  },
  funnel: {
    nominated: 'Nominated',
    trained: 'Trained',
    verified: 'Verified (cleared)',
    cellApproved: 'Approved by the cell',
    decided: 'Admission decided',
    admitted: 'Admitted',
    confirmed: 'Confirmed as official members',
    closed: 'Closed',
    overdueCount: 'Probationary members overdue',
    overdueList: 'Overdue probationary members',
    overdueDecisionCount: 'Admission decision overdue',
    overdueCeremonyCount: 'Admission ceremony overdue',
    overdueCertificateCount: 'Class certificate expired',
    overdueDecisionList: 'Admission decision overdue',
    overdueCeremonyList: 'Admission ceremony overdue',
    overdueCertificateList: 'Class certificate expired',
    conversion: (from, to) => `Conversion: ${from} → ${to}`,
    medianDays: (from, to) => `Median working days: ${from} → ${to}`,
  },
  training: { classes: 'Classes', trainees: 'Trainees' },
  villageHeads: {
    villagesWithHead: 'Villages with a head',
    headsWhoAreMembers: 'Heads who are members',
    share: 'Share',
    target: 'Target',
    targetSetBy: 'Target set by',
    met: 'Target met',
  },
  yes: 'yes',
  no: 'no',
  coverage: {
    units: 'Grassroots units',
    withOrganization: 'With a grassroots party organization',
    withoutOrganization: 'Without a grassroots party organization',
  },
  organizations: {
    label: 'Organization',
    total: 'All grassroots',
    byForm: (f) => `${f}s`,
    byUnitKind: (k) => `Unit: ${k}`,
    form: 'Form',
    unitKind: 'Kind of unit',
    grassroots: 'Grassroots',
    cells: 'Cells under them',
    members: 'Members',
  },
  form: { committee: 'committee', cell: 'grassroots cell' },
  unitKind: {
    commune: 'commune',
    agency: 'agency',
    school: 'school',
    enterprise: 'enterprise',
    'armed-forces': 'armed forces',
    other: 'other',
    none: 'no unit',
  },
  ratings: {
    label: 'Rating, organization',
    rated: 'Organizations rated',
    rating: 'Rating',
    organizations: 'Organizations',
    share: 'Share',
    rate: 'Quota attainment',
  },
  rating: {
    excellent: 'excellent',
    good: 'good',
    fulfilled: 'fulfilled',
    'not-fulfilled': 'not fulfilled',
  },
  none: 'none',
  generatedBy: 'Made with ketnap',
}

/** The catalog: one set of labels per language. */
export const messages: Readonly<Record<Lang, Messages>> = { vi, en }
