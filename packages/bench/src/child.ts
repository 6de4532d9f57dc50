/**
 * Runs the `ketnap` command as a child process, as a user would, and measures it: wall time from spawn
 * to exit, and peak resident memory (the child's own `process.resourceUsage().maxRSS`, written at exit
 * by a preloaded script, so that the figure is that process's alone).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { now, since } from './progress'

/** What a child process did. */
export interface ChildRun {
  /** Wall time from spawn to exit. */
  readonly ms: number
  /** Exit status, or null when killed. */
  readonly status: number | null
  /** Peak resident memory in MiB, null when the child did not get to write it (killed). */
  readonly maxRssMiB: number | null
  /** Whether the run was killed for running past its time limit. */
  readonly timedOut: boolean
  readonly stdout: string
  /** The end of standard error, for messages. */
  readonly stderr: string
}

/** Where the `ketnap` command and the preload live. */
export interface Cli {
  /** `packages/cli/dist/bin.js`. */
  readonly bin: string
  /** The preload that writes the peak RSS (see `writePreload`). */
  readonly preload: string
  /** A scratch directory for the RSS files. */
  readonly scratch: string
}

const PRELOAD = `'use strict'
// Written by @ketnap/bench: the peak resident memory of this process (KiB), at exit.
const { writeFileSync } = require('node:fs')
const file = process.env.KETNAP_BENCH_RSS_FILE
if (file) process.on('exit', () => {
  try { writeFileSync(file, String(process.resourceUsage().maxRSS)) } catch {}
})
`

/** Writes the preload script into `dir` and returns its path. */
export const writePreload = (dir: string): string => {
  const path = join(dir, 'max-rss-preload.cjs')
  writeFileSync(path, PRELOAD)
  return path
}

const KEEP = 64 * 1024
let runs = 0

/** Runs `ketnap ARGS` and measures it; never rejects for a failing command (the status says). */
export const runKetnap = (
  cli: Cli,
  args: ReadonlyArray<string>,
  options: { readonly timeoutMs?: number; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<ChildRun> => {
  const rssFile = join(cli.scratch, `rss-${process.pid}-${++runs}.txt`)
  rmSync(rssFile, { force: true })
  return new Promise((resolve, reject) => {
    const start = now()
    const child = spawn(process.execPath, ['--require', cli.preload, cli.bin, '--quiet', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env, KETNAP_BENCH_RSS_FILE: rssFile },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      if (stdout.length < KEEP) stdout += s
    })
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr = (stderr + s).slice(-KEEP)
    })
    let timedOut = false
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            child.kill('SIGKILL')
          }, options.timeoutMs)
    child.on('error', reject)
    child.on('close', (status) => {
      const ms = since(start)
      if (timer !== undefined) clearTimeout(timer)
      const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN
      rmSync(rssFile, { force: true })
      resolve({
        ms,
        status,
        maxRssMiB: Number.isFinite(kib) ? kib / 1024 : null,
        timedOut,
        stdout,
        stderr,
      })
    })
  })
}

/** Why a child run failed, in one line (null when it succeeded). */
export const failureOf = (run: ChildRun): string | null => {
  if (run.timedOut) return `cut: ran past its time limit after ${(run.ms / 60_000).toFixed(1)} min`
  if (run.status === 0) return null
  const last = run.stderr.trim().split('\n').slice(-3).join(' | ')
  return `failed (exit ${run.status ?? 'killed'}): ${last.slice(0, 300)}`
}
