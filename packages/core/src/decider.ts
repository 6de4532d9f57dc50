/**
 * The decider: turns a command into the event it produces, after running the same decoder and the
 * same validator as an import, so that deciding and importing accept exactly the same facts.
 */
import * as E from 'fp-ts/Either'
import { domainError, type Decider, type DomainError } from '@ketnap/kernel'
import { commandData, type Command } from './commands'
import { decodeEvent } from './decode'
import type { CommandCode, DecodeCode } from './errorCodes'
import type { DomainEvent } from './events'
import type { Policies, Policy } from './policy'
import { checkEvent, evolve } from './validator'
import { emptyWorld, type WorldState } from './internal/world'

/**
 * Decides a command against the world: the events it produces, or the first rule it breaks.
 * `recordedAt` (ISO instant) enables the record-clock rule; without it the store checks the clock.
 */
export const decide = (
  command: Command,
  world: WorldState,
  policy: Policy | Policies,
  recordedAt?: string,
): E.Either<DomainError, ReadonlyArray<DomainEvent>> => {
  const { type, data } = commandData(command)
  if (type === undefined) {
    return E.left(
      domainError('unknown-command' satisfies CommandCode, `unknown command ${String(command.kind)}`, 'kind'),
    )
  }
  const decoded = decodeEvent(type, data)
  if (E.isLeft(decoded)) {
    const first = decoded.left[0]
    return E.left(first ?? domainError('invalid-type' satisfies DecodeCode, 'invalid command', 'data'))
  }
  const errors = checkEvent(world, decoded.right, policy, recordedAt)
  const first = errors[0]
  return first === undefined ? E.right([decoded.right]) : E.left(first)
}

/**
 * The decider as a kernel `Decider` record. Its state is the validator's mutable world: `evolve`
 * updates it in place and returns it, and each read of `initialState` gives a fresh empty world.
 */
export const partyDecider = (policy: Policy | Policies): Decider<Command, DomainEvent, WorldState> => ({
  get initialState() {
    return emptyWorld()
  },
  decide: (command, state) => decide(command, state, policy),
  evolve: (state, event) => evolve(state, event, policy),
})
