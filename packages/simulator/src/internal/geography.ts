/**
 * The geography and the hierarchy of a scale: provinces, district-level organizations, communes with
 * their grassroots committees, villages with their cells, and agencies with their grassroots
 * organizations and cells. A national run has about 230,000 organizations, 53,000 units and 85,000
 * villages, so they are rows of typed-array tables (34 bytes an organization) whose names are
 * kept as place codes: identifiers and names are spelled out only when an event is written, and the
 * heap holds none of them.
 * @internal
 */
import type { OrgLevel, UnitKind } from '@ketnap/core'
import type { Scale } from '../scales'
import { addRow, type Table } from './columns'
import { placeCode, placeName, UNIT_PREFIX } from './names'
import { NATIONAL_PROVINCES, SAMPLE_PROVINCE, type ProvinceSeed } from './provinces'
import type { Random } from './random'

/** What an organization is: it fixes the level, and how the identifier and the name are spelled. @internal */
export const OrgKind = {
  central: 0,
  province: 1,
  district: 2,
  /** A commune's grassroots committee (đảng ủy xã), a merged commune's too. */
  commune: 3,
  /** A village cell (chi bộ thôn). */
  villageCell: 4,
  /** An agency's grassroots organization: a committee with cells, or a grassroots cell (chi bộ cơ sở). */
  agency: 5,
  /** A cell of an agency's committee. */
  agencyCell: 6,
} as const

/** An organization's kind. @internal */
export type OrgKind = (typeof OrgKind)[keyof typeof OrgKind]

const LEVEL_OF_KIND: ReadonlyArray<OrgLevel> = [
  'central',
  'province',
  'district',
  'grassroots',
  'cell',
  'grassroots',
  'cell',
]

/** Bits of `Orgs.flags`. @internal */
export const OrgFlag = {
  /** Not dissolved. */
  active: 1,
  /** A grassroots committee with cells under it: admissions also go through its vote. */
  committee: 2,
} as const

/** The organizations (tổ chức đảng), one row each. @internal */
export interface Orgs extends Table {
  /** An `OrgKind`. */
  kind: Uint8Array
  /** The parent's index, -1 for none; changes in the 2025 reorganization. */
  parent: Int32Array
  /** A cell's grassroots organization; a grassroots organization's own index; -1 above. */
  grassroots: Int32Array
  /** The district-level organization it was registered under (-1 at that level and above). */
  district: Int32Array
  /** The province it was registered under (its own index for a province, -1 for the central committee). */
  province: Int32Array
  /** The unit a grassroots organization sits in, -1 otherwise. */
  unit: Int32Array
  /** The village a village cell covers, -1 otherwise. */
  village: Int32Array
  /** Members' headcount is held here (cells and grassroots cells): its index among holders, else -1. */
  holder: Int32Array
  /** A province's index in `Geography.provinces`, a district's number in its province, an agency cell's in its agency. */
  number: Uint16Array
  /** A district's place name (`placeCode`). */
  place: Uint16Array
  /** `OrgFlag` bits. */
  flags: Uint8Array
}

/** Unit kinds by their code in `Units.kind`. @internal */
export const UNIT_KINDS: ReadonlyArray<UnitKind> = [
  'commune',
  'agency',
  'enterprise',
  'school',
  'armed-forces',
  'other',
]

/** The units (đơn vị: communes, agencies...), one row each. @internal */
export interface Units extends Table {
  /** The kind's index in `UNIT_KINDS`. */
  kind: Uint8Array
  /** The organization the unit falls under (UnitRegistered/UnitMoved orgId). */
  org: Int32Array
  /** The district-level organization whose code its identifier extends; the province for a commune of 2025. */
  home: Int32Array
  /** Its number within its home. */
  number: Uint16Array
  /** Its place name (`placeCode`). */
  place: Uint16Array
}

/** The villages (thôn, bản, tổ dân phố), one row each. @internal */
export interface Villages extends Table {
  /** The unit (commune) it was registered in. */
  unit: Int32Array
  /** The cell covering it, -1 when none. */
  cell: Int32Array
  /** Its number within its commune. */
  number: Uint16Array
  /** Its place name (`placeCode`). */
  place: Uint16Array
}

/** A commune of a district and its grassroots committee and village cells. @internal */
export interface Commune {
  readonly unit: number
  readonly grassroots: number
  readonly cells: ReadonlyArray<number>
}

/** A district-level organization with what falls under it. @internal */
export interface District {
  readonly org: number
  readonly communes: ReadonlyArray<Commune>
  /** The grassroots organizations of units of other kinds (their units are `Orgs.unit`). */
  readonly agencies: ReadonlyArray<number>
  /** The district's villages are indexes [villageFrom, villageTo). */
  readonly villageFrom: number
  readonly villageTo: number
}

/** A province of 2016. @internal */
export interface Province {
  readonly org: number
  readonly seed: ProvinceSeed
  readonly districts: ReadonlyArray<District>
  /** Its holders are indexes [holderFrom, holderTo). */
  readonly holderFrom: number
  readonly holderTo: number
  /** The province it merges into on 2025-07-01 (its own org index when unchanged or a host). */
  readonly host: number
}

/** Everything the simulation knows of the structure. @internal */
export interface Geography {
  /** The central committee (national scale only), else -1. */
  readonly central: number
  readonly orgs: Orgs
  readonly units: Units
  readonly villages: Villages
  readonly provinces: ReadonlyArray<Province>
  /** Org indexes of the organizations that hold members, by holder index. */
  readonly holders: Int32Array
}

/** Empty tables with room for `capacity` rows; they grow when needed. */
const orgsTable = (capacity: number): Orgs => ({
  count: 0,
  kind: new Uint8Array(capacity),
  parent: new Int32Array(capacity),
  grassroots: new Int32Array(capacity),
  district: new Int32Array(capacity),
  province: new Int32Array(capacity),
  unit: new Int32Array(capacity),
  village: new Int32Array(capacity),
  holder: new Int32Array(capacity),
  number: new Uint16Array(capacity),
  place: new Uint16Array(capacity),
  flags: new Uint8Array(capacity),
})

const unitsTable = (capacity: number): Units => ({
  count: 0,
  kind: new Uint8Array(capacity),
  org: new Int32Array(capacity),
  home: new Int32Array(capacity),
  number: new Uint16Array(capacity),
  place: new Uint16Array(capacity),
})

const villagesTable = (capacity: number): Villages => ({
  count: 0,
  unit: new Int32Array(capacity),
  cell: new Int32Array(capacity),
  number: new Uint16Array(capacity),
  place: new Uint16Array(capacity),
})

/**
 * Adds an active organization of `kind` under `parent`, registered in `province` and `district`
 * (-1 for none), and returns its index; its other columns start at none (-1) or zero. @internal
 */
export const addOrg = (
  orgs: Orgs,
  kind: OrgKind,
  parent: number,
  province: number,
  district: number,
): number => {
  const o = addRow(orgs, orgs.kind)
  orgs.kind[o] = kind
  orgs.parent[o] = parent
  orgs.grassroots[o] = -1
  orgs.district[o] = district
  orgs.province[o] = province
  orgs.unit[o] = -1
  orgs.village[o] = -1
  orgs.holder[o] = -1
  orgs.flags[o] = OrgFlag.active
  return o
}

/** Makes organization `o` a grassroots organization sitting in unit `unit`, a committee or not. @internal */
export const seatGrassroots = (orgs: Orgs, o: number, unit: number, committee: boolean): void => {
  orgs.grassroots[o] = o
  orgs.unit[o] = unit
  if (committee) orgs.flags[o] = (orgs.flags[o] ?? 0) | OrgFlag.committee
}

/** Adds a unit of kind `UNIT_KINDS[kind]` under organization `org` and returns its index. @internal */
export const addUnit = (
  units: Units,
  kind: number,
  org: number,
  home: number,
  number: number,
  place: number,
) => {
  const u = addRow(units, units.kind)
  units.kind[u] = kind
  units.org[u] = org
  units.home[u] = home
  units.number[u] = number
  units.place[u] = place
  return u
}

const AGENCY_KINDS: ReadonlyArray<number> = [1, 1, 2, 2, 3, 4, 5]

/** Builds the structure of `scale` (the villages' cells share of 90 %, agencies' forms drawn). @internal */
export const buildGeography = (scale: Scale, rnd: Random): Geography => {
  const seeds =
    scale.provinces > 1 ? NATIONAL_PROVINCES.slice(0, scale.provinces) : [SAMPLE_PROVINCE(scale.districts)]
  const districtCount = seeds.reduce((sum, seed) => sum + seed.districts, 0)
  const communeCount = districtCount * scale.communes
  // Room for the organizations and units of 2016 and for the communes merged in 2025.
  const orgs = orgsTable(
    1 + seeds.length + districtCount * (1 + scale.agencies * 4) + communeCount * (2 + scale.villages),
  )
  const units = unitsTable(districtCount * scale.agencies + communeCount * 2)
  const villages = villagesTable(communeCount * (scale.villages + 2))
  const holders: number[] = []
  const hold = (o: number): number => {
    orgs.holder[o] = holders.length
    holders.push(o)
    return o
  }
  const central = scale.provinces > 1 ? addOrg(orgs, OrgKind.central, -1, -1, -1) : -1

  const provinceOrgOfSlug = new Map<string, number>()
  const provinces: Province[] = []
  for (const seed of seeds) {
    const province = orgs.count
    addOrg(orgs, OrgKind.province, central, province, -1)
    orgs.number[province] = provinces.length
    provinceOrgOfSlug.set(seed.slug, province)
    const holderFrom = holders.length
    const districts: District[] = []
    for (let d = 0; d < seed.districts; d++) {
      const district = addOrg(orgs, OrgKind.district, province, province, -1)
      orgs.number[district] = d + 1
      orgs.place[district] = placeCode(rnd)
      const villageFrom = villages.count
      const communes: Commune[] = []
      for (let c = 0; c < scale.communes; c++) {
        const unit = addUnit(units, 0, district, district, c + 1, placeCode(rnd))
        const grassroots = addOrg(orgs, OrgKind.commune, district, province, district)
        seatGrassroots(orgs, grassroots, unit, true)
        const cells: number[] = []
        const count = Math.max(2, scale.villages + rnd.between(-2, 2))
        for (let v = 0; v < count; v++) {
          const village = addRow(villages, villages.unit)
          villages.unit[village] = unit
          villages.number[village] = v + 1
          villages.place[village] = placeCode(rnd)
          villages.cell[village] = -1
          if (rnd.chance(0.9)) {
            const cell = hold(addOrg(orgs, OrgKind.villageCell, grassroots, province, district))
            orgs.grassroots[cell] = grassroots
            orgs.village[cell] = village
            cells.push(cell)
            villages.cell[village] = cell
          }
        }
        communes.push({ unit, grassroots, cells })
      }
      const agencies: number[] = []
      for (let a = 0; a < scale.agencies; a++) {
        const kind = rnd.pick(AGENCY_KINDS)
        const unit = addUnit(units, kind, district, district, a + 1, placeCode(rnd))
        // Two in five agencies have a grassroots cell (chi bộ cơ sở); the others a committee with cells.
        const cellCount = rnd.chance(0.4) ? 0 : rnd.between(2, 6)
        const grassroots = addOrg(orgs, OrgKind.agency, district, province, district)
        seatGrassroots(orgs, grassroots, unit, cellCount > 0)
        if (cellCount === 0) hold(grassroots)
        for (let k = 0; k < cellCount; k++) {
          const cell = hold(addOrg(orgs, OrgKind.agencyCell, grassroots, province, district))
          orgs.grassroots[cell] = grassroots
          orgs.number[cell] = k + 1
        }
        agencies.push(grassroots)
      }
      districts.push({ org: district, communes, agencies, villageFrom, villageTo: villages.count })
    }
    provinces.push({
      org: province,
      seed,
      districts,
      holderFrom,
      holderTo: holders.length,
      host: provinceOrgOfSlug.get(seed.host) ?? province,
    })
  }
  return { central, orgs, units, villages, provinces, holders: Int32Array.from(holders) }
}

// ----- identifiers and names, spelled out when written ------------------------------------------

const TWO_DIGITS: ReadonlyArray<string> = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'))
const two = (n: number): string => TWO_DIGITS[n] ?? String(n)

const seedOf = (geo: Geography, province: number): ProvinceSeed | undefined =>
  geo.provinces[geo.orgs.number[province] ?? 0]?.seed

/** `slug-hNN`, the code of a district-level organization that its units' identifiers extend. */
const districtCode = (geo: Geography, district: number): string =>
  `${seedOf(geo, geo.orgs.province[district] ?? 0)?.slug ?? ''}-h${two(geo.orgs.number[district] ?? 0)}`

/** The level of organization `o`. @internal */
export const orgLevel = (geo: Geography, o: number): OrgLevel =>
  LEVEL_OF_KIND[geo.orgs.kind[o] ?? 0] ?? 'cell'

/** True while organization `o` is not dissolved. @internal */
export const isActive = (geo: Geography, o: number): boolean =>
  ((geo.orgs.flags[o] ?? 0) & OrgFlag.active) !== 0

/** The kind of unit `u`. @internal */
export const unitKind = (geo: Geography, u: number): UnitKind => UNIT_KINDS[geo.units.kind[u] ?? 0] ?? 'other'

/** The identifier of unit `u`: `slug-hNN-xNN` (commune), `slug-hNN-cqNN` (agency), `slug-xaN` (commune of 2025). @internal */
export const unitId = (geo: Geography, u: number): string => {
  const { units, orgs } = geo
  const home = units.home[u] ?? 0
  const number = units.number[u] ?? 0
  if (orgs.kind[home] === OrgKind.province) return `${seedOf(geo, home)?.slug ?? ''}-xa${number}`
  return `${districtCode(geo, home)}-${units.kind[u] === 0 ? 'x' : 'cq'}${two(number)}`
}

/** The name of unit `u`, e.g. "Xã Tân Phúc", "Trường THPT An Hòa". @internal */
export const unitName = (geo: Geography, u: number): string => {
  const kind = unitKind(geo, u)
  return `${kind === 'commune' ? 'Xã' : UNIT_PREFIX[kind]} ${placeName(geo.units.place[u] ?? 0)}`
}

/** The identifier of village `v`: its commune's, then `-tNN`. @internal */
export const villageId = (geo: Geography, v: number): string =>
  `${unitId(geo, geo.villages.unit[v] ?? 0)}-t${two(geo.villages.number[v] ?? 0)}`

/** The name of village `v`, e.g. "Thôn Tân Phúc". @internal */
export const villageName = (geo: Geography, v: number): string =>
  `Thôn ${placeName(geo.villages.place[v] ?? 0)}`

/** The identifier of organization `o`: `tw`, `tu-…`, `hu-…`, `du-…`, `co-…`, or `cb-…` for a cell. @internal */
export const orgId = (geo: Geography, o: number): string => {
  const { orgs } = geo
  switch (orgs.kind[o]) {
    case OrgKind.central:
      return 'tw'
    case OrgKind.province:
      return `tu-${seedOf(geo, o)?.slug ?? ''}`
    case OrgKind.district:
      return `hu-${districtCode(geo, o)}`
    case OrgKind.commune:
      return `du-${unitId(geo, orgs.unit[o] ?? 0)}`
    case OrgKind.villageCell:
      return `cb-${villageId(geo, orgs.village[o] ?? 0)}`
    case OrgKind.agency:
      return `co-${unitId(geo, orgs.unit[o] ?? 0)}`
    default:
      return `cb-${unitId(geo, orgs.unit[orgs.grassroots[o] ?? 0] ?? 0)}-${orgs.number[o] ?? 0}`
  }
}

/** The name of organization `o`, e.g. "Đảng bộ xã Tân Phúc", "Chi bộ thôn An Hòa". @internal */
export const orgName = (geo: Geography, o: number): string => {
  const { orgs } = geo
  switch (orgs.kind[o]) {
    case OrgKind.central:
      return 'Ban Chấp hành Trung ương Đảng'
    case OrgKind.province: {
      const name = seedOf(geo, o)?.name ?? ''
      return `Đảng bộ ${name.replace('Tỉnh', 'tỉnh').replace('Thành phố', 'thành phố')}`
    }
    case OrgKind.district:
      return `Đảng bộ huyện ${placeName(orgs.place[o] ?? 0)}`
    case OrgKind.commune:
      return `Đảng bộ xã ${placeName(geo.units.place[orgs.unit[o] ?? 0] ?? 0)}`
    case OrgKind.villageCell:
      return `Chi bộ thôn ${placeName(geo.villages.place[orgs.village[o] ?? 0] ?? 0)}`
    case OrgKind.agency:
      return `${((orgs.flags[o] ?? 0) & OrgFlag.committee) !== 0 ? 'Đảng bộ' : 'Chi bộ'} ${unitName(geo, orgs.unit[o] ?? 0)}`
    default:
      return `Chi bộ ${orgs.number[o] ?? 0}, ${unitName(geo, orgs.unit[orgs.grassroots[o] ?? 0] ?? 0)}`
  }
}
