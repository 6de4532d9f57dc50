/**
 * The 63 provinces and centrally-run cities of 2016 (tỉnh, thành phố trực thuộc trung ương), with a
 * rough number of district-level units and share of ethnic minorities, and the 2025 reorganization:
 * on 1 July 2025, 52 of them merged into 23 and 11 stayed unchanged, 34 in all. A merged province
 * here keeps the identifier and name of the first one listed in its group (its host).
 * @internal
 */

/** A province of 2016. @internal */
export interface ProvinceSeed {
  readonly slug: string
  readonly name: string
  readonly districts: number
  readonly ethnicShare: number
  /** The slug of the province it merges into on 2025-07-01; itself when it is a host or unchanged. */
  readonly host: string
}

type Row = readonly [slug: string, name: string, districts: number, ethnicShare: number]

/** Provinces left unchanged in 2025. */
const UNCHANGED: ReadonlyArray<Row> = [
  ['ha-noi', 'Thành phố Hà Nội', 30, 0.01],
  ['hue', 'Thành phố Huế', 9, 0.04],
  ['lai-chau', 'Tỉnh Lai Châu', 8, 0.85],
  ['dien-bien', 'Tỉnh Điện Biên', 10, 0.81],
  ['son-la', 'Tỉnh Sơn La', 12, 0.83],
  ['lang-son', 'Tỉnh Lạng Sơn', 11, 0.84],
  ['quang-ninh', 'Tỉnh Quảng Ninh', 13, 0.13],
  ['thanh-hoa', 'Tỉnh Thanh Hóa', 26, 0.17],
  ['nghe-an', 'Tỉnh Nghệ An', 21, 0.15],
  ['ha-tinh', 'Tỉnh Hà Tĩnh', 13, 0.01],
  ['cao-bang', 'Tỉnh Cao Bằng', 10, 0.95],
]

/** The 23 groups that merged in 2025, the host first. */
const MERGED: ReadonlyArray<ReadonlyArray<Row>> = [
  [
    ['tuyen-quang', 'Tỉnh Tuyên Quang', 7, 0.53],
    ['ha-giang', 'Tỉnh Hà Giang', 11, 0.87],
  ],
  [
    ['lao-cai', 'Tỉnh Lào Cai', 9, 0.65],
    ['yen-bai', 'Tỉnh Yên Bái', 9, 0.55],
  ],
  [
    ['thai-nguyen', 'Tỉnh Thái Nguyên', 9, 0.28],
    ['bac-kan', 'Tỉnh Bắc Kạn', 8, 0.88],
  ],
  [
    ['phu-tho', 'Tỉnh Phú Thọ', 13, 0.18],
    ['vinh-phuc', 'Tỉnh Vĩnh Phúc', 9, 0.04],
    ['hoa-binh', 'Tỉnh Hòa Bình', 10, 0.73],
  ],
  [
    ['bac-ninh', 'Tỉnh Bắc Ninh', 8, 0.01],
    ['bac-giang', 'Tỉnh Bắc Giang', 10, 0.13],
  ],
  [
    ['hung-yen', 'Tỉnh Hưng Yên', 10, 0.01],
    ['thai-binh', 'Tỉnh Thái Bình', 8, 0.01],
  ],
  [
    ['hai-phong', 'Thành phố Hải Phòng', 15, 0.01],
    ['hai-duong', 'Tỉnh Hải Dương', 12, 0.01],
  ],
  [
    ['ninh-binh', 'Tỉnh Ninh Bình', 8, 0.02],
    ['ha-nam', 'Tỉnh Hà Nam', 6, 0.01],
    ['nam-dinh', 'Tỉnh Nam Định', 10, 0.01],
  ],
  [
    ['quang-tri', 'Tỉnh Quảng Trị', 10, 0.1],
    ['quang-binh', 'Tỉnh Quảng Bình', 8, 0.02],
  ],
  [
    ['da-nang', 'Thành phố Đà Nẵng', 8, 0.01],
    ['quang-nam', 'Tỉnh Quảng Nam', 18, 0.1],
  ],
  [
    ['quang-ngai', 'Tỉnh Quảng Ngãi', 13, 0.14],
    ['kon-tum', 'Tỉnh Kon Tum', 10, 0.54],
  ],
  [
    ['gia-lai', 'Tỉnh Gia Lai', 17, 0.46],
    ['binh-dinh', 'Tỉnh Bình Định', 11, 0.02],
  ],
  [
    ['khanh-hoa', 'Tỉnh Khánh Hòa', 9, 0.06],
    ['ninh-thuan', 'Tỉnh Ninh Thuận', 7, 0.23],
  ],
  [
    ['lam-dong', 'Tỉnh Lâm Đồng', 12, 0.24],
    ['dak-nong', 'Tỉnh Đắk Nông', 8, 0.32],
    ['binh-thuan', 'Tỉnh Bình Thuận', 10, 0.05],
  ],
  [
    ['dak-lak', 'Tỉnh Đắk Lắk', 15, 0.35],
    ['phu-yen', 'Tỉnh Phú Yên', 9, 0.06],
  ],
  [
    ['ho-chi-minh', 'Thành phố Hồ Chí Minh', 22, 0.05],
    ['binh-duong', 'Tỉnh Bình Dương', 9, 0.02],
    ['ba-ria-vung-tau', 'Tỉnh Bà Rịa - Vũng Tàu', 8, 0.03],
  ],
  [
    ['dong-nai', 'Tỉnh Đồng Nai', 11, 0.06],
    ['binh-phuoc', 'Tỉnh Bình Phước', 11, 0.19],
  ],
  [
    ['tay-ninh', 'Tỉnh Tây Ninh', 9, 0.02],
    ['long-an', 'Tỉnh Long An', 15, 0.01],
  ],
  [
    ['can-tho', 'Thành phố Cần Thơ', 9, 0.03],
    ['soc-trang', 'Tỉnh Sóc Trăng', 11, 0.35],
    ['hau-giang', 'Tỉnh Hậu Giang', 8, 0.03],
  ],
  [
    ['vinh-long', 'Tỉnh Vĩnh Long', 8, 0.02],
    ['ben-tre', 'Tỉnh Bến Tre', 9, 0.01],
    ['tra-vinh', 'Tỉnh Trà Vinh', 9, 0.32],
  ],
  [
    ['dong-thap', 'Tỉnh Đồng Tháp', 12, 0.01],
    ['tien-giang', 'Tỉnh Tiền Giang', 11, 0.01],
  ],
  [
    ['ca-mau', 'Tỉnh Cà Mau', 9, 0.03],
    ['bac-lieu', 'Tỉnh Bạc Liêu', 7, 0.1],
  ],
  [
    ['an-giang', 'Tỉnh An Giang', 11, 0.05],
    ['kien-giang', 'Tỉnh Kiên Giang', 15, 0.13],
  ],
]

const seed = ([slug, name, districts, ethnicShare]: Row, host: string): ProvinceSeed => ({
  slug,
  name,
  districts,
  ethnicShare,
  host,
})

/** The 63 provinces of 2016: the 11 unchanged, then each merged group, host first. @internal */
export const NATIONAL_PROVINCES: ReadonlyArray<ProvinceSeed> = [
  ...UNCHANGED.map((row) => seed(row, row[0])),
  ...MERGED.flatMap((group) => group.map((row) => seed(row, group[0]?.[0] ?? row[0]))),
]

/** The one fictional province of the smaller scales. @internal */
export const SAMPLE_PROVINCE = (districts: number): ProvinceSeed => ({
  slug: 'mau',
  name: 'Tỉnh Mẫu',
  districts,
  ethnicShare: 0.3,
  host: 'mau',
})
