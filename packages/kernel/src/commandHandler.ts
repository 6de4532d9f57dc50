/**
 * The command handlers. `handleCommand`: read a stream, fold it through a decider, decide, and append
 * with the version read as the expected version; on a concurrency conflict read again and decide again, a
 * bounded number of times. `createLogCommandHandler`: the same over the state of the whole log (a
 * domain's validator state), kept caught up between calls, with commands that arrive together decided in
 * turn and appended as one group.
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import { mayRecord, owner, type Actor, type ForbiddenError } from './access'
import type { Decider } from './decider'
import type { CommandDomain } from './domain'
import type { Envelope, Json, NewEvent } from './envelope'
import { domainError, type DomainError, type StoreError } from './errors'
import type { EventStore, StreamAppend } from './eventStore'
import { normalizeInstant } from './hashChain'
import { openWriteSide, storedEventDecoder, worthSaving, type WriteSide } from './writeState'

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

/** Options of `createLogCommandHandler`. */
export interface LogCommandHandlerOptions<Ev> {
  /** The clock of a default `recordedAt`; default the system clock. */
  readonly now?: () => Date
  /**
   * Reads a stored envelope back to an event; default: upcast with the domain's upcasters and decode,
   * an envelope that does not decode being a StorageError that names its position.
   */
  readonly decodeStored?: (envelope: Envelope) => E.Either<DomainError | StoreError, Ev>
  /** Commands decided and appended together at most; default 256. */
  readonly maxGroup?: number
  /** Keyed entries of the rules' state held in memory at most (see `openWriteSide`); default 100,000. */
  readonly cacheEntries?: number
}

/** Options of one command given to a log command handler. */
export interface HandleLogCommandOptions {
  /**
   * Who records the events: their `actor` is its name; a bound actor's events are checked by the
   * domain's access policy. Default the owner without a name.
   */
  readonly actor?: Actor
  /** When they enter the record (ISO 8601); default the handler's clock, never before the log's last. */
  readonly recordedAt?: string
  /** Conflicts with another writer retried (deciding again on the new state); default 3. */
  readonly maxRetries?: number
}

/** What a command handled against the whole log did: the events decided, as stored. */
export interface HandledLogCommand<Ev> {
  readonly events: ReadonlyArray<Ev>
  readonly appended: ReadonlyArray<Envelope>
}

/**
 * Handles commands against the state of the whole log, kept caught up between calls. Commands that
 * arrive while a group is being written wait, and are then decided one after another (each on the state
 * after the previous ones) and appended together.
 */
export interface LogCommandHandler<C, Ev, W = unknown> {
  /**
   * Decides one command and appends its events; the answer is this command's own. A bound actor's
   * events are refused (`ForbiddenError`, nothing written) where the domain's access policy says so.
   */
  readonly handle: (
    command: C,
    options?: HandleLogCommandOptions,
  ) => TE.TaskEither<DomainError | ForbiddenError | StoreError, HandledLogCommand<Ev>>
  /** Runs `task` between groups, none being written meanwhile (for writes past the handler, e.g. an import). */
  readonly exclusive: <A>(task: () => Promise<A>) => Promise<A>
  /**
   * Runs `read` on the rules' state of the whole log, caught up, between groups (e.g. an access check
   * of a read); `read` must not change the state.
   */
  readonly inspect: <A>(read: (state: W) => A) => TE.TaskEither<DomainError | StoreError, A>
  /**
   * Keeps the rules' state, caught up, beside the log now (its changed rows and description), rather
   * than when enough was folded: e.g. once an erasure changed a row that must not keep its old value.
   */
  readonly save: () => TE.TaskEither<StoreError, void>
}

type Outcome<Ev> = E.Either<DomainError | ForbiddenError | StoreError, HandledLogCommand<Ev>>

/** A command waiting for its group. */
interface Waiting<C, Ev> {
  readonly command: C
  readonly actor: Actor
  /** The caller's `recordedAt`, normalized. */
  readonly given: string | undefined
  retries: number
  settled: boolean
  readonly resolve: (outcome: Outcome<Ev>) => void
  readonly reject: (cause: unknown) => void
}

/** A command of the group that produced events, and the request that appends them. */
interface Decided<C, Ev> {
  readonly waiting: Waiting<C, Ev>
  readonly events: ReadonlyArray<Ev>
  request: ReadonlyArray<StreamAppend>
  readonly recordedAt: string
  /** Its events were folded into the state, before the store took them, for the next command to see. */
  evolved: boolean
}

/**
 * Creates the command handler of a domain over a store: the rules' state of the whole log is folded
 * once and caught up before each group; each group's commands are decided in arrival order and their
 * events appended in order, stopping at the first that fails; a command that meets another writer is
 * decided again on the new state, up to its `maxRetries`.
 */
export const createLogCommandHandler = <C, Ev, W>(
  store: EventStore,
  domain: CommandDomain<C, Ev, W>,
  options: LogCommandHandlerOptions<Ev> = {},
): LogCommandHandler<C, Ev, W> => {
  const now = options.now ?? (() => new Date())
  const maxGroup = Math.max(1, options.maxGroup ?? 256)
  const decodeStored = options.decodeStored ?? storedEventDecoder(domain)

  // The rules' state of the log (`openWriteSide`); null when it must be opened again (a failure half-way,
  // events folded ahead of the store that it did not take, or another process moving the kept state on).
  let side: WriteSide<Ev, W> | null = null
  // Stream versions learnt from this handler's own appends while nothing else was written; others are
  // asked of the store.
  const versions = new Map<string, number>()
  let versionsAt = -1

  const queue: Waiting<C, Ev>[] = []
  let tail: Promise<unknown> = Promise.resolve()
  let pumping = false

  /** Runs tasks one at a time, in call order: groups and exclusive tasks never overlap. */
  const serially = <A>(task: () => Promise<A>): Promise<A> => {
    const result = tail.then(task, task)
    tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }

  const catchUp = async (): Promise<E.Either<StoreError, WriteSide<Ev, W>>> => {
    let current = side
    side = null // a failure half-way leaves nothing usable behind
    if (current !== null && !current.stale()) {
      const caught = await current.catchUp()
      if (E.isLeft(caught)) return caught
    } else {
      const opened = await openWriteSide(store, domain, {
        decodeStored,
        ...(options.cacheEntries === undefined ? {} : { cacheEntries: options.cacheEntries }),
      })
      if (E.isLeft(opened)) return opened
      current = opened.right
    }
    // Events this handler did not write since it last looked: the versions it knew may be behind.
    if (current.head().position !== versionsAt) versions.clear()
    versionsAt = current.head().position
    // Keep the state beside the log for the next process once enough has been folded since it was last
    // kept (best effort: not keeping it only means a longer fold there).
    if (worthSaving(current.foldedSinceSaved(), current.head().position)) await current.save()
    side = current
    return E.right(current)
  }

  /** The request appending a command's events: runs of one stream, each expecting the version it builds on. */
  const requestOf = (
    events: ReadonlyArray<Ev>,
    actor: Actor,
    recordedAt: string,
    planned: Map<string, number>,
  ): StreamAppend[] => {
    const parts: { stream: string; events: NewEvent[] }[] = []
    for (const event of events) {
      const stream = domain.streamOf(event)
      const { type, data } = domain.encode(event)
      const newEvent: NewEvent = {
        type,
        data,
        schemaVersion: domain.schemaVersionOf(type),
        actor: actor.name,
        recordedAt,
      }
      const last = parts[parts.length - 1]
      if (last !== undefined && last.stream === stream) last.events.push(newEvent)
      else parts.push({ stream, events: [newEvent] })
    }
    return parts.map((part) => {
      const expectedVersion = planned.get(part.stream) ?? versions.get(part.stream) ?? 0
      planned.set(part.stream, expectedVersion + part.events.length)
      return { stream: part.stream, events: part.events, expectedVersion }
    })
  }

  const evolveAll = async (
    world: WriteSide<Ev, W>,
    events: ReadonlyArray<Ev>,
    recordedAt: string,
  ): Promise<E.Either<StoreError, void>> => {
    for (const event of events) {
      const evolved = await world.evolve(event, { stream: domain.streamOf(event), recordedAt })
      if (E.isLeft(evolved)) return evolved
    }
    return E.right(undefined)
  }

  const settle = (waiting: Waiting<C, Ev>, outcome: Outcome<Ev>): void => {
    waiting.settled = true
    waiting.resolve(outcome)
  }

  const runGroup = async (group: ReadonlyArray<Waiting<C, Ev>>): Promise<void> => {
    const caught = await catchUp()
    if (E.isLeft(caught)) {
      for (const waiting of group) settle(waiting, caught)
      return
    }
    const world = caught.right
    const decided: Decided<C, Ev>[] = []
    const planned = new Map<string, number>()
    let last = world.lastRecordedAt() ?? ''
    /** A failure of the state's rows: every command of the group not yet answered gets it. */
    const failed = (error: StoreError): void => {
      side = null
      for (const waiting of group) if (!waiting.settled) settle(waiting, E.left(error))
    }
    for (const [i, waiting] of group.entries()) {
      // The instant is fixed before deciding, so that the rules see what will be stored.
      const clock = now().toISOString()
      const recordedAt = waiting.given ?? (last > clock ? last : clock)
      const read = await world.read((state) =>
        domain.decide(waiting.command, state, { recordedAt, actor: waiting.actor }),
      )
      if (E.isLeft(read)) return failed(read.left)
      const result = read.right
      if (E.isLeft(result)) {
        settle(waiting, result)
        continue
      }
      const events = result.right
      // Asked of the state before the command, as an import asks it of the state before the line.
      const asked = await world.read((state) => {
        let first: ForbiddenError | null = null
        for (const event of events)
          first ??= mayRecord(domain.access, waiting.actor, event, state, domain.encode(event).type)
        return first
      })
      if (E.isLeft(asked)) return failed(asked.left)
      const refused = asked.right
      if (refused !== null) {
        settle(waiting, E.left(refused))
        continue
      }
      if (events.length === 0) {
        settle(waiting, E.right({ events, appended: [] }))
        continue
      }
      const entry: Decided<C, Ev> = {
        waiting,
        events,
        request: requestOf(events, waiting.actor, recordedAt, planned),
        recordedAt,
        evolved: false,
      }
      decided.push(entry)
      if (recordedAt > last) last = recordedAt
      // The next command is decided on the state after this one; the last needs no such fold ahead.
      if (i < group.length - 1) {
        entry.evolved = true
        const evolved = await evolveAll(world, events, recordedAt)
        if (E.isLeft(evolved)) return failed(evolved.left)
      }
    }
    if (decided.length === 0) {
      side = world
      return
    }
    // Versions of streams this handler has not appended to since it last looked: ask the store for
    // those, then build the requests again on them.
    {
      const unknown = new Set<string>()
      for (const d of decided)
        for (const event of d.events) {
          const stream = domain.streamOf(event)
          if (!versions.has(stream)) unknown.add(stream)
        }
      for (const stream of unknown) {
        const version = await store.streamVersion(stream)()
        if (E.isLeft(version)) {
          for (const d of decided) settle(d.waiting, version)
          side = null
          return
        }
        versions.set(stream, version.right)
      }
      if (unknown.size > 0) {
        const replanned = new Map<string, number>()
        for (const d of decided) d.request = requestOf(d.events, d.waiting.actor, d.recordedAt, replanned)
      }
    }
    // One transaction for the whole group, stopping at the first request that fails: the ones after it
    // were decided on a state that included it.
    const results = await store.appendBatches(
      decided.map((d) => d.request),
      { stopAtFirstFailure: true },
    )()
    // The state stays the fold of the log as long as the group's events landed right after `position`,
    // in order; events folded ahead that did not land so make it unusable.
    let trusted = true
    let dirty = false
    let position = world.head().position
    const retry: Waiting<C, Ev>[] = []
    for (const [i, entry] of decided.entries()) {
      const result = results[i]
      if (result !== undefined && E.isRight(result)) {
        const { appended } = result.right
        const lastAppended = appended.at(-1)
        if (trusted && appended[0]?.position === position + 1 && lastAppended !== undefined) {
          const evolved = entry.evolved
            ? E.right(undefined)
            : await evolveAll(world, entry.events, entry.recordedAt)
          if (E.isLeft(evolved)) trusted = false
          for (const envelope of appended) versions.set(envelope.stream, envelope.version)
          position += appended.length
          world.advance({ position, hash: lastAppended.hash }, lastAppended.recordedAt)
        } else {
          trusted = false
          if (entry.evolved) dirty = true
        }
        settle(entry.waiting, E.right({ events: entry.events, appended }))
        continue
      }
      trusted = false
      if (entry.evolved) dirty = true
      // Not attempted: an earlier command of the group failed, and this one may have built on it.
      if (result === undefined) {
        retry.push(entry.waiting)
        continue
      }
      const error = result.left
      // Another writer moved a stream, or the log's clock past the instant chosen here: decide again.
      const retryable =
        error._tag === 'ConcurrencyError' ||
        (error._tag === 'RecordClockError' && entry.waiting.given === undefined)
      if (retryable && entry.waiting.retries > 0) {
        entry.waiting.retries -= 1
        retry.push(entry.waiting)
      } else settle(entry.waiting, result)
    }
    side = dirty || !trusted ? null : world
    if (side !== null) {
      versionsAt = position
      // Memory within the cache's bound, now that the state is the log's (best effort).
      const settled = await side.settle()
      if (E.isLeft(settled)) side = null
    }
    queue.unshift(...retry)
  }

  const pump = async (): Promise<void> => {
    if (pumping) return
    pumping = true
    try {
      while (queue.length > 0) {
        await serially(async () => {
          const group = queue.splice(0, maxGroup)
          try {
            await runGroup(group)
          } catch (cause) {
            // A throwing decider or store is a bug: its callers see the exception, the state is refolded.
            side = null
            for (const waiting of group) if (!waiting.settled) waiting.reject(cause)
          }
        })
      }
    } finally {
      pumping = false
    }
  }

  const handle: LogCommandHandler<C, Ev>['handle'] =
    (command, handleOptions = {}) =>
    () => {
      let given: string | undefined
      if (handleOptions.recordedAt !== undefined) {
        const normalized = normalizeInstant(handleOptions.recordedAt)
        if (E.isLeft(normalized))
          return Promise.resolve(
            E.left(domainError(normalized.left.code, normalized.left.message, 'recordedAt')),
          )
        given = normalized.right
      }
      return new Promise<Outcome<Ev>>((resolve, reject) => {
        queue.push({
          command,
          actor: handleOptions.actor ?? owner(),
          given,
          retries: handleOptions.maxRetries ?? 3,
          settled: false,
          resolve,
          reject,
        })
        void pump()
      })
    }

  const inspect: LogCommandHandler<C, Ev, W>['inspect'] = (read) => () =>
    serially(async () => {
      const caught = await catchUp()
      return E.isLeft(caught) ? caught : caught.right.read(read)
    })

  const save: LogCommandHandler<C, Ev, W>['save'] = () => () =>
    serially(async () => {
      const caught = await catchUp()
      if (E.isLeft(caught)) return caught
      return E.map(() => undefined)(await caught.right.save())
    })

  return { handle, exclusive: serially, inspect, save }
}
