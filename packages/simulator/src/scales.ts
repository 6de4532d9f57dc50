/**
 * The sizes the simulator knows, from one small district to the whole country. Each scale fixes the
 * shape of the geography and the size of the roll; the history then follows the same rates
 * (nominations, drop-out, departures, transfers) at every scale.
 */

/** The name of a scale. */
export type ScaleName = 'tiny' | 'district' | 'province' | 'national'

/** The shape of one scale: how many of each thing, and the measured size of its default history. */
export interface Scale {
  readonly name: ScaleName
  /** What the scale stands for, in one line. */
  readonly description: string
  /** Provinces (tỉnh) in 2016: 1, or the 63 of the country. */
  readonly provinces: number
  /** District-level organizations (huyện ủy) per province; the national scale uses each province's own count. */
  readonly districts: number
  /** Communes (xã, phường, thị trấn) per district. */
  readonly communes: number
  /** Villages (thôn, bản, tổ dân phố) per commune. */
  readonly villages: number
  /** Agencies, enterprises, schools and other units with a grassroots organization, per district. */
  readonly agencies: number
  /** Average members of a village cell (chi bộ thôn) at the start. */
  readonly villageCellMembers: number
  /** Average members of a cell of an agency (chi bộ cơ quan) at the start. */
  readonly agencyCellMembers: number
  /**
   * Lines of the default history (10 years from 2016, seed 1), as measured; the progress of a run is
   * shown against it.
   */
  readonly events: number
}

/** Every scale by name. */
export const SCALES: Readonly<Record<ScaleName, Scale>> = {
  tiny: {
    name: 'tiny',
    description: 'one district of a sample province: a few communes, about 1,600 members',
    provinces: 1,
    districts: 1,
    communes: 5,
    villages: 6,
    agencies: 3,
    villageCellMembers: 50,
    agencyCellMembers: 21,
    events: 10_570,
  },
  district: {
    name: 'district',
    description: 'one large district of a sample province, about 16,000 members',
    provinces: 1,
    districts: 1,
    communes: 30,
    villages: 10,
    agencies: 90,
    villageCellMembers: 44,
    agencyCellMembers: 16,
    events: 99_718,
  },
  province: {
    name: 'province',
    description: 'one large sample province of 12 districts, about 160,000 members',
    provinces: 1,
    districts: 12,
    communes: 22,
    villages: 9,
    agencies: 80,
    villageCellMembers: 48,
    agencyCellMembers: 20,
    events: 978_617,
  },
  national: {
    name: 'national',
    description: 'the 63 provinces of 2016, merged into 34 on 2025-07-01; about 3.1 million members',
    provinces: 63,
    districts: 0,
    communes: 15,
    villages: 8,
    agencies: 60,
    villageCellMembers: 22,
    agencyCellMembers: 12,
    events: 20_371_102,
  },
}

/** The scale names, smallest first. */
export const SCALE_NAMES: ReadonlyArray<ScaleName> = ['tiny', 'district', 'province', 'national']
