/**
 * The validator: checks an incoming event against the state of everything recorded before it, so
 * that an imported event is accepted exactly when a command could have produced it. Every rejection
 * names its rule (see `RULES`).
 */
import { domainError, type DomainError, type EventContext, type Validator } from '@ketnap/kernel'
import type { DomainEvent } from './events'
import { dayStartInVietnamMs } from './calendar'
import { asPolicies, policyOn, type Policies, type Policy } from './policy'
import { businessDateOf, streamOf, streamPersonOf } from './streams'
import {
  clearBirthDates,
  emptyWorld,
  globalsOf,
  worldOver,
  type BirthDateKeeping,
  type WorldGlobals,
  type WorldState,
} from './internal/world'
import { keysOf } from './internal/rules/keys'
import { worldRows } from './internal/rows'
import { fail, type CheckContext } from './internal/rules/check'
import * as org from './internal/rules/organizations'
import * as person from './internal/rules/persons'
import * as plans from './internal/rules/plans'
import { evolveWorld } from './internal/rules/evolve'

const checkByType = (ctx: CheckContext, e: DomainEvent): void => {
  switch (e.type) {
    case 'OrganizationRegistered':
      return org.checkOrganizationRegistered(ctx, e)
    case 'OrganizationMoved':
      return org.checkOrganizationMoved(ctx, e)
    case 'OrganizationDissolved':
      return org.checkOrganizationDissolved(ctx, e)
    case 'OrganizationRated':
      return org.checkOrganizationRated(ctx, e)
    case 'UnitRegistered':
      return org.checkUnitRegistered(ctx, e)
    case 'UnitMoved':
      return org.checkUnitMoved(ctx, e)
    case 'UnitRetired':
      return org.checkUnitRetired(ctx, e)
    case 'VillageRegistered':
      return org.checkVillageRegistered(ctx, e)
    case 'VillageRetired':
      return org.checkVillageRetired(ctx, e)
    case 'CandidateNominated':
      return person.checkCandidateNominated(ctx, e)
    case 'AwarenessClassCompleted':
      return person.checkAwarenessClassCompleted(ctx, e)
    case 'BackgroundVerified':
      return person.checkBackgroundVerified(ctx, e)
    case 'CellVoted':
      return person.checkCellVoted(ctx, e)
    case 'CommitteeVoted':
      return person.checkCommitteeVoted(ctx, e)
    case 'AdmissionDecided':
      return person.checkAdmissionDecided(ctx, e)
    case 'MemberAdmitted':
      return person.checkMemberAdmitted(ctx, e)
    case 'MembershipConfirmed':
      return person.checkMembershipConfirmed(ctx, e)
    case 'CandidacyClosed':
      return person.checkCandidacyClosed(ctx, e)
    case 'AdmissionAnnulled':
      return person.checkAdmissionAnnulled(ctx, e)
    case 'ExistingMemberRegistered':
      return person.checkExistingMemberRegistered(ctx, e)
    case 'MemberTransferred':
      return person.checkMemberTransferred(ctx, e)
    case 'MemberMoved':
      return person.checkMemberMoved(ctx, e)
    case 'MemberLeft':
      return person.checkMemberLeft(ctx, e)
    case 'PersonForgotten':
      return person.checkPersonForgotten(ctx, e)
    case 'QuotaAssigned':
      return plans.checkQuotaAssigned(ctx, e)
    case 'QuotaRevised':
      return plans.checkQuotaRevised(ctx, e)
    case 'TargetSet':
      return plans.checkTargetSet(ctx, e)
    case 'AwarenessClassHeld':
      return plans.checkAwarenessClassHeld(ctx, e)
    case 'VillageHeadAppointed':
      return plans.checkVillageHeadAppointed(ctx, e)
  }
}

/** The last instant `instantMs` parsed, and its value: an event's is read by its check, then its fold. */
let lastInstant: string | undefined
let lastInstantMs = Number.NaN

/** Epoch milliseconds of an instant, NaN when unparseable. */
const instantMs = (recordedAt: string): number => {
  if (recordedAt !== lastInstant) {
    lastInstantMs = Date.parse(recordedAt)
    lastInstant = recordedAt
  }
  return lastInstantMs
}

/**
 * Every rule `event` breaks given `world` (empty when it is valid). `recordedAt` is when it is
 * recorded; without it the record-clock rule is left to the store.
 * @internal
 */
export const checkEvent = (
  world: WorldState,
  event: DomainEvent,
  policy: Policy | Policies,
  recordedAt?: string,
): ReadonlyArray<DomainError> => {
  const errors: DomainError[] = []
  const date = businessDateOf(event)
  const policies = asPolicies(policy)
  const ctx: CheckContext = { world, policy: policyOn(policies, date), policies, errors }
  const datePath = event.type === 'AwarenessClassHeld' ? 'data.from' : 'data.on'
  if (recordedAt !== undefined) {
    const ms = instantMs(recordedAt)
    if (Number.isNaN(ms))
      errors.push(domainError('record-clock', `recordedAt ${recordedAt} is not an instant`, 'recordedAt'))
    else if (ms < dayStartInVietnamMs(date)) {
      fail(
        ctx,
        'record-clock',
        `recorded at ${recordedAt}, before ${date} began in Vietnam (UTC+7)`,
        'recordedAt',
      )
    } else if (ms < world.lastRecordedAt) {
      fail(ctx, 'record-clock', `recorded at ${recordedAt}, earlier than the log's last event`, 'recordedAt')
    }
  }
  const stream = streamOf(event)
  const streamPerson = streamPersonOf(event)
  const last =
    streamPerson === undefined ? world.lastDates.get(stream) : world.persons.get(streamPerson)?.lastDate
  if (last !== undefined && date < last) {
    fail(ctx, 'date-order', `${date} is before ${last}, the last date of stream ${stream}`, datePath)
  }
  checkByType(ctx, event)
  return errors
}

/**
 * The version of the world's shape and of the way events fold into it: raise it whenever either
 * changes, so that a world saved beside the log by an older ketnap is not read back (the log is
 * replayed instead). Version 5: a person's profile keeps only what the rules read (`RulesProfile`).
 * Version 6: on an encrypted store the birth date is kept sealed (`sealedBirthDate`); a clear store's
 * rows are as they were, folded again once. Version 7: the quotas are keyed entries (`q:`), no longer
 * part of the global part. Version 8: a person's record is kept as a positional row, an organization's
 * member set as an array (`rows.ts`).
 */
const WORLD_VERSION = 8

/** FNV-1a of a text, 32 bits. */
const fnv1a = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/**
 * The validator state's version for a policy: the world's own version and a digest of the policy's
 * values, since folding reads the policy (a vote passes by its majority), so that a world folded under
 * one policy is never read back under another.
 */
const stateVersionOf = (policies: Policies): number =>
  WORLD_VERSION * 0x100000 + (fnv1a(JSON.stringify(policies)) % 0x100000)

/**
 * The validator of the party development domain under `policy`: one policy, or dated policies each
 * deciding the events of its business dates. Its worlds keep birth dates by `birthDates` (in clear
 * unless an encrypted store's domain seals them, `withEncryptedPersonalData`).
 */
export const validator = (
  policy: Policy | Policies,
  birthDates: BirthDateKeeping = clearBirthDates,
): Validator<DomainEvent, WorldState> => {
  // Sorted once: the rules are handed the sorted list, which they use as it is.
  const policies = asPolicies(policy)
  return {
    initialState: () => emptyWorld(birthDates),
    stateVersion: stateVersionOf(policies),
    // Persons, stream dates, member sets, classes and quotas are kept by key; the organization tree whole.
    keyed: {
      keysOf,
      withEntries: (entries, globals) => worldOver(entries, globals as WorldGlobals | undefined, birthDates),
      globalsOf,
      rows: worldRows,
    },
    validate: (state, event, context: EventContext) => checkEvent(state, event, policies, context.recordedAt),
    evolve: (state, event, context: EventContext) => {
      const ms = instantMs(context.recordedAt)
      return evolveWorld(state, event, policies, Number.isNaN(ms) ? state.lastRecordedAt : ms)
    },
  }
}

/** Folds an accepted event into the world (in place), without a record clock. @internal */
export const evolve = (world: WorldState, event: DomainEvent, policy: Policy | Policies): WorldState =>
  evolveWorld(world, event, policy, world.lastRecordedAt)
