/**
 * What encryption costs (`--encryption`): the same log imported into a store created with a master key
 * (`ketnap --master-key FILE import --timings`, every personal field sealed under its person's key on
 * the way in) and that store's read models rebuilt (`projections rebuild`, every sealed field opened
 * again), each judged against the same limit and target as the clear figure and compared with it; then
 * the reports an encrypted store answers otherwise than a clear one (the roll, which counts personal
 * fields its read model does not keep: D38) from a fresh process, with the clear store's target.
 */
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { failureOf, runKetnap } from './child'
import { TARGETS, type Figure } from './figures'
import { importFigures, importPhases, importProgress } from './importPhases'
import { progress } from './progress'
import { reportArgs, reportCases, type PhaseContext, type StoreUnderTest } from './storePhases'

/** Writes a master key file of 32 random bytes into `dir` and returns its path. */
export const writeMasterKey = (dir: string): string => {
  const path = join(dir, 'master.key')
  writeFileSync(path, randomBytes(32), { mode: 0o600 })
  return path
}

/** `value ÷ clear` as a note, e.g. "0.62× the clear figure". */
const besideClear = (value: number | null, clear: Figure | undefined): string | undefined =>
  value === null || clear?.value === null || clear?.value === undefined || clear.value === 0
    ? undefined
    : `${(value / clear.value).toFixed(2)}× the clear figure (${Math.round(clear.value).toLocaleString('en-US')} ${clear.unit})`

/**
 * Imports the log into `store` (empty, made encrypted by the import) and rebuilds its read models, with
 * the master key in `keyFile`; `clear` holds the figures of the same store in clear, measured before.
 */
export const measureEncrypted = async (
  ctx: PhaseContext,
  store: StoreUnderTest,
  keyFile: string,
  clear: ReadonlyArray<Figure>,
): Promise<ReadonlyArray<Figure>> => {
  const { cli, log, profile, limits } = ctx
  const subject = store.subject
  const events = profile.events
  const clearOf = (key: string): Figure | undefined => clear.find((f) => f.key === key)
  const figure = (
    key: string,
    label: string,
    ms: number | null,
    rest: Partial<Figure>,
    why: string,
  ): Figure => {
    const value = ms === null || ms <= 0 ? null : (events * 1000) / ms
    const note = value === null ? why : besideClear(value, clearOf(key))
    return {
      subject,
      key: `encrypted-${key}`,
      label: `encrypted: ${label}`,
      value,
      unit: 'events/s',
      ...rest,
      ...(note === undefined ? {} : { note }),
    }
  }

  progress(`${subject}: encrypted: ketnap --master-key import of ${events} events`)
  const imported = await runKetnap(
    cli,
    ['--master-key', keyFile, '--store', store.url, 'import', '--timings', log.path],
    { timeoutMs: ctx.phaseLimitMs },
  )
  const importFailed = failureOf(imported)
  const phases = importFailed === null ? importPhases(imported.stderr) : null
  const why = importFailed ?? 'this ketnap does not print --timings'
  const times = {
    writeMs: phases?.writeMs ?? null,
    readModelsMs: phases?.readModelsMs ?? null,
    totalMs: importFailed === null ? imported.ms : null,
  }
  const figures: Figure[] = importFigures(limits).map((f) =>
    figure(f.key, f.label, f.ms(times), f.extra, why),
  )
  progress(`${subject}: encrypted: import ${importProgress(imported, importFailed, phases)}`)
  if (ctx.importOnly) return figures
  if (importFailed !== null || !ctx.hasProjectionsRebuild) {
    const cut = importFailed ?? 'this ketnap has no projections rebuild'
    figures.push(figure('rebuild', 'full rebuild (ketnap projections rebuild)', null, {}, cut))
    return figures
  }
  progress(`${subject}: encrypted: ketnap --master-key projections rebuild`)
  const rebuilt = await runKetnap(
    cli,
    ['--master-key', keyFile, '--store', store.url, 'projections', 'rebuild'],
    { timeoutMs: ctx.phaseLimitMs },
  )
  const rebuildFailed = failureOf(rebuilt)
  figures.push(
    figure(
      'rebuild',
      'full rebuild (ketnap projections rebuild)',
      rebuildFailed === null ? rebuilt.ms : null,
      { limit: limits.copy, target: TARGETS.rebuildRate },
      rebuildFailed ?? '',
    ),
  )
  // The roll of the root and of a commune: on an encrypted store it is replayed from the log with the
  // persons' keys (D38), so its cost grows with the log, not with the organization.
  for (const c of reportCases(profile).filter((r) => r.name === 'roll')) {
    progress(`${subject}: encrypted: fresh process: ketnap --master-key report ${c.label}`)
    const run = await runKetnap(cli, ['--master-key', keyFile, '--store', store.url, ...reportArgs(c)], {
      timeoutMs: ctx.phaseLimitMs,
    })
    const failed = failureOf(run)
    figures.push({
      subject,
      key: `encrypted-fresh-report-${c.key}`,
      label: `encrypted: fresh process: ${c.label}`,
      value: failed === null ? run.ms : null,
      unit: 'ms',
      limit: { label: 'process start', value: limits.processStartMs, unit: 'ms' },
      target: TARGETS.freshReport,
      note: failed ?? (run.maxRssMiB === null ? '' : `peak RSS ${run.maxRssMiB.toFixed(0)} MiB`),
    })
  }
  return figures
}
