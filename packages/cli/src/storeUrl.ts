/**
 * The `--store` URL (or KETNAP_STORE): which event store a command works on.
 */
import { isAbsolute, resolve } from 'node:path'
import * as t from 'io-ts'

/** Where the events live. */
export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'memory' }
  | { readonly kind: 'postgres'; readonly url: string }

/** The store used when neither `--store` nor KETNAP_STORE is given. */
export const DEFAULT_STORE_URL = 'sqlite:ketnap.db'

/**
 * A store URL: `sqlite:PATH` (relative to the working directory), `memory:`, or `postgres://...`
 * (also `postgresql://...`). Decodes to a StoreLocation; relative paths stay relative until `resolveStore`.
 */
export const StoreUrl = new t.Type<StoreLocation, string, unknown>(
  'StoreUrl',
  (u): u is StoreLocation => typeof u === 'object' && u !== null && 'kind' in u,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'a store URL must be a string')
    if (u === 'memory:') return t.success({ kind: 'memory' })
    if (u.startsWith('sqlite:')) {
      const path = u.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
      return path.length > 0
        ? t.success({ kind: 'sqlite', path })
        : t.failure(u, c, 'sqlite: needs a file path, e.g. sqlite:ketnap.db')
    }
    if (u.startsWith('postgres://') || u.startsWith('postgresql://'))
      return t.success({ kind: 'postgres', url: u })
    // A mistyped URL may still carry a password (postgre://user:secret@host/db, one holding a quote or
    // a space): only its scheme is echoed.
    const scheme = /^[a-z][a-z0-9+.-]{0,30}:?/i.exec(u)?.[0] ?? ''
    return t.failure(
      u,
      c,
      `unknown store URL${scheme === '' ? '' : ` (it starts ${JSON.stringify(scheme)})`}: use sqlite:PATH, memory: or postgres://...`,
    )
  },
  (a) => (a.kind === 'sqlite' ? `sqlite:${a.path}` : a.kind === 'memory' ? 'memory:' : a.url),
)

/** The location with a relative SQLite path resolved against the working directory. */
export const resolveStore = (location: StoreLocation, cwd: string): StoreLocation =>
  location.kind === 'sqlite' && !isAbsolute(location.path)
    ? { kind: 'sqlite', path: resolve(cwd, location.path) }
    : location
