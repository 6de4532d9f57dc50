// Golden files: the text and CSV of every sample report in both languages, compared byte for byte.
// UPDATE_GOLDEN=1 rewrites them; review the diff before committing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderCsv } from './csv'
import { SAMPLES } from './internal/samples'
import { LANGS } from './messages'
import { renderText } from './text'

const DIR = join(import.meta.dirname, '__golden__')
const update = process.env['UPDATE_GOLDEN'] === '1'

const golden = (file: string, actual: string): void => {
  const path = join(DIR, file)
  const bytes = Buffer.from(actual, 'utf8')
  if (update) {
    mkdirSync(DIR, { recursive: true })
    writeFileSync(path, bytes)
  }
  expect(existsSync(path), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true)
  const expected = readFileSync(path)
  expect(actual).toBe(expected.toString('utf8'))
  expect(bytes.equals(expected)).toBe(true)
}

describe.each(LANGS)('golden files (%s)', (lang) => {
  it.each(SAMPLES)('text of %s', (name, report) => golden(`${name}.${lang}.txt`, renderText(report, lang)))
  it.each(SAMPLES)('csv of %s', (name, report) => golden(`${name}.${lang}.csv`, renderCsv(report, lang)))
})
