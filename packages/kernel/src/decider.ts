/**
 * The Decider: a plain record `{ initialState, decide, evolve }` (as in Emmett), whose `decide` returns
 * `Either` instead of throwing.
 */
import type * as E from 'fp-ts/Either'
import type { DomainError } from './errors'

/** Turns commands into events given a state folded from earlier events. Pure. */
export interface Decider<C, Ev, S> {
  /** The state before any event. */
  readonly initialState: S
  /** Accepts a command with the events it produces, or rejects it with a rule code. */
  readonly decide: (command: C, state: S) => E.Either<DomainError, ReadonlyArray<Ev>>
  /** Folds one event into the state. */
  readonly evolve: (state: S, event: Ev) => S
}
