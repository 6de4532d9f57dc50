/**
 * The policy: every number of the admission rules (ages, majority, probation, deadlines, validity,
 * holidays) as one dated value passed to the rules, never a constant in code; a list of them, each in
 * force from its `validFrom`, decides each event by its business date. Defaults follow DOMAIN.md
 * (Quy định 24-QĐ/TW 2021, 232-QĐ/TW and 294-QĐ/TW of 2025).
 */
import { vietnameseHolidays, type Holidays } from './calendar'

/** A vote majority as a fraction: the vote passes when inFavour × denominator ≥ eligible × numerator. */
export interface Majority {
  readonly numerator: number
  readonly denominator: number
}

/** The numbers of the admission rules, in force from `validFrom`. */
export interface Policy {
  /** First business date the policy applies to. */
  readonly validFrom: string
  /** Minimum age at the cell vote, in whole months (a full 18 years). */
  readonly minAgeMonths: number
  /** Maximum age at the cell vote without the province's exception, in whole months (a full 60 years). */
  readonly maxAgeMonths: number
  /** Majority of the cell's and the committee's votes (two thirds of all eligible members). */
  readonly majority: Majority
  /** Probation (dự bị), in calendar months from the admission ceremony. */
  readonly probationMonths: number
  /** Working days after probation ends for the recognition decision before it is overdue. */
  readonly confirmationDeadlineWorkingDays: number
  /** Working days from the cell vote to the admission decision. */
  readonly decisionDeadlineWorkingDays: number
  /** One extension of the decision deadline, in working days. */
  readonly decisionExtensionWorkingDays: number
  /** Working days from the decision to the admission ceremony. */
  readonly ceremonyDeadlineWorkingDays: number
  /** Validity of the awareness class certificate, in calendar months. */
  readonly certificateValidityMonths: number
  /** Minimum months between leaving and being admitted again (kết nạp lại). */
  readonly readmissionMinMonths: number
  /** Public holidays: not working days. */
  readonly holidays: Holidays
}

/** The numbers of DOMAIN.md, with Vietnam's public holidays 2010-2035 (every real policy's values). */
const domainValues: Omit<Policy, 'validFrom'> = {
  minAgeMonths: 216,
  maxAgeMonths: 720,
  majority: { numerator: 2, denominator: 3 },
  probationMonths: 12,
  confirmationDeadlineWorkingDays: 30,
  decisionDeadlineWorkingDays: 60,
  decisionExtensionWorkingDays: 30,
  ceremonyDeadlineWorkingDays: 30,
  certificateValidityMonths: 60,
  readmissionMinMonths: 36,
  holidays: vietnameseHolidays(),
}

/**
 * Policies each in force from its `validFrom` up to the next one's, sorted by `validFrom`, never empty.
 * The first also decides dates before its `validFrom` (a history recorded from before it).
 */
export type Policies<P extends { readonly validFrom: string } = Policy> = readonly [P, ...P[]]

/** Quy định 24-QĐ/TW of 30 July 2021; as the first real policy it also decides earlier dates (D30). */
export const policy24: Policy = { ...domainValues, validFrom: '2021-07-30' }
/** Quy định 232-QĐ/TW, in force from 20 January 2025. */
export const policy232: Policy = { ...domainValues, validFrom: '2025-01-20' }
/** Quy định 294-QĐ/TW, in force from 1 July 2025. */
export const policy294: Policy = { ...domainValues, validFrom: '2025-07-01' }

/** The real policies of DOMAIN.md, oldest first: the domain's default. */
export const defaultPolicies: Policies = [policy24, policy232, policy294]

/** The policy in force today among the real ones (294-QĐ/TW): the single-policy default. */
export const defaultPolicy: Policy = policy294

/**
 * A single policy as a one-item list, a list sorted by `validFrom` (stable). A list already sorted is
 * returned as it is, so that the rules, which are handed the domain's sorted list, neither copy nor sort
 * it per event. @internal
 */
export const asPolicies = <P extends { readonly validFrom: string }>(
  policy: P | Policies<P>,
): Policies<P> => {
  if (!Array.isArray(policy)) return [policy as P]
  const list = policy as Policies<P>
  for (let i = 1; i < list.length; i++)
    if (list[i - 1]!.validFrom > list[i]!.validFrom)
      return [...list].sort((a, b) =>
        a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0,
      ) as unknown as Policies<P>
  return list
}

/**
 * The policy in force on the business date `date`: the last whose `validFrom` is on or before it, or
 * the first when `date` precedes them all. `policies` sorted by `validFrom`.
 */
export const policyOn = <P extends { readonly validFrom: string }>(
  policies: Policies<P>,
  date: string,
): P => {
  let found = policies[0]
  for (const p of policies) if (p.validFrom <= date) found = p
  return found
}

/**
 * True when a vote of `inFavour` out of `eligible` reaches the policy's majority: the one rule the
 * validator and the funnel both read. @internal
 */
export const votePasses = (policy: Pick<Policy, 'majority'>, inFavour: number, eligible: number): boolean =>
  eligible >= 1 && inFavour * policy.majority.denominator >= eligible * policy.majority.numerator
