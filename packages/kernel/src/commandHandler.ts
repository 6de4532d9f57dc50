/**
 * The command handler: read a stream, fold it through a decider, decide, and append with the version
 * read as the expected version; on a concurrency conflict read again and decide again, a bounded number
 * of times.
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { Decider } from './decider'
import type { Envelope, Json, NewEvent } from './envelope'
import type { DomainError, StoreError } from './errors'
import type { EventStore } from './eventStore'

/** What the handler needs besides the store: the decider and how its events are stored. */
export interface CommandHandler<C, Ev, S> {
  readonly decider: Decider<C, Ev, S>
  /** The stream a command is decided on. */
  readonly streamOf: (command: C) => string
  /** An event's type and JSON data as stored. */
  readonly encode: (event: Ev) => { readonly type: string; readonly data: Json }
  /** A stored envelope back to an event (upcast first when schemas evolve). */
  readonly decode: (envelope: Envelope) => E.Either<DomainError, Ev>
  /** The current schema version of an event type; default 1. */
  readonly schemaVersionOf?: (type: string) => number
}

/** Options of `handleCommand`. */
export interface HandleCommandOptions {
  /** Conflicts retried before giving up with the ConcurrencyError; default 3. */
  readonly maxRetries?: number
  /** Who records the events. */
  readonly actor?: string | null
  /** When they enter the record; default the store clock. */
  readonly recordedAt?: string
}

/** What a handled command did: the events decided, as stored, and the state after them. */
export interface HandledCommand<Ev, S> {
  readonly events: ReadonlyArray<Ev>
  readonly appended: ReadonlyArray<Envelope>
  readonly state: S
}

const fold = <C, Ev, S>(
  handler: CommandHandler<C, Ev, S>,
  envelopes: ReadonlyArray<Envelope>,
): E.Either<DomainError, S> => {
  let state = handler.decider.initialState
  for (const envelope of envelopes) {
    const event = handler.decode(envelope)
    if (E.isLeft(event)) return event
    state = handler.decider.evolve(state, event.right)
  }
  return E.right(state)
}

/** Handles one command against its stream with optimistic concurrency and bounded retries. */
export const handleCommand =
  <C, Ev, S>(
    store: EventStore,
    handler: CommandHandler<C, Ev, S>,
    command: C,
    options: HandleCommandOptions = {},
  ): TE.TaskEither<DomainError | StoreError, HandledCommand<Ev, S>> =>
  async () => {
    const stream = handler.streamOf(command)
    const maxRetries = options.maxRetries ?? 3
    for (let attempt = 0; ; attempt++) {
      const envelopes = await store.readStream(stream)()
      if (E.isLeft(envelopes)) return envelopes
      const state = fold(handler, envelopes.right)
      if (E.isLeft(state)) return state
      const decided = handler.decider.decide(command, state.right)
      if (E.isLeft(decided)) return decided
      const events = decided.right
      const after = events.reduce(handler.decider.evolve, state.right)
      if (events.length === 0) return E.right({ events, appended: [], state: after })
      const newEvents: NewEvent[] = events.map((event) => {
        const { type, data } = handler.encode(event)
        return {
          type,
          data,
          schemaVersion: handler.schemaVersionOf?.(type) ?? 1,
          actor: options.actor ?? null,
          ...(options.recordedAt === undefined ? {} : { recordedAt: options.recordedAt }),
        }
      })
      const expectedVersion = envelopes.right.at(-1)?.version ?? 0
      const result = await store.append(stream, newEvents, { expectedVersion })()
      if (E.isRight(result)) return E.right({ events, appended: result.right.appended, state: after })
      if (result.left._tag !== 'ConcurrencyError' || attempt >= maxRetries) return result
    }
  }
