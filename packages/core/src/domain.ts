/**
 * The party development domain plugged into the kernel: codecs, stream routing, the validator and the
 * reports projection.
 */
import type { AccessPolicy, Actor, CommandDomain, ForbiddenError, Json, Projection } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { partyAccess, type PartyRead } from './access'
import { commandData, type Command } from './commands'
import { decide } from './decider'
import { decodeEvent } from './decode'
import type { DomainEvent } from './events'
import { defaultPolicy, type Policy } from './policy'
import { reportsProjection } from './projections/reportsProjection'
import { reportsReadModel, type ReportsReadModel } from './readModel/reportsReadModel'
import { streamOf } from './streams'
import { validator } from './validator'
import type { WorldState } from './internal/world'

/** Options of the domain. */
export interface PartyDevelopmentOptions {
  /** The rules' numbers; `defaultPolicy` when absent. */
  readonly policy?: Policy
}

/**
 * The party development domain as the kernel sees it, with the policy its rules and reports use: the one
 * place the policy is given, so that deciding, importing and reporting cannot use two different ones.
 */
export interface PartyDevelopment extends CommandDomain<Command, DomainEvent, WorldState> {
  /** The numbers of the rules and reports (ages, majorities, probation, deadlines, holidays). */
  readonly policy: Policy
  /** The read model the reports are answered from (also in `readModels`). */
  readonly readModel: ReportsReadModel
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
  const policy = options?.policy ?? defaultPolicy
  return {
    name: 'party-development',
    policy,
    decide: (command, world, context) => {
      const refused = refusedBeforeRules(command, world, context.actor)
      return refused === null ? decide(command, world, policy, context.recordedAt) : E.left(refused)
    },
    decode: decodeEvent,
    encode: (event) => ({ type: event.type, data: event.data as unknown as Json }),
    schemaVersionOf: () => 1,
    streamOf,
    upcasters: [],
    validator: validator(policy),
    projections: [reportsProjection as Projection<unknown>],
    readModels: [reportsReadModel],
    readModel: reportsReadModel,
    access: partyAccess,
  }
}
