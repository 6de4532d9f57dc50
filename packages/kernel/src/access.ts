/**
 * Who may record and read what: the actor a call is made for, and the `AccessPolicy` port a domain
 * implements to decide, from the state of everything recorded before, whether a bound actor may record
 * an event or make a read. Identity is the embedding application's job: the library is told who acts and
 * for which scope (in a party domain, an organization), and never guesses it.
 */
import type { AccessCode } from './errorCodes'

/**
 * The store's owner: full rights (any event, any read, the whole log). An explicit value, never a
 * default, so that acting as the owner is always a decision of the caller.
 */
export interface Owner {
  readonly _tag: 'Owner'
  /** Recorded as the `actor` of events that do not state their own (null: none). */
  readonly name: string | null
}

/** An authenticated actor acting for one scope (an organization): what the access policy restricts. */
export interface BoundActor {
  readonly _tag: 'BoundActor'
  /** Who acts: recorded as the `actor` of every event it records. */
  readonly name: string
  /** What it acts for, in the domain's terms (an organization id). */
  readonly scope: string
}

/** The actor a call is made for: the owner, or an actor bound to a scope. */
export type Actor = Owner | BoundActor

/** The store's owner, recording events under `name` (default none). */
export const owner = (name: string | null = null): Owner => ({ _tag: 'Owner', name })

/** An actor bound to `scope`, recording under `name` (by default the scope itself). */
export const boundActor = (scope: string, name: string = scope): BoundActor => ({
  _tag: 'BoundActor',
  name,
  scope,
})

/** A refusal by the access policy: nothing was written or read. */
export interface ForbiddenError {
  readonly _tag: 'ForbiddenError'
  readonly code: AccessCode
  /** The actor refused (its name). */
  readonly actor: string
  /** What it asked: an event type, or a read (`report roll`, `history`, `export`). */
  readonly action: string
  /** What the refused action is about, in the domain's terms (an organization id). */
  readonly scope: string
  readonly message: string
}

/** Builds a ForbiddenError. */
export const forbidden = (actor: string, action: string, scope: string, message: string): ForbiddenError => ({
  _tag: 'ForbiddenError',
  code: 'forbidden',
  actor,
  action,
  scope,
  message,
})

/**
 * The port: a domain's rules of who may record and read what, given the state of everything recorded
 * before (the validator's state). Only bound actors are asked about; the owner may do anything.
 * `R` describes a read in the domain's terms (a report on an organization, a person's history).
 */
export interface AccessPolicy<Ev, W, R = never> {
  /** Why `actor` may not record `event` on top of `state`; null when it may. */
  readonly mayRecord: (actor: BoundActor, event: Ev, state: W) => ForbiddenError | null
  /** Why `actor` may not make `read` given `state`; null when it may. */
  readonly mayRead: (actor: BoundActor, read: R, state: W) => ForbiddenError | null
}

/**
 * Whether `actor` may record `event`: the owner always may; a bound actor as the policy says, and not
 * at all where the domain has no policy (closed by default).
 */
export const mayRecord = <Ev, W>(
  policy: AccessPolicy<Ev, W, never> | undefined,
  actor: Actor,
  event: Ev,
  state: W,
  action: string,
): ForbiddenError | null => {
  if (actor._tag === 'Owner') return null
  if (policy === undefined)
    return forbidden(
      actor.name,
      action,
      actor.scope,
      `${action}: the domain has no access policy, only the owner may record`,
    )
  return policy.mayRecord(actor, event, state)
}

/**
 * The refusal of a line recorded for `actor` that names another actor: a bound actor records under its
 * own name only (a line without `actor` takes it); the owner may record under any.
 */
export const actorMismatch = (actor: Actor, stated: unknown, action: string): ForbiddenError | null =>
  actor._tag === 'Owner' || stated === actor.name
    ? null
    : forbidden(
        actor.name,
        action,
        actor.scope,
        `the line is recorded by ${JSON.stringify(stated)}, but this import runs as ${JSON.stringify(actor.name)}`,
      )
