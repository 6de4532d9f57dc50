/**
 * Compact per-person state: one slot per person in a set of typed arrays, about 20 bytes a person, so
 * that the several million persons of a national run fit in memory. Only what later events need is
 * kept: where the person is held and lives, their birth (for the age window and a readmission's
 * profile), the dates that rules compare, and the last day one of their facts was recorded (the
 * record clock of their stream).
 * @internal
 */

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
  admitted: Uint16Array
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
  admitted: new Uint16Array(capacity),
  left: new Uint16Array(capacity),
  lastRecord: new Uint16Array(capacity),
  phase: new Uint8Array(capacity),
  flags: new Uint8Array(capacity),
  occupation: new Uint8Array(capacity),
  origin: new Uint8Array(capacity),
})

const grown = <A extends Int32Array | Uint16Array | Uint8Array>(array: A, size: number): A => {
  const next = new (array.constructor as new (n: number) => A)(size)
  next.set(array)
  return next
}

/** Adds a person and returns their index; every field starts at zero (village: none). @internal */
export const addPerson = (t: Persons): number => {
  if (t.count === t.holder.length) {
    const size = Math.ceil(t.holder.length * 1.25) + 1024
    t.holder = grown(t.holder, size)
    t.village = grown(t.village, size)
    t.birth = grown(t.birth, size)
    t.admitted = grown(t.admitted, size)
    t.left = grown(t.left, size)
    t.lastRecord = grown(t.lastRecord, size)
    t.phase = grown(t.phase, size)
    t.flags = grown(t.flags, size)
    t.occupation = grown(t.occupation, size)
    t.origin = grown(t.origin, size)
  }
  const i = t.count++
  t.village[i] = -1
  return i
}

/** The id of person `i`. @internal */
export const personId = (i: number): string => `ng${i + 1}`
