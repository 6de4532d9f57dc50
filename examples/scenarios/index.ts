/**
 * The seed scenarios of SCENARIOS.md, in demo order.
 *
 * Demo order (the order `ketnap demo` loads them into one store): Điện Biên 2016, Hải Phòng (Dương
 * Kinh) 2018, Bạc Liêu 2021, Kon Tum 2021, Lào Cai 2022. Each scenario records its events in its own
 * window of the record clock, after the previous one's last record, so that their concatenation in
 * this order is a valid log: `recordedAt` never runs backwards, and every id (events, organizations,
 * units, villages, persons) carries the scenario's prefix (db16, hp18, bl21, kt21, lc22).
 */
import { bacLieu2021 } from './bacLieu2021'
import { dienBien2016 } from './dienBien2016'
import { haiPhongDuongKinh2018 } from './haiPhongDuongKinh2018'
import { konTum2021 } from './konTum2021'
import { laoCai2022 } from './laoCai2022'
import type { Figure, ImportLine, Scenario } from './types'

export type { Figure, FigureContext, ImportLine, Scenario, ScenarioReport } from './types'
export { bacLieu2021, dienBien2016, haiPhongDuongKinh2018, konTum2021, laoCai2022 }

/** Every seed scenario, in demo order. */
export const scenarios: ReadonlyArray<Scenario> = [
  dienBien2016,
  haiPhongDuongKinh2018,
  bacLieu2021,
  konTum2021,
  laoCai2022,
]

/** The demo log: every scenario's lines, concatenated in demo order. */
export const demoLog = (): ReadonlyArray<ImportLine> => scenarios.flatMap((s) => s.build())

/** An import line as one line of JSON Lines text. */
export const toJsonLine = (line: ImportLine): string => JSON.stringify(line)

/**
 * The values a figure states, as the reports print them in Vietnamese: every number of its expected
 * text (1.873, 93,65 %, 8), thousands with a dot, decimals with a comma, a percentage with its sign.
 */
export const figureValues = (figure: Figure): ReadonlyArray<string> =>
  figure.expected.match(/\d{1,3}(?:\.\d{3})*(?:,\d+)?(?: %)?/g) ?? []

/**
 * The values of `figures` that `text` (the reports of a scenario, rendered in Vietnamese) does not
 * print, each with its figure's label: a value counts as printed where it stands as a whole number
 * (not inside a longer one).
 */
export const valuesNotShown = (figures: ReadonlyArray<Figure>, text: string): ReadonlyArray<string> =>
  figures.flatMap((f) =>
    figureValues(f)
      .filter((v) => !new RegExp(`(^|[^\\d.,])${v.replace(/[.]/g, '\\.')}(?![\\d]|[.,]\\d)`, 'm').test(text))
      .map((v) => `${f.label}: ${v}`),
  )
