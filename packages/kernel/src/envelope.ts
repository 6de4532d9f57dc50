/**
 * Envelopes: an event as it is stored, with its place in the log and its audit hash.
 */

/** A JSON value, as events are stored and hashed. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** An event as a caller hands it to a store: the fact, and optionally when and by whom it was recorded. */
export interface NewEvent {
  /** The event type, e.g. `MemberAdmitted`. */
  readonly type: string
  /** The event payload; must be JSON. */
  readonly data: Json
  /** A unique id; an event whose id is already stored is skipped (idempotent retries). Generated when absent. */
  readonly id?: string
  /** Schema version of `data`; defaults to 1. */
  readonly schemaVersion?: number
  /** ISO 8601 instant the fact entered the record; defaults to the store clock. */
  readonly recordedAt?: string
  /** Who recorded it; `null` when unknown. */
  readonly actor?: string | null
}

/** An event as stored: the full envelope of EVENTS.md, in log order. */
export interface Envelope {
  /** Global position, 1-based, gapless. */
  readonly position: number
  /** The stream the event belongs to, e.g. `person-p-0001`. */
  readonly stream: string
  /** Version within the stream, 1-based, gapless. */
  readonly version: number
  /** Unique id of the event. */
  readonly id: string
  /** Event type. */
  readonly type: string
  /** Schema version of `data`. */
  readonly schemaVersion: number
  /** Event payload. */
  readonly data: Json
  /** ISO 8601 instant in UTC with milliseconds (`Date.prototype.toISOString`), non-decreasing in log order. */
  readonly recordedAt: string
  /** Who recorded it, or `null`. */
  readonly actor: string | null
  /** Hash of the previous envelope in global order, `""` for the first. */
  readonly prevHash: string
  /** SHA-256 (hex) of the canonical JSON of this envelope without `hash`. */
  readonly hash: string
}

/** The envelope fields covered by the hash: everything but `hash`. */
export type UnsealedEnvelope = Omit<Envelope, 'hash'>

/** The head of a log: its last position and that event's hash (position 0 and `""` for an empty log). */
export interface Head {
  readonly position: number
  readonly hash: string
}
