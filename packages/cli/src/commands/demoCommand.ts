/**
 * `ketnap demo`: loads the seed scenarios of SCENARIOS.md, in their order, into a fresh SQLite store
 * and prints every scenario's reports (Vietnamese text by default).
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { partyDevelopment } from '@ketnap/core'
import { scenarios } from '@ketnap/examples/scenarios'
import { createLedger, describeLedgerError, owner } from '@ketnap/ledger'
import { renderText } from '@ketnap/report'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import * as E from 'fp-ts/Either'
import { decodeArg, Lang } from '../args'
import { ExitStatus } from '../exitStatus'
import type { Io } from '../io'
import { terminalProgress } from '../progress'
import { complain, say } from '../session'

/** Options of `ketnap demo`. */
export interface DemoOptions {
  /** Keep the store in this new file instead of a temporary one. */
  readonly keep: string | undefined
  readonly lang: unknown
  readonly quiet: boolean
}

/** Runs the demo. */
export const demoCommand = async (io: Io, options: DemoOptions): Promise<ExitStatus> => {
  const lang = decodeArg(Lang, '--lang')(options.lang ?? 'vi')
  if (E.isLeft(lang)) {
    await complain(io, lang.left)
    return ExitStatus.failure
  }
  const kept = options.keep === undefined ? null : resolve(io.cwd, options.keep)
  if (kept !== null && existsSync(kept)) {
    await complain(io, `${kept} exists: the demo needs a fresh store`)
    return ExitStatus.failure
  }
  const dir = kept === null ? await mkdtemp(join(tmpdir(), 'ketnap-demo-')) : null
  const path = kept ?? join(dir ?? '.', 'demo.db')
  const store = await openSqliteEventStore(path)()
  if (E.isLeft(store)) {
    await complain(io, store.left.message)
    return ExitStatus.failure
  }
  const progress = terminalProgress(io, options.quiet)
  try {
    const ledger = createLedger({ store: store.right, domain: partyDevelopment(), now: io.now })
    for (const scenario of scenarios) {
      const lines = scenario.build().map((line) => JSON.stringify(line))
      const imported = await ledger.importEvents(lines, owner(), {
        onProgress: (done) => progress.update(`import ${scenario.key}`, done, lines.length),
      })()
      progress.stop()
      if (E.isLeft(imported)) {
        await complain(io, `scenario ${scenario.key}: ${describeLedgerError(imported.left)}`)
        if (imported.left._tag === 'ImportFailure') {
          for (const e of imported.left.errors.slice(0, 20))
            await complain(io, `line ${e.line}: ${e.code}: ${e.message}`)
        }
        return ExitStatus.failure
      }
    }
    for (const scenario of scenarios) {
      await say(io, `\n${'='.repeat(100)}\n${scenario.title} (${scenario.reportDate})\n${'='.repeat(100)}`)
      for (const { name, query, caption } of scenario.reports) {
        const report = await ledger.report(name, owner(), query)()
        if (E.isLeft(report)) {
          await complain(io, `scenario ${scenario.key}, ${name}: ${describeLedgerError(report.left)}`)
          return ExitStatus.failure
        }
        await say(io, `\n-- ${caption}\n`)
        await io.stdout.write(renderText(report.right, lang.right))
      }
    }
    if (kept !== null) await say(io, `\nthe demo store is kept in ${kept}`)
    return ExitStatus.ok
  } finally {
    progress.stop()
    await store.right.close()()
    if (dir !== null) await rm(dir, { recursive: true, force: true })
  }
}
