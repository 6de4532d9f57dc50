/**
 * @internal
 * Writes the pictures of docs/reports.md: every sample report rendered as HTML and photographed by
 * headless Chromium into docs/img/. Run from the repository root:
 *
 *     npx tsx --conditions=source packages/report/src/internal/screenshots.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Report } from '@ketnap/core'
import * as E from 'fp-ts/Either'
import { renderHtml } from '../html'
import type { Lang } from '../messages'
import { findChromium, screenshot } from './chromium'
import {
  bacLieuFunnel,
  bacLieuTraining,
  dakNhoongAttainment,
  dienBienAttainment,
  dienBienBlankSeries,
  dienBienBlankVillages,
  dienBienCoverage,
  duongKinhRoll,
  konTumVillageHeads,
} from './samples'

const SHOTS: ReadonlyArray<readonly [string, Report, Lang, number]> = [
  ['attainment-dien-bien.vi', dienBienAttainment, 'vi', 1420],
  ['attainment-dien-bien.en', dienBienAttainment, 'en', 1420],
  ['attainment-dak-nhoong.vi', dakNhoongAttainment, 'vi', 620],
  ['blank-villages-dien-bien.vi', dienBienBlankVillages, 'vi', 1000],
  ['roll-duong-kinh.vi', duongKinhRoll, 'vi', 640],
  ['funnel-bac-lieu.vi', bacLieuFunnel, 'vi', 600],
  ['training-bac-lieu.vi', bacLieuTraining, 'vi', 320],
  ['village-heads-kon-tum.vi', konTumVillageHeads, 'vi', 360],
  ['coverage-dien-bien.vi', dienBienCoverage, 'vi', 360],
]

const WIDTH = 800

const main = async (): Promise<number> => {
  const chromium = findChromium()
  if (chromium === null) {
    process.stderr.write('Chromium is not installed: apt-get install -y chromium\n')
    return 1
  }
  const out = resolve(import.meta.dirname, '../../../../docs/img')
  mkdirSync(out, { recursive: true })
  const tmp = mkdtempSync(join(tmpdir(), 'ketnap-shots-'))
  try {
    for (const [name, report, lang, height] of SHOTS) {
      const html = await renderHtml(report, lang, { blankVillageSeries: dienBienBlankSeries })()
      if (E.isLeft(html)) {
        process.stderr.write(`${name}: ${html.left.code}: ${html.left.message}\n`)
        return 1
      }
      const htmlPath = join(tmp, `${name}.html`)
      writeFileSync(htmlPath, html.right)
      const run = await screenshot(chromium, htmlPath, join(out, `report-${name}.png`), [WIDTH, height])
      if (run.status !== 0 || run.console.length > 0) {
        process.stderr.write(`${name}: chromium exited ${String(run.status)}\n${run.console.join('\n')}\n`)
        return 1
      }
      process.stdout.write(`docs/img/report-${name}.png\n`)
    }
    return 0
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

process.exitCode = await main()
