/**
 * The geography and the hierarchy of a scale: provinces, district-level organizations, communes with
 * their grassroots committees, villages with their cells, and agencies with their grassroots
 * organizations and cells. Kept as small records (a national run has about 350,000 organizations);
 * the registration events are written from them.
 * @internal
 */
import type { OrgLevel, UnitKind } from '@ketnap/core'
import type { Scale } from '../scales'
import { placeName, UNIT_PREFIX } from './names'
import { NATIONAL_PROVINCES, SAMPLE_PROVINCE, type ProvinceSeed } from './provinces'
import type { Random } from './random'

/** An organization (tổ chức đảng) as the simulation tracks it. @internal */
export interface Org {
  readonly index: number
  readonly id: string
  readonly name: string
  readonly level: OrgLevel
  /** The parent's index, -1 for none; changes in the 2025 reorganization. */
  parent: number
  /** A cell's grassroots organization; a grassroots organization's own index; -1 above. */
  grassroots: number
  /** The district-level organization it was registered under (-1 above that level). */
  readonly district: number
  /** The province it was registered under (its own index for a province). */
  readonly province: number
  /** The unit a grassroots organization sits in, -1 otherwise. */
  unit: number
  /** The village a village cell covers, -1 otherwise. */
  readonly village: number
  /** Members' headcount is held here (cells and grassroots cells): its index among holders, else -1. */
  readonly holder: number
  /** A grassroots committee with cells under it: admissions also go through its vote. */
  readonly committee: boolean
  active: boolean
}

/** A unit (đơn vị: a commune, an agency...). @internal */
export interface Unit {
  readonly index: number
  readonly id: string
  readonly name: string
  readonly kind: UnitKind
  /** The organization the unit falls under (UnitRegistered/UnitMoved orgId). */
  org: number
  active: boolean
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
  /** Units of other kinds and their grassroots organizations. */
  readonly agencies: ReadonlyArray<{ readonly unit: number; readonly grassroots: number }>
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
  readonly orgs: Org[]
  readonly units: Unit[]
  readonly villageIds: string[]
  readonly villageNames: string[]
  /** The unit of each village (as registered). */
  readonly villageUnit: Int32Array
  /** The cell covering each village, -1 when none. */
  readonly villageCell: Int32Array
  readonly provinces: ReadonlyArray<Province>
  /** Org indexes of the organizations that hold members, by holder index. */
  readonly holders: ReadonlyArray<number>
}

const KINDS: ReadonlyArray<Exclude<UnitKind, 'commune'>> = [
  'agency',
  'agency',
  'enterprise',
  'enterprise',
  'school',
  'armed-forces',
  'other',
]

const two = (n: number): string => String(n).padStart(2, '0')

/** Builds the structure of `scale` (the villages' cells share of 90 %, agencies' forms drawn). @internal */
export const buildGeography = (scale: Scale, rnd: Random): Geography => {
  const orgs: Org[] = []
  const units: Unit[] = []
  const villageIds: string[] = []
  const villageNames: string[] = []
  const villageUnitList: number[] = []
  const villageCellList: number[] = []
  const holders: number[] = []

  const addOrg = (f: Omit<Org, 'index' | 'holder' | 'active'> & { readonly holds: boolean }): number => {
    const index = orgs.length
    // Spelled out: a spread would leave 200,000 records in V8's slow dictionary mode, 3 times larger.
    orgs.push({
      index,
      id: f.id,
      name: f.name,
      level: f.level,
      parent: f.parent,
      grassroots: f.grassroots,
      district: f.district,
      province: f.province,
      unit: f.unit,
      village: f.village,
      holder: f.holds ? holders.length : -1,
      committee: f.committee,
      active: true,
    })
    if (f.holds) holders.push(index)
    return index
  }
  const addUnit = (id: string, name: string, kind: UnitKind, org: number): number => {
    units.push({ index: units.length, id, name, kind, org, active: true })
    return units.length - 1
  }

  const central =
    scale.provinces > 1
      ? addOrg({
          id: 'tw',
          name: 'Ban Chấp hành Trung ương Đảng',
          level: 'central',
          parent: -1,
          grassroots: -1,
          district: -1,
          province: -1,
          unit: -1,
          village: -1,
          committee: false,
          holds: false,
        })
      : -1

  const seeds =
    scale.provinces > 1 ? NATIONAL_PROVINCES.slice(0, scale.provinces) : [SAMPLE_PROVINCE(scale.districts)]
  const provinceOrgOfSlug = new Map<string, number>()
  const provinces: Province[] = []
  for (const seed of seeds) {
    const provinceIndex = orgs.length
    const province = addOrg({
      id: `tu-${seed.slug}`,
      name: `Đảng bộ ${seed.name.replace('Tỉnh', 'tỉnh').replace('Thành phố', 'thành phố')}`,
      level: 'province',
      parent: central,
      grassroots: -1,
      district: -1,
      province: provinceIndex,
      unit: -1,
      village: -1,
      committee: false,
      holds: false,
    })
    provinceOrgOfSlug.set(seed.slug, province)
    const holderFrom = holders.length
    const districts: District[] = []
    for (let d = 0; d < seed.districts; d++) {
      const code = `${seed.slug}-h${two(d + 1)}`
      const districtName = placeName(rnd)
      const district = addOrg({
        id: `hu-${code}`,
        name: `Đảng bộ huyện ${districtName}`,
        level: 'district',
        parent: province,
        grassroots: -1,
        district: -1,
        province,
        unit: -1,
        village: -1,
        committee: false,
        holds: false,
      })
      const villageFrom = villageIds.length
      const communes: Commune[] = []
      for (let c = 0; c < scale.communes; c++) {
        const unitCode = `${code}-x${two(c + 1)}`
        const communeName = placeName(rnd)
        const unit = addUnit(unitCode, `Xã ${communeName}`, 'commune', district)
        const grassroots = addOrg({
          id: `du-${unitCode}`,
          name: `Đảng bộ xã ${communeName}`,
          level: 'grassroots',
          parent: district,
          grassroots: -1,
          district,
          province,
          unit,
          village: -1,
          committee: true,
          holds: false,
        })
        const g = orgs[grassroots]
        if (g !== undefined) g.grassroots = grassroots
        const cells: number[] = []
        const villages = Math.max(2, scale.villages + rnd.between(-2, 2))
        for (let v = 0; v < villages; v++) {
          const village = villageIds.length
          const villageName = placeName(rnd)
          villageIds.push(`${unitCode}-t${two(v + 1)}`)
          villageNames.push(`Thôn ${villageName}`)
          villageUnitList.push(unit)
          if (rnd.chance(0.9)) {
            const cell = addOrg({
              id: `cb-${unitCode}-t${two(v + 1)}`,
              name: `Chi bộ thôn ${villageName}`,
              level: 'cell',
              parent: grassroots,
              grassroots,
              district,
              province,
              unit: -1,
              village,
              committee: false,
              holds: true,
            })
            cells.push(cell)
            villageCellList.push(cell)
          } else villageCellList.push(-1)
        }
        communes.push({ unit, grassroots, cells })
      }
      const agencies: Array<{ unit: number; grassroots: number }> = []
      for (let a = 0; a < scale.agencies; a++) {
        const unitCode = `${code}-cq${two(a + 1)}`
        const kind = rnd.pick(KINDS)
        const unitName = `${UNIT_PREFIX[kind]} ${placeName(rnd)}`
        const unit = addUnit(unitCode, unitName, kind, district)
        // Two in five agencies have a grassroots cell (chi bộ cơ sở); the others a committee with cells.
        const cellCount = rnd.chance(0.4) ? 0 : rnd.between(2, 6)
        const grassroots = addOrg({
          id: `co-${unitCode}`,
          name: cellCount === 0 ? `Chi bộ ${unitName}` : `Đảng bộ ${unitName}`,
          level: 'grassroots',
          parent: district,
          grassroots: -1,
          district,
          province,
          unit,
          village: -1,
          committee: cellCount > 0,
          holds: cellCount === 0,
        })
        const g = orgs[grassroots]
        if (g !== undefined) g.grassroots = grassroots
        for (let k = 0; k < cellCount; k++) {
          addOrg({
            id: `cb-${unitCode}-${k + 1}`,
            name: `Chi bộ ${k + 1}, ${unitName}`,
            level: 'cell',
            parent: grassroots,
            grassroots,
            district,
            province,
            unit: -1,
            village: -1,
            committee: false,
            holds: true,
          })
        }
        agencies.push({ unit, grassroots })
      }
      districts.push({ org: district, communes, agencies, villageFrom, villageTo: villageIds.length })
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
  return {
    central,
    orgs,
    units,
    villageIds,
    villageNames,
    villageUnit: Int32Array.from(villageUnitList),
    villageCell: Int32Array.from(villageCellList),
    provinces,
    holders,
  }
}
