/**
 * The policy: every number of the admission rules (ages, majority, probation, deadlines, validity,
 * holidays) as one dated value passed to the rules, never a constant in code. Defaults follow
 * DOMAIN.md (Quy định 24-QĐ/TW 2021 and its successors).
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

/** The default policy of DOMAIN.md, with Vietnam's public holidays 2010-2035. */
export const defaultPolicy: Policy = {
  validFrom: '1930-02-03',
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
 * True when a vote of `inFavour` out of `eligible` reaches the policy's majority: the one rule the
 * validator and the funnel both read. @internal
 */
export const votePasses = (policy: Pick<Policy, 'majority'>, inFavour: number, eligible: number): boolean =>
  eligible >= 1 && inFavour * policy.majority.denominator >= eligible * policy.majority.numerator
