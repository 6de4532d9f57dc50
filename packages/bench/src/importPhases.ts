/**
 * The phases of one `ketnap import --timings` run, read from its standard error: the write (every line
 * checked, then committed), whose rate the import's target is judged on, and the read models' catch-up.
 */
import type { ChildRun } from './child'
import { TARGETS, type Figure, type Limit } from './figures'

/** The phases `ketnap import --timings` reports on stderr (null where a line is missing). */
export interface ImportPhases {
  readonly writeMs: number | null
  readonly writeRssMiB: number | null
  readonly readModelsMs: number | null
}

/**
 * Reads the lines of `ketnap import --timings`: `phase write: ... in S s, peak RSS M MiB` and
 * `phase read-models: ... in S s, ...`.
 */
export const importPhases = (stderr: string): ImportPhases => {
  const phase = (name: string): { ms: number; rss: number | null } | null => {
    const m = new RegExp(`^phase ${name}: .* in ([0-9.]+) s(?:, peak RSS ([0-9]+) MiB)?$`, 'm').exec(stderr)
    if (m === null) return null
    return { ms: Math.round(Number(m[1]) * 1000), rss: m[2] === undefined ? null : Number(m[2]) }
  }
  const write = phase('write')
  const readModels = phase('read-models')
  return {
    writeMs: write?.ms ?? null,
    writeRssMiB: write?.rss ?? null,
    readModelsMs: readModels?.ms ?? null,
  }
}

/** The times of one import's three figures, in ms (null where unknown). */
export interface ImportTimes {
  readonly writeMs: number | null
  readonly readModelsMs: number | null
  readonly totalMs: number | null
}

/** One of an import's figures: its key and label, which time it is, and what it is judged against. */
export interface ImportFigure {
  readonly key: 'import-write' | 'import-read-models' | 'import'
  readonly label: string
  readonly ms: (t: ImportTimes) => number | null
  readonly extra: Partial<Figure>
}

/** The figures every import gives (clear or encrypted): the write phase, the catch-up, both phases. */
export const importFigures = (limits: {
  readonly chainedInsert: Limit
  readonly copy: Limit
}): ReadonlyArray<ImportFigure> => [
  {
    key: 'import-write',
    label: 'bulk import: the write phase',
    ms: (t) => t.writeMs,
    extra: { limit: limits.chainedInsert, target: TARGETS.importRate },
  },
  {
    key: 'import-read-models',
    label: "bulk import: the read models' catch-up",
    ms: (t) => t.readModelsMs,
    extra: { limit: limits.copy },
  },
  {
    key: 'import',
    label: 'bulk import (ketnap import, both phases)',
    ms: (t) => t.totalMs,
    extra: { limit: limits.chainedInsert },
  },
]

/** How an import went, for the progress line: `took S s (write S s, read models S s), peak RSS M MiB`. */
export const importProgress = (run: ChildRun, failed: string | null, phases: ImportPhases | null): string =>
  `${failed ?? `took ${(run.ms / 1000).toFixed(1)} s`}` +
  (phases === null
    ? ''
    : ` (write ${((phases.writeMs ?? 0) / 1000).toFixed(1)} s, read models ${((phases.readModelsMs ?? 0) / 1000).toFixed(1)} s)`) +
  `, peak RSS ${run.maxRssMiB?.toFixed(0) ?? '?'} MiB`
