/**
 * Identifiers from Vietnamese names: "Xã Sín Thầu" → "sin-thau".
 * @internal
 */

const PREFIXES = /^(xa|phuong|thi tran) /

/** An ASCII slug of a Vietnamese name, without its "Xã", "Phường" or "Thị trấn" prefix. */
export const slug = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/'/g, '')
    .replace(PREFIXES, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

/** The name without its "Xã ", "Phường " or "Thị trấn " prefix. */
export const bareName = (name: string): string => name.replace(/^(Xã|Phường|Thị trấn) /, '')

/** True for an urban commune (phường, thị trấn), whose residential units are tổ dân phố. */
export const isUrban = (name: string): boolean => /^(Phường|Thị trấn) /.test(name)
