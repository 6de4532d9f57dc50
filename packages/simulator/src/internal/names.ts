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

/** Two syllables, e.g. "Tân Phúc". @internal */
export const placeName = (rnd: Random): string => `${rnd.pick(SYLLABLES)} ${rnd.pick(SYLLABLES)}`

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
