/**
 * The figures of a run, each beside the machine's limit it is judged against, and the targets of the
 * issue "National scale, measured" as ratios of the two: what is printed and what is written as JSON.
 */

/** A store the bench measures, or `machine` for the raw limits that no store's code runs in. */
export type Subject = 'memory' | 'sqlite' | 'postgres' | 'machine'

/** The unit of a figure: throughputs (more is better), durations and memory (less is better). */
export type Unit = 'events/s' | 'commands/s' | 'ms' | 'MiB'

/** How a figure compares with its limit for a target to be met. */
export type Direction = 'at-least' | 'at-most'

/** A target: figure ÷ limit must be at least (or at most) `threshold`. */
export interface Target {
  readonly direction: Direction
  readonly threshold: number
  /** The target as the issue states it, e.g. "≥ 0.5× raw chained insert". */
  readonly text: string
}

/** What a figure is compared with: a measured limit, or a fixed bound (1 GiB). */
export interface Limit {
  readonly label: string
  readonly value: number | null
  readonly unit: Unit
}

/** One measured figure. `value` is null when the phase was cut or does not apply; `note` says why. */
export interface Figure {
  readonly subject: Subject
  /** A stable key for the JSON, e.g. `import`, `commands-16`. */
  readonly key: string
  readonly label: string
  readonly value: number | null
  readonly unit: Unit
  readonly limit?: Limit
  readonly target?: Target
  readonly note?: string
}

/** The verdict on a target: met, missed, or unknown when a figure or its limit is missing. */
export type Verdict = 'met' | 'missed' | 'unknown'

/** A figure with its ratio to its limit and the verdict on its target. */
export interface Judged extends Figure {
  readonly ratio: number | null
  readonly verdict: Verdict | null
}

/** figure ÷ limit, or null when either is missing or the limit is zero. */
export const ratioOf = (value: number | null, limit: number | null): number | null =>
  value === null || limit === null || limit === 0 ? null : value / limit

/** Whether a ratio meets a target. */
export const verdictOf = (ratio: number | null, target: Target): Verdict =>
  ratio === null
    ? 'unknown'
    : (target.direction === 'at-least' ? ratio >= target.threshold : ratio <= target.threshold)
      ? 'met'
      : 'missed'

/** A figure judged against its limit and target. */
export const judge = (figure: Figure): Judged => {
  const ratio = figure.limit === undefined ? null : ratioOf(figure.value, figure.limit.value)
  return { ...figure, ratio, verdict: figure.target === undefined ? null : verdictOf(ratio, figure.target) }
}

/** A number as the table prints it: thousands grouped, at most three significant decimals. */
export const formatNumber = (value: number | null, unit?: Unit): string => {
  if (value === null) return '-'
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
  return unit === undefined ? text : `${text} ${unit}`
}

/** A ratio as the table prints it, e.g. `0.42×`. */
export const formatRatio = (ratio: number | null): string =>
  ratio === null ? '-' : `${ratio.toLocaleString('en-US', { maximumFractionDigits: ratio >= 10 ? 1 : 2 })}×`

const pad = (text: string, width: number, right: boolean): string =>
  right ? text.padStart(width) : text.padEnd(width)

/** Rows of text cells as an aligned plain-text table; numeric columns (given by index) align right. */
export const renderTable = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  rightAligned: ReadonlySet<number> = new Set(),
): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: ReadonlyArray<string>): string =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, rightAligned.has(i)))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** The table of a run: every figure beside its limit, the ratio, the target and its verdict. */
export const figuresTable = (figures: ReadonlyArray<Judged>): string =>
  renderTable(
    ['store', 'figure', 'value', 'limit', 'limit value', 'ratio', 'target', 'verdict', 'note'],
    figures.map((f) => [
      f.subject,
      f.label,
      formatNumber(f.value, f.value === null ? undefined : f.unit),
      f.limit?.label ?? '',
      f.limit === undefined ? '' : formatNumber(f.limit.value, f.limit.unit),
      f.limit === undefined ? '' : formatRatio(f.ratio),
      f.target?.text ?? '',
      f.verdict === null ? '' : f.verdict.toUpperCase(),
      f.note ?? '',
    ]),
    new Set([2, 4, 5]),
  )

/** The targets of the issue, by name. */
export const TARGETS = {
  importRate: { direction: 'at-least', threshold: 0.5, text: '≥ 0.5× raw chained insert' },
  rebuildRate: { direction: 'at-least', threshold: 0.5, text: '≥ 0.5× raw copy' },
  peakRss: { direction: 'at-most', threshold: 1, text: '< 1 GiB' },
  freshReport: { direction: 'at-most', threshold: 3, text: '≤ 3× process start' },
  freshImport: { direction: 'at-most', threshold: 3, text: '≤ 3× process start' },
  auditCommand: { direction: 'at-most', threshold: 3, text: '≤ 3× process start' },
  concurrentCommands: { direction: 'at-least', threshold: 3, text: '≥ 3× one caller' },
} as const satisfies Record<string, Target>

/** The fixed bound of the peak-RSS targets. */
export const ONE_GIB: Limit = { label: '1 GiB', value: 1024, unit: 'MiB' }
