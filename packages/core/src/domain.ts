/**
 * The party development domain plugged into the kernel: codecs, stream routing, the validator and the
 * reports projection.
 */
import {
  domainError,
  type AccessPolicy,
  type Actor,
  type CommandDomain,
  type ForbiddenError,
  type Json,
  type Reporting,
} from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { partyAccess, type PartyRead } from './access'
import { commandData, type Command } from './commands'
import { decide } from './decider'
import { decodeEvent } from './decode'
import type { DomainEvent } from './events'
import { asPolicies, defaultPolicies, type Policies, type Policy } from './policy'
import { vietnamDateOf } from './calendar'
import { reportsProjection, runReport } from './projections/reportsProjection'
import { decodeReportRequest } from './reportQuery'
import type { ReportsState } from './projections/state'
import type { Report, ReportName, ReportQuery } from './reports'
import { reportsReadModel, type ReportsReadModel } from './readModel/reportsReadModel'
import { streamOf } from './streams'
import { validator } from './validator'
import type { WorldState } from './internal/world'

/** Options of the domain. */
export interface PartyDevelopmentOptions {
  /** One policy for every date: the same as `policies: [policy]`. */
  readonly policy?: Policy
  /**
   * Dated policies, each deciding the events (and the reports' dates) from its `validFrom`;
   * `defaultPolicies` (24-QĐ/TW, 232-QĐ/TW, 294-QĐ/TW) when neither this nor `policy` is given.
   */
  readonly policies?: Policies
}

/**
 * The party development domain as the kernel sees it, with the policy its rules and reports use: the one
 * place the policy is given, so that deciding, importing and reporting cannot use two different ones.
 */
export interface PartyDevelopment extends CommandDomain<Command, DomainEvent, WorldState> {
  /** The policy in force last (the latest `validFrom`): the one of today's events. */
  readonly policy: Policy
  /** The dated policies of the rules and reports (ages, majorities, probation, deadlines, holidays). */
  readonly policies: Policies
  /** The read model the reports are answered from (also in `readModels`). */
  readonly readModel: ReportsReadModel
  /**
   * How the reports are answered: the reports projection (replayed, the reference; also in
   * `projections`), the reports read model, and the report code under this domain's policies.
   */
  readonly reporting: Reporting<DomainEvent, ReportsState, ReportName, ReportQuery, Report>
  /** Who may record and read what (`partyAccess`): an actor bound to an organization, its subtree. */
  readonly access: AccessPolicy<DomainEvent, WorldState, PartyRead>
}

/**
 * The refusal of a bound actor's command, asked before any rule about the event the command would
 * produce (its data decoded only), so that a refusal says nothing of the state the actor may not see;
 * null for the owner, or a command that does not decode (its decoding error comes first).
 */
const refusedBeforeRules = (
  command: Command,
  world: WorldState,
  actor: Actor | undefined,
): ForbiddenError | null => {
  if (actor?._tag !== 'BoundActor') return null
  const { type, data } = commandData(command)
  const event = type === undefined ? null : decodeEvent(type, data)
  return event === null || E.isLeft(event) ? null : partyAccess.mayRecord(actor, event.right, world)
}

/** The party development domain (phát triển đảng viên) for the kernel; every event at schema version 1. */
export const partyDevelopment = (options?: PartyDevelopmentOptions): PartyDevelopment => {
  const policies = asPolicies(
    options?.policies ?? (options?.policy === undefined ? defaultPolicies : options.policy),
  )
  return {
    name: 'party-development',
    policy: policies[policies.length - 1]!,
    policies,
    decide: (command, world, context) => {
      const refused = refusedBeforeRules(command, world, context.actor)
      return refused === null ? decide(command, world, policies, context.recordedAt) : E.left(refused)
    },
    // A clear store cannot forget anyone (nothing of its events can be erased): only the encrypted
    // domain (withEncryptedPersonalData) reads a PersonForgotten line.
    decode: (type, data) =>
      type === 'PersonForgotten'
        ? E.left([
            domainError(
              'no-master-key',
              'this store was created without a master key: its personal data cannot be erased',
              'type',
            ),
          ])
        : decodeEvent(type, data),
    encode: (event) => ({ type: event.type, data: event.data as unknown as Json }),
    schemaVersionOf: () => 1,
    streamOf,
    upcasters: [],
    validator: validator(policies),
    readModels: [reportsReadModel],
    readModel: reportsReadModel,
    reporting: {
      projection: reportsProjection,
      // The rows a report reads depend on its policies (the roll's probation), as the report does.
      readModel: {
        ...reportsReadModel,
        load: (name, query, bounds, tail) => reportsReadModel.load(name, query, bounds, policies, tail),
      },
      decode: (name, query, now) => decodeReportRequest(name, query, vietnamDateOf(now)),
      run: (state, name, query) => runReport(state, name, query, policies),
    },
    access: partyAccess,
  }
}
