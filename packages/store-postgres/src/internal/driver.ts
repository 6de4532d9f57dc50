/**
 * @internal
 * node-postgres, loaded when the first store is opened rather than when this package is imported.
 *
 * When `pg` is loaded it asks whether it runs in a Cloudflare Worker (`pg/lib/stream.js`): by
 * `navigator.userAgent`, and where there is no `navigator` (Node 20) by building a `Response`, which
 * loads Node's whole fetch implementation (undici): about 50 ms of CPU in every process that opens a
 * PostgreSQL store, a sixth of a process start (a one-line import or a report from a fresh process is
 * measured against `ketnap --help`). While `pg` loads, and only then, a `navigator` that says Node.js
 * (what Node 21 and later define themselves) answers the question the first way; a `navigator` already
 * there is left alone, and the one defined here is removed once `pg` is loaded.
 */
import type pg from 'pg'

let loading: Promise<typeof pg> | undefined

/** The `pg` module, loaded once. */
export const loadPg = (): Promise<typeof pg> => {
  if (loading !== undefined) return loading
  const host = globalThis as { navigator?: unknown }
  const defined = host.navigator === undefined
  if (defined)
    Object.defineProperty(host, 'navigator', {
      value: { userAgent: `Node.js/${process.versions.node}` },
      configurable: true,
      writable: true,
    })
  loading = import('pg')
    .then((module) => ('default' in module ? module.default : (module as unknown as typeof pg)))
    .finally(() => {
      if (defined) delete host.navigator
    })
  return loading
}
