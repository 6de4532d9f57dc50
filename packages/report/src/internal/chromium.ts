/**
 * @internal
 * Headless Chromium (Debian's `chromium`) for the HTML tests and the docs' screenshots: a screenshot,
 * the DOM as Chromium parsed it, and the page's console messages, read from Chromium's own log on
 * stderr (`--enable-logging=stderr`), which prints every console message and CSP violation as
 * `INFO:CONSOLE...] "message", source: URL (line)`.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** @internal Where Chromium is: `$CHROMIUM`, else Debian's `/usr/bin/chromium`; null when neither exists. */
export const findChromium = (): string | null => {
  const candidates = [process.env['CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser']
  return candidates.find((p): p is string => p !== undefined && p !== '' && existsSync(p)) ?? null
}

/** @internal What one Chromium run left: its exit status, its stdout and the page's console lines. */
export interface ChromiumRun {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly console: ReadonlyArray<string>
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  '--enable-logging=stderr',
  '--v=0',
]

/** @internal The page's console messages (errors, logs, CSP violations) in Chromium's log. */
export const consoleLines = (stderr: string): ReadonlyArray<string> =>
  stderr.split('\n').filter((line) => /:CONSOLE[:(\]]/.test(line))

/** @internal Runs Chromium once on a local HTML file with extra flags (`--screenshot=...`, `--dump-dom`). */
export const runChromium = (
  chromium: string,
  htmlPath: string,
  flags: ReadonlyArray<string>,
): Promise<ChromiumRun> => {
  const profile = mkdtempSync(join(tmpdir(), 'ketnap-chromium-'))
  return new Promise((resolve, reject) => {
    const child = spawn(
      chromium,
      [...FLAGS, `--user-data-dir=${profile}`, ...flags, pathToFileURL(htmlPath).href],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const out: Array<Buffer> = []
    const err: Array<Buffer> = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', (e) => {
      rmSync(profile, { recursive: true, force: true })
      reject(e)
    })
    child.on('close', (status) => {
      rmSync(profile, { recursive: true, force: true })
      const stderr = Buffer.concat(err).toString('utf8')
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr, console: consoleLines(stderr) })
    })
  })
}

/** @internal An A4-shaped screenshot (1240 × 1754 px, A4 at 150 dpi) of a local HTML file. */
export const screenshot = (
  chromium: string,
  htmlPath: string,
  pngPath: string,
  size: readonly [number, number] = [1240, 1754],
): Promise<ChromiumRun> =>
  runChromium(chromium, htmlPath, [`--screenshot=${pngPath}`, `--window-size=${size[0]},${size[1]}`])

/** @internal The DOM as Chromium parsed and laid it out. */
export const dumpDom = (chromium: string, htmlPath: string): Promise<ChromiumRun> =>
  runChromium(chromium, htmlPath, ['--dump-dom'])
