/**
 * The write side's state: the domain's validator state (what its rules need to decide a command or check
 * an imported line), caught up with the log and kept beside it, so that neither memory nor a fresh
 * process's start grows with the log.
 *
 * A domain's state splits in two (`KeyedValidator`): a global part (for the party domain, the
 * organization tree, units, villages, quotas) held in memory and saved whole, and keyed entries (a
 * person's record, a stream's last date, an organization's members) kept as rows by the store's
 * `KeyedStateStore` port behind a bounded cache. Before the rules see an event, the keys it needs are
 * loaded (a chunk's keys in one read); when the cache is over its bound, the entries changed since the
 * last write are written and the least recently used are dropped.
 *
 * Rows and the description row (the version, the head the rows reflect, the global part) are written in
 * one transaction, conditional on the description the cache started from, so that the rows in the store
 * always stand at one committed position of the log: outside an import, only after the events they
 * reflect are committed (a crash leaves them behind the log, and the next process folds the tail);
 * inside an import, in the import's own transaction (committed or rolled back with its events). A
 * description that does not match the log (another version, a rewritten log) means folding from the
 * start, and the space is cleared at its first write. Keyed entries are written as tagged JSON
 * (`keyedCodec.ts`: Maps, Sets and plain records read back as they were, without the native memory a
 * `node:v8` `serialize` call holds per row), and so is the global part, in rows of about a megabyte
 * (`globalPartKey`) produced while they are written, so that a national organization tree is never
 * whole in memory as text; the description (Node's structured serialization) names their count. A
 * domain opts in by giving its validator a `stateVersion`, raised whenever the state's shape or its fold
 * changes.
 */
import { deserialize, serialize } from 'node:v8'
import * as E from 'fp-ts/Either'
import type { Domain, EventContext, KeyedEntries } from './domain'
import type { Envelope, Head } from './envelope'
import { storageError, type DomainError, type StoreError } from './errors'
import type { EventStore } from './eventStore'
import { emptyHead } from './hashChain'
import { decodeKeyed, encodeKeyed, encodeKeyedPieces } from './keyedCodec'
import { KEYED_META_KEY, type KeyedEntry, type KeyedStateStore } from './keyedState'
import type { Progress } from './replay'
import { upcasterChain } from './upcasting'

/** Keyed entries of the write side's state held in memory by default (`WriteSideOptions.cacheEntries`). */
export const DEFAULT_WRITE_STATE_CACHE_ENTRIES = 100_000

/** A cache bound as given, or the default when it is not a positive number (at least one entry). */
export const cacheBound = (entries: number | undefined): number =>
  entries === undefined || !(entries >= 1) ? DEFAULT_WRITE_STATE_CACHE_ENTRIES : Math.floor(entries)

/** Options of `openWriteSide`. */
export interface WriteSideOptions<Ev> {
  /** Keyed entries held in memory at most between writes (least recently used dropped first); default 100,000. */
  readonly cacheEntries?: number
  /** Progress of folding the log after the saved state, in events (done, head position). */
  readonly onProgress?: Progress
  /** Reads a stored envelope back to an event; default: upcast with the domain's upcasters, then decode. */
  readonly decodeStored?: (envelope: Envelope) => E.Either<DomainError | StoreError, Ev>
  /** Bytes of a row of the global part (about; default a megabyte); small values test its pieces. */
  readonly globalPartBytes?: number
}

/** What `readLoaded` and `evolveLoaded` answer when a key they need is not loaded yet. */
export const NOT_LOADED: unique symbol = Symbol('not loaded')

/** The write side's state of a domain over a store, caught up with the log (see the module comment). */
export interface WriteSide<Ev, W> {
  /** The validator state (its keyed entries loaded on demand by the calls below). */
  readonly state: () => W
  /** The last event folded. */
  readonly head: () => Head
  /** That event's `recordedAt` (`null` for an empty log). */
  readonly lastRecordedAt: () => string | null
  /** Keyed entries held in memory now. */
  readonly cached: () => number
  /** True once another process moved the kept state on: this one must be opened again. */
  readonly stale: () => boolean
  /** Loads, in one read, the keys the events need (further keys are loaded as they are met). */
  readonly prefetch: (events: ReadonlyArray<Ev>) => Promise<E.Either<StoreError, void>>
  /** Runs a pure read of the state (validate, decide), loading the keys it missed and running it again. */
  readonly read: <A>(f: (state: W) => A) => Promise<E.Either<StoreError, A>>
  /** Folds an event into the state (its keys loaded first); `advance` then says where the log stands. */
  readonly evolve: (event: Ev, context: EventContext) => Promise<E.Either<StoreError, void>>
  /**
   * `read` without waiting, when every key `f` reads is loaded (as after `prefetch`): its value, or
   * NOT_LOADED when one is not (then `read` loads it). An import checks every line: a promise and a
   * turn of the event loop per line were a cost of their own.
   */
  readonly readLoaded: <A>(f: (state: W) => A) => A | typeof NOT_LOADED
  /** `evolve` without waiting, when the event's keys are loaded: its outcome, or NOT_LOADED (then `evolve`). */
  readonly evolveLoaded: (event: Ev, context: EventContext) => E.Either<StoreError, void> | typeof NOT_LOADED
  /** Sets the head the state now reflects. */
  readonly advance: (head: Head, lastRecordedAt: string | null) => void
  /** Folds the stored log after the head. */
  readonly catchUp: (onProgress?: Progress) => Promise<E.Either<StoreError, void>>
  /**
   * Keeps memory within the bound: when over it, writes the changed entries (with the description,
   * outside an import) and drops the least recently used. Call it where the state is the log's.
   */
  readonly settle: () => Promise<E.Either<StoreError, void>>
  /** Writes the changed entries and the description at the head; `false` when another process moved it on. */
  readonly save: () => Promise<E.Either<StoreError, boolean>>
  /** Events folded since the description in the store. */
  readonly foldedSinceSaved: () => number
  /**
   * Whether the state must be saved before the import's session commits: rows were written into it
   * (they must not stand ahead of the description), or enough was folded since the last save.
   */
  readonly mustSave: () => boolean
  /** Reads and writes keyed rows inside an import's transaction until `leaveSession` (none: in memory). */
  readonly enterSession: (keyed: KeyedStateStore | undefined) => void
  /** Back to the store's own rows, after the session was committed. */
  readonly leaveSession: () => void
}

/** The keyed state's space for a domain. */
export const writeStateSpace = (domain: { readonly name: string }): string => `write-state/${domain.name}`

/**
 * How keyed rows are written (`keyedCodec.ts`); the description names it, and a description of rows
 * written otherwise (Node's structured serialization, before) is not used: the log is folded again.
 */
const ROW_CODEC = 'json-1'

/** The description row's content. */
interface Meta {
  readonly version: number
  /** How the rows are written (`ROW_CODEC`): rows of another codec are not read. */
  readonly rows?: string
  readonly hash: string
  readonly lastRecordedAt: string | null
  /** The global part, in a description written before it was kept in parts. */
  readonly globals?: unknown
  /** Rows the global part is kept in (`globalPartKey`), its `encodeKeyed` bytes in order. */
  readonly parts?: number
}

/**
 * The key of the i-th row of the global part. Keys beginning with U+0001 are the kernel's, as the empty
 * key is: a domain's keys never begin so.
 */
export const globalPartKey = (i: number): string => `\u0001global/${String(i).padStart(6, '0')}`

/**
 * Bytes of a row of the global part. A national organization tree is tens of megabytes: written whole
 * (Node's structured serialization, before), it was a second and third copy of itself in memory at the
 * end of an import, the peak of the whole run; in pieces, one piece is.
 */
const GLOBAL_PART_BYTES = 1024 * 1024

const isMeta = (u: unknown): u is Meta =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as Meta).version === 'number' &&
  typeof (u as Meta).hash === 'string' &&
  ((u as Meta).lastRecordedAt === null || typeof (u as Meta).lastRecordedAt === 'string')

/** The default reading of stored envelopes: upcast, then decode; an unreadable one names its position. */
export const storedEventDecoder = <Ev, W>(domain: Domain<Ev, W>) => {
  const read = storedEnvelopeReader(domain)
  return (envelope: Envelope): E.Either<DomainError | StoreError, Ev> => {
    const decoded = read(envelope)
    if (E.isRight(decoded)) return E.right(decoded.right.event)
    const why = decoded.left.map(
      (e) => `${e.code}${e.path === undefined ? '' : ` at ${e.path}`}: ${e.message}`,
    )
    return E.left(
      storageError(`the stored event at position ${envelope.position} cannot be read: ${why.join('; ')}`),
    )
  }
}

/** A stored envelope upcast to its type's current schema, with the event its data decodes to. */
export interface DecodedEnvelope<Ev> {
  readonly envelope: Envelope
  readonly event: Ev
}

/**
 * The one reading of a stored envelope: upcast with the domain's chain, then decode; the errors of the
 * upcaster or the codec when it does not read. `storedEventDecoder` and the ledger's reports build on it.
 */
export const storedEnvelopeReader = <Ev, W>(
  domain: Domain<Ev, W>,
): ((envelope: Envelope) => E.Either<ReadonlyArray<DomainError>, DecodedEnvelope<Ev>>) => {
  const upcast = upcasterChain(domain.upcasters, domain.schemaVersionOf)
  return (envelope) => {
    const current = upcast(envelope)
    if (E.isLeft(current)) return E.left([current.left])
    const event = domain.decode(current.right.type, current.right.data)
    return E.isLeft(event) ? event : E.right({ envelope: current.right, event: event.right })
  }
}

/** An event folded. */
const FOLDED: E.Either<never, void> = E.right(undefined)

/** The keys of a domain without keyed entries. */
const NO_KEYS: ReadonlyArray<string> = []

/** A loaded entry: its value (`undefined` for a key known to be absent) and when it was last used. */
interface Slot {
  value: unknown
  used: number
}

/**
 * The bounded cache behind a state's keyed entries: the entries loaded, each stamped with when it was
 * last used (a read bumps a counter and writes it in the slot: no reordering of the map per read), the
 * keys changed since they were last written, and the keys a read asked for before they were loaded.
 */
class KeyedCache implements KeyedEntries {
  readonly slots = new Map<string, Slot>()
  readonly dirty = new Set<string>()
  readonly misses = new Set<string>()
  /** Every key is loaded: the state was folded from an empty log and nothing dropped since. */
  complete = false
  private clock = 0

  get = (key: string): unknown => {
    const slot = this.slots.get(key)
    if (slot === undefined) {
      if (!this.complete) this.misses.add(key)
      return undefined
    }
    slot.used = ++this.clock
    return slot.value
  }

  set = (key: string, value: unknown): void => {
    const slot = this.slots.get(key)
    if (slot === undefined) this.slots.set(key, { value, used: ++this.clock })
    else {
      slot.value = value
      slot.used = ++this.clock
    }
    this.dirty.add(key)
  }

  has = (key: string): boolean => this.complete || this.slots.has(key)

  /** Puts a value read from the store (not changed: not dirty). */
  loaded = (key: string, value: unknown): void => {
    this.slots.set(key, { value, used: ++this.clock })
  }

  /** The value held under a key, without counting it as a use. */
  peek = (key: string): unknown => this.slots.get(key)?.value

  /**
   * The keys to drop to come down to `target` entries: the least recently used (ties broken by the
   * map's order), as many as there are entries over it.
   */
  leastRecentlyUsed = (target: number): ReadonlyArray<string> => {
    const over = this.slots.size - target
    if (over <= 0) return []
    const stamps = new Float64Array(this.slots.size)
    let i = 0
    for (const slot of this.slots.values()) stamps[i++] = slot.used
    stamps.sort()
    // Stamps are distinct (one counter): every slot used at or before the cut is dropped.
    const cut = stamps[over - 1] ?? 0
    const victims: string[] = []
    for (const [key, slot] of this.slots) if (slot.used <= cut) victims.push(key)
    return victims
  }
}

/** Reads the event at `position` to compare hashes. */
const hashAt = async (
  store: EventStore,
  position: number,
): Promise<E.Either<StoreError, string | undefined>> => {
  let hash: string | undefined
  for await (const batch of store.readAll({ fromPosition: position, toPosition: position })) {
    if (E.isLeft(batch)) return batch
    hash = batch.right[0]?.hash
  }
  return E.right(hash)
}

/**
 * The global part's rows, then deletions of the rows beyond them that an earlier write left, then the
 * description naming their count (`counted` holds it once written).
 */
function* describedTail(
  globals: unknown,
  partBytes: number,
  savedParts: number,
  counted: { count: number },
  describe: (parts: number) => Meta,
): Generator<KeyedEntry> {
  let count = 0
  for (const bytes of encodeKeyedPieces(globals, 'global', partBytes))
    yield { key: globalPartKey(count++), bytes }
  for (let i = count; i < savedParts; i++) yield { key: globalPartKey(i), bytes: null }
  counted.count = count
  yield { key: KEYED_META_KEY, bytes: serialize(describe(count)) }
}

/**
 * The global part a description names: kept in it (written so before) or in its rows; null when a row
 * is missing or does not read (the log is folded again).
 */
const readGlobals = async (
  keyed: KeyedStateStore,
  space: string,
  position: number,
  saved: Meta,
): Promise<E.Either<StoreError, { readonly value: unknown } | null>> => {
  if (saved.parts === undefined) return E.right({ value: saved.globals })
  const keys = Array.from({ length: saved.parts }, (_, i) => globalPartKey(i))
  const rows = await keyed.readKeyed(space, keys)
  if (E.isLeft(rows)) return rows
  const pieces: Uint8Array[] = []
  for (const key of keys) {
    const row = rows.right.get(key)
    if (row === undefined || row.position !== position) return E.right(null)
    pieces.push(row.bytes)
  }
  try {
    return E.right({ value: decodeKeyed(Buffer.concat(pieces)) })
  } catch {
    return E.right(null)
  }
}

/**
 * Opens the write side of a domain over a store: from the state kept beside the log when it still
 * matches the log, otherwise from the initial state, and folds the log after it.
 */
export const openWriteSide = async <Ev, W>(
  store: EventStore,
  domain: Domain<Ev, W>,
  options: WriteSideOptions<Ev> = {},
): Promise<E.Either<StoreError, WriteSide<Ev, W>>> => {
  const { validator } = domain
  const keyedSpec = validator.keyed
  const version = validator.stateVersion
  const space = writeStateSpace(domain)
  const capacity = cacheBound(options.cacheEntries)
  const partBytes = Math.max(1, options.globalPartBytes ?? GLOBAL_PART_BYTES)
  const decodeStored = options.decodeStored ?? storedEventDecoder(domain)
  // Kept only by a domain that opts in, on a store that keeps keyed rows.
  const storeKeyed = version === undefined ? undefined : store.keyedState
  const cache = new KeyedCache()
  const rowCodec = keyedSpec?.rows

  let head: Head = emptyHead
  let lastRecordedAt: string | null = null
  let meta: Meta | null = null
  // Rows of the global part in the store, deleted beyond the count of the next write.
  let savedParts = 0
  // The description's position in the store (null: none), which every write expects to find.
  let base: number | null = null
  if (storeKeyed !== undefined) {
    const rows = await storeKeyed.readKeyed(space, [KEYED_META_KEY])
    if (E.isLeft(rows)) return rows
    const row = rows.right.get(KEYED_META_KEY)
    if (row !== undefined) {
      base = row.position
      let saved: unknown
      try {
        saved = deserialize(row.bytes)
      } catch {
        saved = null
      }
      if (isMeta(saved)) savedParts = saved.parts ?? 0
      if (isMeta(saved) && saved.version === version && saved.rows === ROW_CODEC) {
        const hash = row.position === 0 ? E.right('') : await hashAt(store, row.position)
        if (E.isLeft(hash)) return hash
        const globals =
          hash.right === saved.hash
            ? await readGlobals(storeKeyed, space, row.position, saved)
            : E.right(null)
        if (E.isLeft(globals)) return globals
        if (globals.right !== null) {
          meta = { ...saved, globals: globals.right.value }
          head = { position: row.position, hash: saved.hash }
          lastRecordedAt = saved.lastRecordedAt
        }
      }
    }
  }
  // From the initial state every key is known; stale rows of another start are cleared at the first write.
  let reset = meta === null && base !== null
  cache.complete = meta === null
  let state: W =
    keyedSpec !== undefined
      ? keyedSpec.withEntries(cache, meta?.globals)
      : meta !== null
        ? (meta.globals as W)
        : validator.initialState()
  let savedAt = head.position
  // Where rows are read and written: the store's, or an import's transaction (without keyed rows of its
  // own, the store's committed rows are read and nothing is written until it ends).
  let reader: KeyedStateStore | undefined = storeKeyed
  let writer: KeyedStateStore | undefined = storeKeyed
  let inSession = false
  let wroteInSession = false
  let stale = false

  const load = async (keys: Iterable<string>): Promise<E.Either<StoreError, void>> => {
    const missing = [...new Set(keys)].filter((key) => !cache.has(key))
    if (missing.length === 0) return E.right(undefined)
    const rows = reader === undefined ? E.right(new Map()) : await reader.readKeyed(space, missing)
    if (E.isLeft(rows)) return rows
    for (const key of missing) {
      const row = rows.right.get(key)
      if (row !== undefined && row.position > head.position) {
        stale = true
        return E.left(
          storageError(
            `the write state kept beside the log was moved on by another writer (a row at ${row.position}, this state at ${head.position}); open it again`,
          ),
        )
      }
      let value: unknown
      try {
        if (row === undefined) value = undefined
        else {
          const kept = decodeKeyed(row.bytes)
          value = rowCodec === undefined ? kept : rowCodec.fromRow(key, kept)
        }
      } catch (cause) {
        return E.left(storageError(`the write state's row ${JSON.stringify(key)} cannot be read`, cause))
      }
      cache.loaded(key, value)
    }
    return E.right(undefined)
  }

  /** Loads every key the event needs, following keys that depend on loaded ones; returns them. */
  const ensure = async (event: Ev): Promise<E.Either<StoreError, ReadonlyArray<string>>> => {
    if (keyedSpec === undefined) return E.right([])
    let keys = keyedSpec.keysOf(state, event)
    for (let round = 0; round < 8; round++) {
      if (keys.every((key) => cache.has(key))) return E.right(keys)
      const loaded = await load(keys)
      if (E.isLeft(loaded)) return loaded
      keys = keyedSpec.keysOf(state, event)
    }
    return E.left(storageError(`the keys of an event kept growing: ${keys.slice(0, 5).join(', ')}`))
  }

  const globals = (): unknown => (keyedSpec === undefined ? state : keyedSpec.globalsOf(state))

  /**
   * Writes the changed entries (of `only`, when given), and the description when `withMeta`; false when
   * another writer moved it.
   */
  const write = async (
    withMeta: boolean,
    only?: ReadonlyArray<string>,
  ): Promise<E.Either<StoreError, boolean>> => {
    if (writer === undefined || version === undefined) return E.right(true)
    const keys = only === undefined ? [...cache.dirty] : only.filter((key) => cache.dirty.has(key))
    if (!withMeta && keys.length === 0 && !reset) return E.right(true)
    const entries: { key: string; bytes: Uint8Array | null }[] = []
    for (const key of keys) {
      const value = cache.peek(key)
      let bytes: Uint8Array | null
      try {
        bytes =
          value === undefined
            ? null
            : encodeKeyed(rowCodec === undefined ? value : rowCodec.toRow(key, value), key)
      } catch (cause) {
        return E.left(storageError(`the write state's entry ${JSON.stringify(key)} cannot be kept`, cause))
      }
      entries.push({ key, bytes })
    }
    const parts = { count: 0 }
    if (inSession) wroteInSession = true
    const written = await writer.writeKeyed(space, {
      position: head.position,
      entries,
      expectMeta: base,
      ...(reset ? { reset: true } : {}),
      ...(withMeta
        ? {
            tail: describedTail(globals(), partBytes, reset ? 0 : savedParts, parts, (count): Meta => ({
              version,
              rows: ROW_CODEC,
              hash: head.hash,
              lastRecordedAt,
              parts: count,
            })),
          }
        : {}),
    })
    if (E.isLeft(written)) return written
    if (!written.right) {
      stale = true
      return written
    }
    if (only === undefined) cache.dirty.clear()
    else for (const key of keys) cache.dirty.delete(key)
    if (withMeta) {
      base = head.position
      savedAt = head.position
      savedParts = parts.count
    } else if (reset) base = null
    reset = false
    return written
  }

  /** Folds an event whose keys are loaded. */
  const fold = (
    keys: ReadonlyArray<string>,
    event: Ev,
    context: EventContext,
  ): E.Either<StoreError, void> => {
    cache.misses.clear()
    state = validator.evolve(state, event, context)
    if (cache.misses.size > 0)
      return E.left(
        storageError(
          `the domain's keysOf left out ${[...cache.misses].slice(0, 5).join(', ')}, which its fold read`,
        ),
      )
    for (const key of keys) if (cache.peek(key) !== undefined) cache.dirty.add(key)
    return FOLDED
  }

  const evolve = async (event: Ev, context: EventContext): Promise<E.Either<StoreError, void>> => {
    const keys = await ensure(event)
    if (E.isLeft(keys)) return keys
    return fold(keys.right, event, context)
  }

  const evolveLoaded = (event: Ev, context: EventContext): E.Either<StoreError, void> | typeof NOT_LOADED => {
    if (keyedSpec === undefined) return fold(NO_KEYS, event, context)
    const keys = keyedSpec.keysOf(state, event)
    for (const key of keys) if (!cache.has(key)) return NOT_LOADED
    return fold(keys, event, context)
  }

  const advance = (to: Head, recordedAt: string | null): void => {
    head = to
    lastRecordedAt = recordedAt
  }

  const settle = async (): Promise<E.Either<StoreError, void>> => {
    if (cache.slots.size <= capacity || writer === undefined || version === undefined)
      return E.right(undefined)
    const victims = cache.leastRecentlyUsed(Math.floor((capacity * 3) / 4))
    // Inside an import the rows go into its transaction, which ends with the description: only the
    // entries dropped are written now, the others when the import saves (an entry changed again and
    // again is written once, not at every settle). Outside one, rows are written only with the
    // description, at a position whose events are committed: every changed entry.
    const written = await write(!inSession, inSession ? victims : undefined)
    if (E.isLeft(written)) {
      // Inside an import its transaction failed: the import's error. Outside one (a read-only store, a
      // lock held too long) the state goes on in memory, unbounded, as it would without the port.
      if (inSession) return written
      writer = undefined
      return E.right(undefined)
    }
    if (!written.right) return E.right(undefined)
    for (const key of victims) cache.slots.delete(key)
    cache.complete = false
    return E.right(undefined)
  }

  const catchUp = async (onProgress?: Progress): Promise<E.Either<StoreError, void>> => {
    const total = await store.headPosition()()
    if (E.isLeft(total)) return total
    let done = head.position
    for await (const batch of store.readAll({ fromPosition: head.position + 1 })) {
      if (E.isLeft(batch)) return batch
      const events: Ev[] = []
      for (const envelope of batch.right) {
        const event = decodeStored(envelope)
        if (E.isLeft(event))
          return E.left(event.left._tag === 'DomainError' ? storageError(event.left.message) : event.left)
        events.push(event.right)
      }
      const fetched = await prefetch(events)
      if (E.isLeft(fetched)) return fetched
      for (const [i, envelope] of batch.right.entries()) {
        const event = events[i] as Ev
        const context = { stream: envelope.stream, recordedAt: envelope.recordedAt }
        const folded = evolveLoaded(event, context)
        const evolved = folded === NOT_LOADED ? await evolve(event, context) : folded
        if (E.isLeft(evolved)) return evolved
        advance({ position: envelope.position, hash: envelope.hash }, envelope.recordedAt)
      }
      done += batch.right.length
      const settled = await settle()
      if (E.isLeft(settled)) return settled
      onProgress?.(done, Math.max(done, total.right))
    }
    return E.right(undefined)
  }

  const prefetch = async (events: ReadonlyArray<Ev>): Promise<E.Either<StoreError, void>> => {
    if (keyedSpec === undefined || cache.complete) return E.right(undefined)
    const keys: string[] = []
    for (const event of events) keys.push(...keyedSpec.keysOf(state, event))
    return load(keys)
  }

  const read = async <A>(f: (state: W) => A): Promise<E.Either<StoreError, A>> => {
    for (let round = 0; round < 8; round++) {
      cache.misses.clear()
      const value = f(state)
      if (cache.misses.size === 0) return E.right(value)
      const loaded = await load([...cache.misses])
      if (E.isLeft(loaded)) return loaded
    }
    return E.left(storageError('a read of the write state kept missing keys'))
  }

  const readLoaded = <A>(f: (state: W) => A): A | typeof NOT_LOADED => {
    cache.misses.clear()
    const value = f(state)
    return cache.misses.size === 0 ? value : NOT_LOADED
  }

  const side: WriteSide<Ev, W> = {
    state: () => state,
    head: () => head,
    lastRecordedAt: () => lastRecordedAt,
    cached: () => cache.slots.size,
    stale: () => stale,
    prefetch,
    read,
    evolve,
    readLoaded,
    evolveLoaded,
    advance,
    catchUp,
    settle,
    save: () => write(true),
    foldedSinceSaved: () => head.position - savedAt,
    mustSave: () => wroteInSession || worthSaving(head.position - savedAt, head.position),
    enterSession: (keyed) => {
      inSession = true
      wroteInSession = false
      reader = storeKeyed === undefined ? undefined : (keyed ?? storeKeyed)
      writer = storeKeyed === undefined ? undefined : keyed
    },
    leaveSession: () => {
      inSession = false
      reader = storeKeyed
      writer = storeKeyed
    },
  }
  const caught = await catchUp(options.onProgress)
  return E.isLeft(caught) ? caught : E.right(side)
}

/**
 * Whether enough was folded since the state was last saved to save it again: at least 10,000 events and
 * a tenth of the log, so that a small command does not pay for writing the state's global part.
 */
export const worthSaving = (foldedSinceSaved: number, logSize: number): boolean =>
  foldedSinceSaved >= 10_000 && foldedSinceSaved >= logSize / 10
