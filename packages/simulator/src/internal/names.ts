/**
 * Vietnamese-like place names from a few syllables: enough variety to read a report, no real data.
 * @internal
 */
import type { Random } from './random'

const SYLLABLES: ReadonlyArray<string> = [
  'An',
  'Bình',
  'Hòa',
  'Phú',
  'Tân',
  'Thạnh',
  'Long',
  'Hưng',
  'Đông',
  'Tây',
  'Nam',
  'Bắc',
  'Trung',
  'Sơn',
  'Hà',
  'Minh',
  'Quang',
  'Thành',
  'Xuân',
  'Thịnh',
  'Phúc',
  'Lộc',
  'Tiến',
  'Hải',
  'Vĩnh',
  'Mỹ',
  'Đức',
  'Nghĩa',
  'Cẩm',
  'Kim',
  'Ngọc',
  'Lâm',
  'Thủy',
  'Tường',
  'Yên',
  'Định',
  'Lạc',
  'Thái',
  'Hợp',
  'Đồng',
  'Cát',
  'Mường',
  'Na',
  'Pác',
  'Khánh',
  'Thuận',
  'Lợi',
  'Hiệp',
  'Quý',
  'Trà',
]

/**
 * Draws a place name and returns its code (two syllable indexes in one number below 2,500), so that
 * the several hundred thousand places of a national run are kept as numbers and spelled out only
 * when written. @internal
 */
export const placeCode = (rnd: Random): number =>
  rnd.int(SYLLABLES.length) * SYLLABLES.length + rnd.int(SYLLABLES.length)

/** The place name of a code from `placeCode`, two syllables, e.g. "Tân Phúc". @internal */
export const placeName = (code: number): string =>
  `${SYLLABLES[Math.floor(code / SYLLABLES.length)] ?? ''} ${SYLLABLES[code % SYLLABLES.length] ?? ''}`

/** Names of ethnic minorities (dân tộc thiểu số) the profiles draw from. @internal */
export const ETHNICITIES: ReadonlyArray<string> = [
  'Tày',
  'Thái',
  'Mường',
  'Khmer',
  'Mông',
  'Nùng',
  'Dao',
  'Gia Rai',
  'Ê Đê',
  'Ba Na',
  'Sán Chay',
  'Chăm',
]

/** Religions (tôn giáo) the profiles draw from. @internal */
export const RELIGIONS: ReadonlyArray<string> = ['Phật giáo', 'Công giáo', 'Tin lành', 'Cao Đài', 'Hòa Hảo']

/** What an agency-like unit is called, by kind. @internal */
export const UNIT_PREFIX = {
  agency: 'Cơ quan',
  enterprise: 'Công ty',
  school: 'Trường THPT',
  'armed-forces': 'Ban Chỉ huy Quân sự',
  other: 'Hợp tác xã',
} as const
