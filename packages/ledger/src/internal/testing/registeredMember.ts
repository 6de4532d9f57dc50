/**
 * @internal
 * The fixture of the tests of forgetting and restoring a person: the sample history with one more
 * member registered with every personal field, the clock they run at, and `right`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/Either'

/** The sample history of the domain's contract, as JSON Lines. */
export const sample = readFileSync(
  join(process.env['KETNAP_SHARED_DIR'] ?? 'shared', 'domain', 'sample-history.jsonl'),
  'utf8',
)

/** The clock of these tests. */
export const fixedNow = (): Date => new Date('2024-01-01T00:00:00Z')

/** A member registered with every personal field, in cell d1-du0-cb1 (under district d1). */
export const REGISTERED = {
  type: 'ExistingMemberRegistered',
  data: {
    personId: 'm-forgotten',
    orgId: 'd1-du0-cb1',
    status: 'official',
    admittedOn: '2019-01-10',
    on: '2019-02-01',
    profile: {
      birthDate: '2000-05-05',
      sex: 'female',
      ethnicMinority: true,
      ethnicity: 'Thái',
      religion: 'Công giáo',
      occupation: 'farmer',
    },
  },
  recordedAt: '2023-09-01T00:00:00Z',
} as const

/** The sample history, then `REGISTERED`: JSON Lines. */
export const historyWithRegistered = `${sample.trimEnd()}\n${JSON.stringify(REGISTERED)}\n`

/** The right of an Either, or a thrown error naming its left. */
export const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}
