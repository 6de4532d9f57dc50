/**
 * The pluggable domain: one value that tells the kernel's generic append, import, replay and
 * projection machinery everything it needs about a domain's events.
 */
import type * as E from 'fp-ts/Either'
import type { AccessPolicy, Actor, ForbiddenError } from './access'
import type { Json } from './envelope'
import type { DomainError } from './errors'
import type { ReadModel } from './readModel'
import type { Upcaster } from './upcaster'

/** What the validator knows of an event besides its data. */
export interface EventContext {
  /** The stream the event goes to. */
  readonly stream: string
  /** When it is (or will be) recorded: ISO 8601 instant, UTC. */
  readonly recordedAt: string
}

/**
 * The per-key part of a validator state, read and written synchronously. The kernel backs it with a
 * bounded cache over the store's keyed rows and loads the keys an event needs (`KeyedValidator.keysOf`)
 * before the rules run; a key it has not loaded reads as absent and is noted, and a pure read (validate,
 * decide) is then run again once it is loaded.
 */
export interface KeyedEntries {
  /** The value under `key`, `undefined` when there is none. */
  readonly get: (key: string) => unknown
  /** Sets the value under `key` (a value read and changed in place need not be set again). */
  readonly set: (key: string, value: unknown) => void
}

/** Entries held whole in memory, every key known: for a state folded outside the kernel's write side. */
export const inMemoryEntries = (): KeyedEntries => {
  const values = new Map<string, unknown>()
  return { get: (key) => values.get(key), set: (key, value) => void values.set(key, value) }
}

/**
 * How a validator's state splits into a global part, held in memory and saved whole, and keyed entries
 * kept in the store: what lets the kernel validate a large log without holding the state whole.
 */
export interface KeyedValidator<Ev, W> {
  /**
   * Every key the event's validation and fold read or change, given the state (a second call, once those
   * are loaded, may name more: the members of an organization being dissolved). Non-empty keys only.
   */
  readonly keysOf: (state: W, event: Ev) => ReadonlyArray<string>
  /** A state over `entries`, from a global part saved before (`undefined`: the initial state). */
  readonly withEntries: (entries: KeyedEntries, globals: unknown) => W
  /** The global part of a state (plain records, arrays, Maps and Sets), saved whole. */
  readonly globalsOf: (state: W) => unknown
  /**
   * How entries are kept as rows, when not as they are: a compact form of an entry's value (plain
   * records, arrays, Maps and Sets, written by the kernel's keyed codec) and the value it reads back to.
   * For every entry the rules set, `fromRow(key, toRow(key, value))` must equal `value`. A frequent
   * entry (a person's record) written positionally is a third of its size as a record: fewer pages of
   * the store to read and write, less text to parse. Raise `stateVersion` when it changes.
   */
  readonly rows?: KeyedRowCodec
}

/** A compact form of keyed entries' values (`KeyedValidator.rows`). */
export interface KeyedRowCodec {
  /** The form of `value` kept under `key`. */
  readonly toRow: (key: string, value: unknown) => unknown
  /** The value a kept form reads back to. */
  readonly fromRow: (key: string, row: unknown) => unknown
}

/**
 * Accepts or rejects an event given the state of everything before it, so that an imported event is
 * accepted exactly when a command could have produced it.
 */
export interface Validator<Ev, W> {
  /** A fresh state of an empty log. */
  readonly initialState: () => W
  /** Every rule the event breaks given the state before it (empty when it is valid). */
  readonly validate: (state: W, event: Ev, context: EventContext) => ReadonlyArray<DomainError>
  /** Folds an accepted event into the state (may update in place and return it). */
  readonly evolve: (state: W, event: Ev, context: EventContext) => W
  /**
   * Set when the state may be saved beside the log (structured serialization: plain records, arrays,
   * Maps and Sets) so that a fresh process folds only the events after it; raise it whenever the
   * state's shape or `evolve` changes, so that older snapshots are ignored.
   */
  readonly stateVersion?: number
  /** Set when part of the state is kept by key (`KeyedValidator`); without it the state is global whole. */
  readonly keyed?: KeyedValidator<Ev, W>
}

/** A domain plugged into the kernel. */
export interface Domain<Ev, W> {
  /** Name of the domain, for messages. */
  readonly name: string
  /** Decodes an event from outside (type and raw data); errors carry a path and a code. */
  readonly decode: (type: string, data: unknown) => E.Either<ReadonlyArray<DomainError>, Ev>
  /** The event's type and JSON data as stored. */
  readonly encode: (event: Ev) => { readonly type: string; readonly data: Json }
  /** The current schema version of an event type. */
  readonly schemaVersionOf: (type: string) => number
  /** The stream an event belongs to, derived from its data. */
  readonly streamOf: (event: Ev) => string
  /** Upcasters for older schema versions. */
  readonly upcasters: ReadonlyArray<Upcaster>
  /** The rules, over the state of the whole log. */
  readonly validator: Validator<Ev, W>
  /** The read models kept as tables in the store (kernel `createReadModelRunner`). */
  readonly readModels?: ReadonlyArray<ReadModel<Ev>>
  /**
   * Who may record what, over the validator's state: asked for every event a bound actor records
   * (commands and imports). Without one only the owner may record.
   */
  readonly access?: AccessPolicy<Ev, W>
}

/** What deciding a command knows besides the state: when its events will enter the record. */
export interface DecideContext {
  /** The `recordedAt` its events will carry (ISO 8601 instant, UTC), fixed before deciding. */
  readonly recordedAt: string
  /**
   * Who the command is for. A domain asks its access policy about a bound actor's command before its
   * rules, so that a refusal says nothing of the state the actor may not see; the command handler asks
   * again about the events decided, so a domain that does not is still held to its policy.
   */
  readonly actor?: Actor
}

/**
 * A domain that also decides commands, against the validator's state of the whole log: what the
 * kernel's command handler (`createCommandHandler`) needs to turn commands into appended events.
 */
export interface CommandDomain<C, Ev, W> extends Domain<Ev, W> {
  /** The events a command produces given the state of everything before it, or the rule it breaks. */
  readonly decide: (
    command: C,
    state: W,
    context: DecideContext,
  ) => E.Either<DomainError | ForbiddenError, ReadonlyArray<Ev>>
}
