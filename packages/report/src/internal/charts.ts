/**
 * @internal
 * Charts as inline SVG: a Vega-Lite spec compiled with vega-lite, rendered headless by vega's View
 * (`renderer: 'none'`, then `toSVG()`), so the HTML needs no script and no network to show them.
 */
import type { AttainmentReport } from '@ketnap/core'
import type { Config, TopLevelSpec } from 'vega-lite'
import { formatAttainment, formatDate, formatNumber } from '../format'
import { messages, type Lang } from '../messages'

/** @internal The Vega-Lite name of the attainment bars: their SVG group has class `attainment_bars_marks`. */
export const ATTAINMENT_BARS = 'attainment_bars'
/** @internal The Vega-Lite name of the blank-villages line. */
export const BLANK_LINE = 'blank_villages_line'

/** @internal A point of the blank-villages series. */
export interface BlankVillagePoint {
  readonly date: string
  readonly blank: number
}

const FONT = '"DejaVu Sans", "Noto Sans", Arial, sans-serif'

/** d3-format locales: the axis labels follow the language (vi `50 %`, `1.000`). */
interface NumberLocale {
  decimal: string
  thousands: string
  grouping: Array<number>
  currency: [string, string]
  percent?: string
}
const LOCALE: Readonly<Record<Lang, NumberLocale>> = {
  vi: { decimal: ',', thousands: '.', grouping: [3], currency: ['', ' ₫'], percent: ' %' },
  en: { decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''] },
}

const config = (lang: Lang): Config => ({
  font: FONT,
  locale: { number: LOCALE[lang] },
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 13, anchor: 'start' },
})

/** @internal Attainment by child organization: one bar per child with a quota, against a rule at 100 %. */
export const attainmentSpec = (r: AttainmentReport, lang: Lang): TopLevelSpec | null => {
  const m = messages[lang].attainment
  const values = r.rows
    .filter((row) => row.rate !== null)
    .map((row) => ({
      name: row.orgName,
      rate: row.rate,
      exceeded: (row.rate ?? 0) >= 1,
      label: formatAttainment(row.rate, lang),
    }))
  if (values.length === 0) return null
  const max = Math.max(1.1, ...values.map((v) => (v.rate ?? 0) + 0.15))
  const x = {
    field: 'rate',
    type: 'quantitative' as const,
    title: m.chartRate,
    scale: { domain: [0, max], nice: false },
    axis: { format: '.0%', tickCount: 6 },
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: m.chartTitle,
    width: 430,
    height: { step: 20 },
    data: { values },
    layer: [
      {
        name: ATTAINMENT_BARS,
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'name', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } },
          x,
          color: {
            field: 'exceeded',
            type: 'nominal',
            scale: { domain: [false, true], range: ['#4a7fb5', '#2e8b57'] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#222' },
        encoding: {
          y: { field: 'name', type: 'nominal', sort: null },
          x,
          text: { field: 'label' },
        },
      },
      {
        data: { values: [{ target: 1 }] },
        mark: { type: 'rule', color: '#b22222', strokeWidth: 1.5, strokeDash: [4, 3] },
        encoding: { x: { field: 'target', type: 'quantitative' } },
      },
    ],
    config: config(lang),
  }
}

/** @internal Blank villages over time: a line through the series' points, each labelled. */
export const blankVillagesSpec = (
  series: ReadonlyArray<BlankVillagePoint>,
  lang: Lang,
): TopLevelSpec | null => {
  if (series.length === 0) return null
  const m = messages[lang].blankVillages
  const values = series.map((p) => ({
    date: p.date,
    blank: p.blank,
    label: formatNumber(p.blank, lang),
    dateLabel: formatDate(p.date, lang),
  }))
  const x = {
    field: 'date',
    type: 'temporal' as const,
    title: m.chartDate,
    scale: { type: 'utc' as const },
    axis: { format: lang === 'vi' ? '%d/%m/%Y' : '%Y-%m-%d', labelAngle: -30, tickCount: 6 },
  }
  const y = { field: 'blank', type: 'quantitative' as const, title: m.chartBlank, scale: { zero: true } }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: m.chartTitle,
    width: 520,
    height: 220,
    data: { values },
    layer: [
      { name: BLANK_LINE, mark: { type: 'line', point: true, color: '#4a7fb5' }, encoding: { x, y } },
      {
        mark: { type: 'text', dy: -9, fontSize: 10, color: '#222' },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
    config: config(lang),
  }
}

/** @internal Renders a Vega-Lite spec to an SVG string in Node (vega loaded on first use: it is large). */
export const toSvg = async (spec: TopLevelSpec): Promise<string> => {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')])
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}
