/**
 * Compact per-person state: one slot per person in a set of typed arrays, 18 bytes a person, so that
 * the several million persons of a national run fit in memory. Only what later events need is kept:
 * where the person is held and lives, their birth (for the age window and a readmission's profile),
 * the day they left (for the wait before a readmission), and the last day one of their facts was
 * recorded (the record clock of their stream).
 * @internal
 */
import { addRow } from './columns'

/** Where a person stands. @internal */
export const Phase = {
  none: 0,
  candidate: 1,
  closed: 2,
  probationary: 3,
  official: 4,
  left: 5,
  annulled: 6,
} as const

/** A person's phase. @internal */
export type Phase = (typeof Phase)[keyof typeof Phase]

/** Flag bits. @internal */
export const Flag = {
  female: 1,
  ethnicMinority: 2,
  /** Admitted again once already (kết nạp lại). */
  readmitted: 4,
  /** Left by resigning or expulsion: never admitted again. */
  noReadmission: 8,
} as const

/** The person table. @internal */
export interface Persons {
  /** Persons so far; person `i` has id `personId(i)`. */
  count: number
  /** Holder index of the organization holding the headcount (a candidate's: their cell). */
  holder: Int32Array
  /** Village of residence, -1 for none. */
  village: Int32Array
  birth: Uint16Array
  /** The day they left the party (struck off, not confirmed...). */
  left: Uint16Array
  /** The last record day of the person's stream. */
  lastRecord: Uint16Array
  phase: Uint8Array
  flags: Uint8Array
  occupation: Uint8Array
  /** Low nibble: ethnicity + 1 (0 for none); high nibble: religion + 1 (0 for none). */
  origin: Uint8Array
}

/** An empty table with room for `capacity` persons (it grows when needed). @internal */
export const personsTable = (capacity: number): Persons => ({
  count: 0,
  holder: new Int32Array(capacity),
  village: new Int32Array(capacity),
  birth: new Uint16Array(capacity),
  left: new Uint16Array(capacity),
  lastRecord: new Uint16Array(capacity),
  phase: new Uint8Array(capacity),
  flags: new Uint8Array(capacity),
  occupation: new Uint8Array(capacity),
  origin: new Uint8Array(capacity),
})

/** Adds a person and returns their index; every field starts at zero (village: none). @internal */
export const addPerson = (t: Persons): number => {
  const i = addRow(t, t.holder)
  t.village[i] = -1
  return i
}

/** The id of person `i`. @internal */
export const personId = (i: number): string => `ng${i + 1}`
