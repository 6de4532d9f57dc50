/**
 * The catalog of rule codes: every rejection of an event names one of these stable kebab-case codes.
 * A code never changes meaning; new rules get new codes.
 */

/** Every rule the validator enforces, by code, with a one-line description. */
export const RULES = {
  'record-clock':
    'a fact is recorded no earlier than its own business date began (UTC+7), and recordedAt never runs backwards in the log',
  'date-order': 'business dates within one stream never go backwards',
  'org-duplicate': 'an organization id is registered only once',
  'org-exists': 'a referenced organization must be registered',
  'org-not-active': 'a referenced organization must be registered and not dissolved on the event date',
  'parent-required': 'only a central or province organization may have no parent',
  'org-cycle': 'moving an organization must not make it its own ancestor',
  'merge-into-self': 'an organization, unit or village cannot be merged into itself',
  'dissolve-has-children': 'an organization with active child organizations cannot be dissolved',
  'dissolve-has-members':
    'an organization whose active members have not been transferred cannot be dissolved',
  'unit-duplicate': 'a unit id is registered only once',
  'unit-exists': 'a referenced unit must be registered',
  'unit-not-active': 'a referenced unit must be registered and not retired on the event date',
  'village-duplicate': 'a village id is registered only once',
  'village-exists': 'a referenced village must be registered',
  'village-not-active': 'a referenced village must be registered and not retired on the event date',
  'person-exists': 'the person must be known (nominated or registered)',
  'person-duplicate': 'an existing member can be registered only for a person not yet known',
  'candidacy-open': 'a person with an open candidacy cannot be nominated again',
  'already-member': 'an active member cannot be nominated',
  readmission:
    'a former member is admitted again only with the province consent, the minimum months after leaving, never after resigning or expulsion, and only once',
  'not-a-candidate': 'the step needs an open candidacy',
  'lifecycle-order':
    'the steps of a candidacy happen in order (class, verification, cell vote, committee vote, decision, admission)',
  'not-cleared': 'the cell votes only on a candidate whose last background verification cleared',
  'vote-counts': 'a vote has eligible ≥ 1 and 0 ≤ inFavour ≤ eligible',
  'age-window':
    'at the cell vote the candidate is a full 18 to a full 60 years old, older only with an age exception',
  'cell-vote-majority':
    "the step needs a cell vote that reached the policy's majority of all eligible members (two thirds by default)",
  'committee-vote-majority':
    "the decision needs the committee vote, where recorded, to reach the policy's majority (two thirds by default)",
  'admission-org': 'a candidate is admitted into the organization that considered the candidacy',
  'not-a-member': 'the step needs an active member',
  'not-a-member-or-candidate': 'the step needs an active member or an open candidacy',
  'not-probationary': 'only a probationary member can be confirmed',
  'probation-not-over': 'confirmation comes no earlier than the end of probation (admission + 12 months)',
  'not-admitted': 'only an admission that stands can be annulled',
  'admitted-on': 'an existing member was admitted on or before the date of registration',
  'leave-reason':
    'not-confirmed only for a probationary member whose probation is over; expelled only for an official member',
  'quota-duplicate': 'one quota per organization, period, occupation and assigner',
  'quota-assigner': 'a quota is assigned by the organization itself or one of its ancestors on that date',
  'quota-unknown': 'a revised quota must have been assigned',
  'quota-ambiguous':
    'a revision names its assigner when the organization holds several quotas for that period and occupation',
  'class-duplicate': 'an awareness class id is recorded only once',
  'class-dates': 'an awareness class ends on or after the day it starts',
} as const

/** A rule code. */
export type RuleCode = keyof typeof RULES
