/**
 * `ketnap demo` in-process, on a temporary SQLite store: every line it prints fits a 120-column
 * terminal, in both languages, and the figures the articles quote are still there: in Vietnamese, every
 * value of every figure of SCENARIOS.md is printed in its scenario's reports.
 */
import { scenarios, valuesNotShown } from '@ketnap/examples/scenarios'
import { displayWidth, TEXT_WIDTH } from '@ketnap/report'
import { describe, expect, it } from 'vitest'
import type { Io, OutputStream } from '../io'
import { run } from '../main'

/** An Io writing into strings. */
const memoryIo = (): { io: Io; stdout: () => string; stderr: () => string } => {
  const out: Array<string> = []
  const err: Array<string> = []
  const stream = (chunks: Array<string>): OutputStream => ({
    write: (chunk) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return Promise.resolve()
    },
    isTTY: false,
  })
  return {
    io: {
      stdout: stream(out),
      stderr: stream(err),
      stdin: async function* () {},
      env: {},
      cwd: process.cwd(),
      now: () => new Date('2024-01-01T00:00:00Z'),
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  }
}

describe.each([
  ['vi', [], ['1.873', '93,65 %', '146,15 % (vượt)']],
  ['en', ['--lang', 'en'], ['1,873', '93.65%', '146.15% (exceeded)']],
])('ketnap demo (%s)', (_, args, figures) => {
  it(`prints no line wider than ${TEXT_WIDTH} columns, and the figures whole`, async () => {
    const { io, stdout, stderr } = memoryIo()
    const status = await run(['demo', '-q', ...args], io)
    expect(stderr()).toBe('')
    expect(status).toBe(0)
    const wide = stdout()
      .split('\n')
      .filter((line) => displayWidth(line) > TEXT_WIDTH)
    expect(wide).toEqual([])
    for (const figure of figures) expect(stdout()).toContain(figure)
    if (args.length > 0) return
    // Every value of every figure of SCENARIOS.md, in the section of its scenario.
    const text = stdout()
    const starts = scenarios.map((s) => text.indexOf(`${s.title} (${s.reportDate})`))
    expect(starts.every((at, i) => at >= 0 && (i === 0 || at > starts[i - 1]!))).toBe(true)
    scenarios.forEach((s, i) => {
      const section = text.slice(starts[i], starts[i + 1] ?? text.length)
      expect(valuesNotShown(s.figures, section), s.key).toEqual([])
    })
  }, 180_000) // the whole demo: 30-50 s alone, past 60 s on a loaded 2-core machine
})
