// What the test command needs beyond Node: a PostgreSQL server (the PostgreSQL adapter's suites and
// one CLI test) and Chromium (the HTML report's browser suite). Each is found, started or installed
// where this machine allows it (root with Debian's apt-get); what still cannot run is named with what
// is missing and how to get it, and its suites are skipped (KETNAP_SKIP_SUITES), never failed for want
// of a tool. Under KETNAP_REQUIRE_ALL_SUITES=1 (CI) nothing is skipped: a missing tool fails its suites.
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test'
const PRIVATE_PORT = 54329

const quiet = (cmd, args, options = {}) =>
  spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options })
const has = (cmd) => quiet('sh', ['-c', `command -v ${cmd}`]).status === 0
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0
const say = (line) => console.error(`[suites] ${line}`)

/** Whether this run may install Debian packages: root with apt-get, unless KETNAP_NO_INSTALL=1. */
const mayInstall = () => isRoot() && has('apt-get') && process.env['KETNAP_NO_INSTALL'] !== '1'

let aptUpdated = false
const aptInstall = (pkg) => {
  say(`installing ${pkg} with apt-get (this takes a minute or two)`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  if (!aptUpdated) {
    aptUpdated = quiet('apt-get', ['update', '-qq'], { env }).status === 0
  }
  const r = quiet('apt-get', ['install', '-y', '-qq', pkg], { env })
  if (r.status !== 0) say(`apt-get install ${pkg} failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`)
  return r.status === 0
}

// ---------------------------------------------------------------------------------------------------
// Chromium

const findChromium = () =>
  [process.env['CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p) => p !== undefined && p !== '' && existsSync(p),
  ) ?? null

/** Chromium's path, or why the browser suite cannot run. */
const browser = () => {
  if (findChromium() !== null) return { ok: true }
  if (mayInstall()) aptInstall('chromium')
  if (findChromium() !== null) return { ok: true }
  return {
    ok: false,
    why: 'Chromium is not installed (looked at $CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser)',
    how: 'install it with `sudo apt-get install chromium`, or set CHROMIUM to a Chromium binary',
  }
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL

const accepts = (url) => has('psql') && quiet('psql', [url, '-Atqc', 'SELECT 1']).stdout.trim() === '1'

/** The directory of PostgreSQL's server programs (initdb, pg_ctl), newest version first. */
const serverBin = () => {
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return null
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions.length === 0 ? null : join(base, versions[0], 'bin')
}

/** Starts the machine's own clusters (Debian's pg_ctlcluster) when they are installed and stopped. */
const startClusters = () => {
  if (!isRoot() || !has('pg_ctlcluster') || !existsSync('/etc/postgresql')) return
  for (const version of readdirSync('/etc/postgresql')) {
    quiet('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'])
  }
}

/**
 * A throwaway server of our own (trust authentication, loopback only, a temporary directory) for a
 * machine whose PostgreSQL is installed but not set up as the tests expect. It is stopped and removed
 * when the tests end.
 */
const privateServer = (bin) => {
  const dir = mkdtempSync(join(tmpdir(), 'ketnap-pg-'))
  const data = join(dir, 'data')
  // The server refuses to run as root: root runs it as Debian's `postgres` user.
  const asOwner = (cmd, args) =>
    isRoot() ? quiet('runuser', ['-u', 'postgres', '--', cmd, ...args]) : quiet(cmd, args)
  if (isRoot()) {
    const id = quiet('id', ['-u', 'postgres'])
    if (id.status !== 0) return null
    chownSync(dir, Number(id.stdout.trim()), Number(quiet('id', ['-g', 'postgres']).stdout.trim()))
    chmodSync(dir, 0o700)
  }
  const init = asOwner(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  if (init.status !== 0) {
    say(`initdb failed: ${init.stderr.trim().split('\n').pop()}`)
    return null
  }
  const options = `-p ${PRIVATE_PORT} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const start = asOwner(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-o',
    options,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ])
  const stop = () => {
    asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'])
    rmSync(dir, { recursive: true, force: true })
  }
  if (start.status !== 0) {
    say(`the private PostgreSQL server did not start: ${start.stderr.trim().split('\n').pop()}`)
    stop()
    return null
  }
  const url = `postgres://postgres@127.0.0.1:${PRIVATE_PORT}/test`
  quiet('psql', [`postgres://postgres@127.0.0.1:${PRIVATE_PORT}/postgres`, '-qc', 'CREATE DATABASE test'])
  if (!accepts(url)) {
    stop()
    return null
  }
  say(`started a private PostgreSQL server for the tests at ${url} (removed afterwards)`)
  return { url, stop }
}

/** A server the tests can use (its URL, and how to stop it if we started one), or why there is none. */
const postgres = () => {
  const url = process.env['KETNAP_TEST_POSTGRES'] ?? DEFAULT_POSTGRES
  if (accepts(url)) return { ok: true, url }
  startClusters()
  if (accepts(url)) return { ok: true, url }
  if (serverBin() === null && mayInstall()) {
    aptInstall('postgresql')
    startClusters()
    if (accepts(url)) return { ok: true, url }
  }
  const bin = serverBin()
  if (bin !== null && has('psql')) {
    const own = privateServer(bin)
    if (own !== null) return { ok: true, url: own.url, stop: own.stop }
  }
  return {
    ok: false,
    why: `no PostgreSQL server accepts ${url}${bin === null ? ' and PostgreSQL is not installed' : ''}`,
    how:
      'install it with `sudo apt-get install postgresql` (the tests then start a private server), ' +
      'or set KETNAP_TEST_POSTGRES to a server with a database the tests may write to',
  }
}

// ---------------------------------------------------------------------------------------------------

const SUITES = [
  {
    name: 'postgres',
    label: 'PostgreSQL suites (store-postgres, and the CLI on PostgreSQL)',
    find: postgres,
  },
  { name: 'browser', label: 'browser suite (the HTML report in headless Chromium)', find: browser },
]

/**
 * Finds, starts or installs what each suite needs. Returns the environment for the test run
 * (KETNAP_TEST_POSTGRES, KETNAP_SKIP_SUITES), the lines to print about skipped suites, whether a
 * required suite is missing, and a cleanup for anything started here.
 */
export const prepareSuites = () => {
  const requireAll = process.env['KETNAP_REQUIRE_ALL_SUITES'] === '1'
  const env = {}
  const skipped = []
  const lines = []
  const cleanups = []
  for (const suite of SUITES) {
    const found = suite.find()
    if (found.ok) {
      if (found.url !== undefined) env['KETNAP_TEST_POSTGRES'] = found.url
      if (found.stop !== undefined) cleanups.push(found.stop)
      continue
    }
    if (requireAll) {
      lines.push(
        `required: ${suite.label} cannot run (KETNAP_REQUIRE_ALL_SUITES=1): ${found.why}; ${found.how}`,
      )
    } else {
      skipped.push(suite.name)
      lines.push(`skipped: ${suite.label}: ${found.why}; ${found.how}`)
    }
  }
  if (skipped.length > 0) env['KETNAP_SKIP_SUITES'] = skipped.join(',')
  return {
    env,
    lines,
    missingRequired: requireAll && lines.length > 0,
    cleanup: () => cleanups.forEach((stop) => stop()),
  }
}
