/**
 * The phases of one `ketnap import --timings` run, read from its standard error: the write (every line
 * checked, then committed), whose rate the import's target is judged on, and the read models' catch-up.
 */

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
