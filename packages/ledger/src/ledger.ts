/**
 * The ledger: the one entry point an application embeds. It holds an event store and a domain (both
 * injected), and offers imports, reports, verification and export for any domain that answers reports
 * (`createDomainLedger`, over the kernel's `ReportingDomain`), and for the party development domain
 * (`createLedger`, its specialisation) also commands, a person's history, encryption and forgetting,
 * each returning a TaskEither with typed errors.
 */
import {
  commandData,
  hasPersonalFields,
  KEYS_READ_BY_RULES,
  personOfData,
  withEncryptedPersonalData,
  type Command,
  type DomainEvent,
  type PartyDevelopment,
  type PartyRead,
  type Report,
  type ReportName,
  type ReportQuery,
  type ReportsState,
  type WorldState,
} from '@ketnap/core'
import {
  DEFAULT_MAX_LINE_BYTES,
  createLogCommandHandler,
  domainError,
  forbidden,
  importJsonLines,
  inMemoryKeyStore,
  keyError,
  openKeyring,
  rotateMasterKey,
  subjectCipher,
  verifyChain,
  type DomainError,
  type Json,
  type HeldKeys,
  type Keyring,
  type KeyringError,
  type LogCommandHandler,
  type MasterKey,
  type StoredKey,
  type ImportSummary,
  type JsonLinesSource,
  type ChainVerification,
  type ReadModelStatus,
  type Actor,
  type BoundActor,
  type ForbiddenError,
  type Envelope,
  type EventStore,
  type Head,
  type StoreError,
  type AccessPolicy,
  type CommandDomain,
  type ReportingDomain,
  type ReportingQuery,
} from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as TE from 'fp-ts/TaskEither'
import { vietnamDateOf } from './businessDate'
import { logTooShort, unknownPerson, unreadableInput, type LedgerError } from './errors'
import { exportLine } from './exportLine'
import { followStore, type FollowOptions, type Follower } from './follow'
import { storedDecoder, type DecodedEnvelope } from './internal/decodeStored'
import { keyLine, loadingKeys, makingKeys, sealedPersonsOf } from './internal/encryption'
import { serialQueue, sharedOrExclusive } from './internal/serial'
import { reportTables, type ReadModelsStatus, type ReportTables } from './readModels'

/** Called as long work advances: items done out of a total (events read, lines checked). */
export type OnProgress = (done: number, total: number) => void

/** What `createLedger` needs: the store and the domain, injected. */
export interface LedgerOptions {
  /** Where the events live (any adapter of the kernel's EventStore port). */
  readonly store: EventStore
  /** The domain, e.g. `partyDevelopment({ policy })`: its policy is the one commands and reports use. */
  readonly domain: PartyDevelopment
  /** The clock: today's business date for reports without `asOf`; default the system clock. */
  readonly now?: () => Date
  /**
   * The store's master key (`masterKey` of 32 bytes). A store first written with it is encrypted for
   * good: the personal fields of every event are sealed under their person's key (docs/security.md),
   * and writing to it without the key is `no-master-key`. Without one, an empty store stays clear.
   */
  readonly masterKey?: MasterKey
  /**
   * Entries of the write side's keyed state (persons, stream dates, member sets) held in memory at most,
   * by commands and imports alike; default `DEFAULT_WRITE_STATE_CACHE_ENTRIES` (100,000). More keeps more
   * persons at hand between writes and costs memory (about 1 KiB each, docs/performance.md).
   */
  readonly writeStateCacheEntries?: number
  /**
   * On an encrypted store, the persons' keys kept in memory beyond those an operation in progress
   * holds; default `DEFAULT_CACHED_KEYS` (100,000). A key let go is read and unwrapped again when needed.
   */
  readonly cachedKeys?: number
}

/** Options of `execute`. */
export interface ExecuteOptions {
  /** When the fact entered the record (ISO 8601); default the store clock. */
  readonly recordedAt?: string
  /** Decisions again after another writer took a stream version (or moved the clock past); default 3. */
  readonly retries?: number
}

/** Options of `forget`. */
export interface ForgetOptions {
  /** Why the person is forgotten (e.g. the reference of their request), recorded in the event. */
  readonly reason?: string
  /** When the erasure entered the record (ISO 8601); default the store clock. */
  readonly recordedAt?: string
}

/** Options of `importEvents`. */
export interface ImportOptions {
  /** Progress of validation: the lines read so far (the source's length is not known ahead). */
  readonly onProgress?: (linesRead: number) => void
  /** The longest line accepted, in bytes of UTF-8 (longer ones are `line-too-long`); default 1 MiB. */
  readonly maxLineBytes?: number
  /** Progress of the replay of the stored log that precedes validation, in events. */
  readonly onReplayProgress?: OnProgress
  /** Progress of the read models' catch-up once the import has committed, in events. */
  readonly onReadModelProgress?: OnProgress
  /**
   * Bring the read models to the head once the import has committed; default true. False leaves them
   * to the next write, report or `catchUpReadModels` (a benchmark times the two phases apart so).
   */
  readonly catchUpReadModels?: boolean
}

/**
 * What a report is asked (`asOf` defaults to today in Vietnam, UTC+7). The query is decoded by the
 * core's report codec (`decodeReportRequest`), as the command line's options are: a refusal is a
 * `DomainError` whose `path` names the field.
 */
export interface ReportOptions {
  readonly orgId: string
  readonly asOf?: string
  readonly knownAt?: string
  readonly period?: string
  readonly occupation?: string
  readonly since?: string
  /**
   * Also count the subtrees of the organizations merged into `orgId`, for the dates before each merge
   * (`--include-merged`); the default attributes by the tree as it stood on each date.
   */
  readonly includeMerged?: boolean
  /**
   * Compute over the first `atPosition` events of the log only (a published checkpoint's size), instead
   * of everything recorded: a figure tied to a published log.
   */
  readonly atPosition?: number
  /** Progress of the replay (or of the read model's catch-up), in events. */
  readonly onProgress?: OnProgress
  /**
   * Replay the log (the reference) even for a report the read model answers; reports the read model
   * does not answer yet are always replayed.
   */
  readonly replay?: boolean
}

/** Options of `verify`. */
export interface VerifyOptions {
  /** A head kept from an earlier verification, which the log must still extend. */
  readonly head?: Head
  /** Progress of the walk, in events. */
  readonly onProgress?: OnProgress
}

/** A line of `exportLines`, or the error that ended the export (always the last item). */
export type ExportItem = E.Either<LedgerError, string>

/** Options of `exportLines`. */
export interface ExportOptions {
  /**
   * An encrypted store's events with their personal fields in clear (or erased), for its owner with the
   * master key: a copy of the personal data, which cannot restore the store (the hashes cover the
   * sealed form). Without it, an encrypted store is exported as stored, each person's key wrapped by
   * the master key on a line of its own before the first event it opens, so that an import with the
   * same master key restores it (and exports the same bytes).
   */
  readonly clear?: boolean
}

/**
 * The embedding API. Every call that records or reads events is made for an actor, given explicitly:
 * `owner()` (full rights) or `boundActor(orgId)` (the organization's subtree, as the domain's access
 * policy says; a refusal is a `ForbiddenError` and nothing is written or read). Identity is the
 * embedding application's job: it passes the actor it has authenticated.
 */
export interface Ledger {
  /**
   * Decides a command against the current state and appends the events it produces, recorded under the
   * actor's name. Concurrent calls are decided in turn and written in one transaction; each gets its
   * own answer.
   */
  readonly execute: (
    command: Command,
    actor: Actor,
    options?: ExecuteOptions,
  ) => TE.TaskEither<LedgerError, ReadonlyArray<Envelope>>
  /**
   * Imports JSON Lines, all or nothing: every invalid line is reported and then nothing is written. The
   * owner keeps each line's `actor`; a bound actor's lines are recorded under its name and may state no
   * other (`forbidden`), like lines outside its rights.
   */
  readonly importEvents: (
    lines: JsonLinesSource,
    actor: Actor,
    options?: ImportOptions,
  ) => TE.TaskEither<LedgerError, ImportSummary>
  /**
   * Computes one report (as of a date, as known at an instant) from the read models kept in the store,
   * brought to the head first; `replay` (and a report the read model does not answer) folds the log
   * instead. A bound actor reads only organizations of its subtree on that date.
   */
  readonly report: (
    name: ReportName,
    actor: Actor,
    options: ReportOptions,
  ) => TE.TaskEither<LedgerError, Report>
  /**
   * Every event of one person's stream, in order; `unknown-person` when there is none. A bound actor
   * reads only the histories of persons who were in its subtree.
   */
  readonly history: (personId: string, actor: Actor) => TE.TaskEither<LedgerError, ReadonlyArray<Envelope>>
  /**
   * Recomputes the hash chain and stream versions, and checks a kept head when given. Open to every
   * actor: it tells positions and hashes only, which checkpoints publish anyway.
   */
  readonly verify: (options?: VerifyOptions) => TE.TaskEither<StoreError, ChainVerification>
  /**
   * Brings the read models kept in the store to the head (reports and writes do it too); null when the
   * store keeps none or is read-only.
   */
  readonly catchUpReadModels: (onProgress?: OnProgress) => TE.TaskEither<LedgerError, ReadModelStatus | null>
  /** Drops the read models' tables and folds the whole log into them again; null as for `catchUpReadModels`. */
  readonly rebuildReadModels: (onProgress?: OnProgress) => TE.TaskEither<LedgerError, ReadModelStatus | null>
  /**
   * Each read model's declared version and the checkpoint the store keeps for it, against the head;
   * reads only (a read-only store too); null when the store keeps no read models (memory:).
   */
  readonly readModelsStatus: () => TE.TaskEither<LedgerError, ReadModelsStatus | null>
  /**
   * Follows the log that other processes write: woken by the store (PostgreSQL LISTEN/NOTIFY, or a cheap
   * poll of a SQLite file), brings the read models to the head each time; its `waitFor` resolves on its own.
   */
  readonly follow: (options?: FollowOptions) => TE.TaskEither<LedgerError, Follower>
  /**
   * The whole log as JSON Lines (full envelopes, one per item, without newlines): the owner's only. An
   * encrypted store's lines also carry its persons' wrapped keys, unless `clear` (`ExportOptions`).
   */
  readonly exportLines: (actor: Actor, options?: ExportOptions) => AsyncIterable<ExportItem>
  /**
   * Forgets a person (crypto-shredding, docs/security.md): records `PersonForgotten` with the actor and
   * the reason (a bound actor may forget the persons of its subtree, as for their other events), then
   * rewrites the rules' state and the read models without the person's personal fields and destroys
   * the person's key. When it returns, the store keeps no readable copy of them (on SQLite, neither in
   * freed pages nor in the write-ahead log); their events read back with the fields erased. A store
   * created without a master key cannot forget: `no-master-key`.
   */
  readonly forget: (
    personId: string,
    actor: Actor,
    options?: ForgetOptions,
  ) => TE.TaskEither<LedgerError, ReadonlyArray<Envelope>>
  /**
   * Rotates the store's master key, the owner's only (docs/security.md): every person's key is
   * unwrapped with the ledger's master key and wrapped with `newKey` in one transaction of the key store,
   * and the ledger uses `newKey` from then on. The events and the chain do not change. A ledger created
   * with another master key than the store's is `wrong-master-key` and nothing changes; one without a
   * key is `no-master-key`. Answers how many persons' keys were re-wrapped.
   */
  readonly rotateMasterKey: (newKey: MasterKey, actor: Actor) => TE.TaskEither<LedgerError, number>
}

/** What `report` is asked besides the query: where in the log, progress, and the reference replay. */
export type ReportControl = Pick<ReportOptions, 'atPosition' | 'onProgress' | 'replay'>

/** What `createDomainLedger` needs: the store, and any domain that answers reports. */
export interface DomainLedgerOptions<D> {
  /** Where the events live (any adapter of the kernel's EventStore port). */
  readonly store: EventStore
  /** The domain: the kernel's `ReportingDomain` (its reports' projection, read model and codec). */
  readonly domain: D
  /** The clock: "now" for imports and for a query's default date; default the system clock. */
  readonly now?: () => Date
  /** As `LedgerOptions.writeStateCacheEntries`. */
  readonly writeStateCacheEntries?: number
}

/**
 * A ledger over any domain that answers reports: imports, reports (from the read model the domain
 * declares, kept in the store by the kernel's runner, or replayed), verification and export. The owner
 * may do all of it; a bound actor may read as the domain's access policy says (none: nothing).
 * `Asked` is a report's query as callers give it, `R` a report.
 */
export interface DomainLedger<Name extends string, Asked, R> {
  readonly importEvents: Ledger['importEvents']
  /** One report, its query decoded by the domain (`Reporting.decode`); it names the log position it reflects. */
  readonly report: (
    name: Name,
    actor: Actor,
    options: Asked & ReportControl,
  ) => TE.TaskEither<LedgerError, R & { readonly log: Head }>
  readonly verify: Ledger['verify']
  readonly catchUpReadModels: Ledger['catchUpReadModels']
  readonly rebuildReadModels: Ledger['rebuildReadModels']
  readonly readModelsStatus: Ledger['readModelsStatus']
  readonly follow: Ledger['follow']
  readonly exportLines: Ledger['exportLines']
}

/** The types a ledger works with, given by its domain. @internal */
interface LedgerTypes {
  readonly command: unknown
  readonly event: unknown
  readonly world: unknown
  /** The state the domain's reports run on (its reports projection's). */
  readonly state: unknown
  readonly name: string
  readonly query: ReportingQuery
  readonly report: object
  /** A read, as the domain's access policy describes it. */
  readonly read: unknown
}

/** The party development domain's. */
interface PartyTypes {
  readonly command: Command
  readonly event: DomainEvent
  readonly world: WorldState
  readonly state: ReportsState
  readonly name: ReportName
  readonly query: ReportQuery
  readonly report: Report
  readonly read: PartyRead
}

/** A domain a ledger runs: it answers reports, and decides commands. @internal */
type DomainOf<T extends LedgerTypes> = CommandDomain<T['command'], T['event'], T['world']> &
  ReportingDomain<T['event'], T['world'], T['state'], T['name'], T['query'], T['report']>

/**
 * What a domain adds to the generic ledger: the reads its access policy is asked about, and for the
 * party development domain, persons (their histories, keys and forgetting). @internal
 */
interface LedgerPlug<T extends LedgerTypes> {
  /** Who may read what; without one, only the owner reads. */
  readonly access: AccessPolicy<T['event'], T['world'], T['read']> | undefined
  /** The read a report is, for the access policy. */
  readonly reportRead: (name: T['name'], query: T['query']) => T['read']
  /** The read an export is. */
  readonly exportRead: T['read']
  /** The read of a person's history (its events decoded). */
  readonly historyRead: (personId: string, events: ReadonlyArray<T['event']>) => T['read']
  /** The stream of a person's history. */
  readonly historyStream: (personId: string) => string
  /** The command that forgets a person, recorded on `on`. */
  readonly forgetCommand: (personId: string, on: string, reason: string | undefined) => T['command']
  /** The person a command forgets, or null. */
  readonly forgotten: (
    command: T['command'],
  ) => { readonly personId: string; readonly reason?: string } | null
  /** Encrypted stores: null for a domain whose events hold no personal data (a store stays clear). */
  readonly encryption: LedgerEncryption<T> | null
}

/** How a domain's personal data is sealed on an encrypted store. @internal */
interface LedgerEncryption<T extends LedgerTypes> {
  /** The ledger's domain sealing personal fields with the persons' keys of `keyring`. */
  readonly seal: (keyring: Keyring) => DomainOf<T>
  /** The person whose personal fields a command records, or null. */
  /**
   * The person whose key a command needs loaded: to seal the personal fields it records (`create`: made
   * when missing), or for a rule to open what the state keeps sealed (the cell vote's age window).
   */
  readonly subjectOfCommand: (
    command: T['command'],
  ) => { readonly person: string; readonly create: boolean } | null
}

/** What a ledger works with, once it knows whether its store is encrypted. */
interface Parts<T extends LedgerTypes> {
  /** The store, reading with the persons' keys loaded on an encrypted store. */
  readonly store: EventStore
  /** The domain, sealing personal fields on an encrypted store. */
  readonly domain: DomainOf<T>
  /** The store's keyring; null for a clear store. */
  readonly keyring: Keyring | null
  /** Whether the keyring was opened without the master key: it reads, never unwraps. */
  readonly locked: boolean
  readonly decodeStored: (envelope: Envelope) => E.Either<DomainError, DecodedEnvelope<T['event']>>
  readonly commands: LogCommandHandler<T['command'], T['event'], T['world']>
  readonly tables: ReportTables<T['name'], T['query'], T['report']>
}

/** The party development domain's part of a ledger: persons, their histories, keys and forgetting. */
const partyPlug = (domain: PartyDevelopment): LedgerPlug<PartyTypes> => ({
  access: domain.access,
  reportRead: (name, query) => ({ kind: 'report', name, orgId: query.orgId, asOf: query.asOf }),
  exportRead: { kind: 'export' },
  historyRead: (personId, events) => ({ kind: 'history', personId, events }),
  historyStream: (personId) => `person-${personId}`,
  forgetCommand: (personId, on, reason) => ({
    kind: 'ForgetPerson',
    personId,
    on,
    ...(reason === undefined ? {} : { reason }),
  }),
  forgotten: (command) =>
    command.kind === 'ForgetPerson'
      ? { personId: command.personId, ...(command.reason === undefined ? {} : { reason: command.reason }) }
      : null,
  encryption: {
    seal: (keyring) => withEncryptedPersonalData(domain, subjectCipher(keyring)),
    subjectOfCommand: (command) => {
      const { type, data } = commandData(command)
      if (type === undefined) return null
      const create = hasPersonalFields(type)
      if (!create && !KEYS_READ_BY_RULES.includes(type)) return null
      // No key for an empty id (the key store's marker subject): the rules refuse the command.
      const person = personOfData(data as Json)
      return person === null || person === '' ? null : { person, create }
    },
  },
})

/** Creates a ledger over an injected store and the party development domain. */
export const createLedger = (options: LedgerOptions): Ledger =>
  ledgerOf<PartyTypes>(options, partyPlug(options.domain))

/**
 * Creates a ledger over an injected store and any domain that answers reports (the kernel's
 * `ReportingDomain`): imports, reports through the read model the domain declares, verification and
 * export. Its store stays clear (a domain of its own declares no personal data to seal).
 */
export const createDomainLedger = <
  Ev,
  W,
  S,
  Name extends string,
  Q extends ReportingQuery,
  R extends object,
  Asked = Q,
>(
  options: DomainLedgerOptions<ReportingDomain<Ev, W, S, Name, Q, R>>,
): DomainLedger<Name, Asked, R> => {
  const { domain } = options
  interface Types {
    readonly command: never
    readonly event: Ev
    readonly world: W
    readonly state: S
    readonly name: Name
    readonly query: Q
    readonly report: R
    readonly read: null
  }
  // A domain of its own decides no commands here: the handler only keeps the rules' state for imports.
  const deciding: DomainOf<Types> = {
    ...domain,
    decide: () => E.left(domainError('unknown-command', `${domain.name}: this ledger takes no commands`)),
  }
  const full = ledgerOf<Types>(
    { ...options, domain: deciding },
    {
      access: undefined,
      reportRead: () => null,
      exportRead: null,
      historyRead: () => null,
      historyStream: (subject) => subject,
      forgetCommand: () => {
        throw new Error('unreachable: this ledger takes no commands')
      },
      forgotten: () => null,
      encryption: null,
    },
  )
  return {
    importEvents: full.importEvents,
    report: (name, actor, reportOptions) => full.report(name, actor, reportOptions),
    verify: full.verify,
    catchUpReadModels: full.catchUpReadModels,
    rebuildReadModels: full.rebuildReadModels,
    readModelsStatus: full.readModelsStatus,
    follow: full.follow,
    exportLines: full.exportLines,
  }
}

/** The ledger over a domain with its plug: every call of `Ledger`, typed by the domain. @internal */
const ledgerOf = <T extends LedgerTypes>(
  options: Omit<LedgerOptions, 'domain'> & { readonly domain: DomainOf<T> },
  plug: LedgerPlug<T>,
) => {
  const { store, domain } = options
  let master = options.masterKey ?? null
  const now = options.now ?? (() => new Date())
  const serially = serialQueue()
  // Commands make their persons' keys outside imports (`importEvents`).
  const keyMaking = sharedOrExclusive()
  const cacheEntries = options.writeStateCacheEntries

  // The reports' state of everything recorded, kept caught up so that a report does not replay the log.
  let reports: T['state'] | null = null
  let reportsPosition = 0
  let reportsHash = ''

  const headPosition = (): Promise<E.Either<StoreError, number>> => store.headPosition()()

  /** What the ledger works with, once it knows whether the store is encrypted. */
  const build = (keyring: Keyring | null, locked: boolean): Parts<T> => {
    const reading = keyring === null ? store : loadingKeys(store, keyring, locked)
    const sealing = keyring === null || plug.encryption === null ? domain : plug.encryption.seal(keyring)
    // On an encrypted store the reports and histories read the events' data in clear (opened with the
    // persons' keys), as the domain gives it back, never the ciphertext.
    const decodeStored = storedDecoder(
      sealing,
      keyring === null ? undefined : (event: T['event']) => domain.encode(event).data,
      locked,
    )
    const decodeEvent = (envelope: Envelope): E.Either<DomainError, T['event']> =>
      E.map((decoded: { readonly event: T['event'] }) => decoded.event)(decodeStored(envelope))
    // The kernel's command handler keeps the rules' state of the whole log caught up between commands,
    // and writes the commands that arrive together as one group.
    const commands = createLogCommandHandler(reading, sealing, {
      now,
      decodeStored: decodeEvent,
      ...(cacheEntries === undefined ? {} : { cacheEntries }),
    })
    // The read models the domain declares, kept in the store: reports read them at a log position.
    const tables = reportTables(reading, sealing.reporting, decodeEvent, sealing.readModels)
    return { store: reading, domain: sealing, keyring, locked, decodeStored, commands, tables }
  }

  let parts: Parts<T> | null = null

  /**
   * The ledger's parts, after reading the store's encryption marker (`openKeyring`) once: a store created
   * with a master key stays encrypted, and writing to it without the key is `no-master-key`. A write
   * with a key to an empty clear store makes it encrypted; a read leaves it as it is.
   */
  const partsFor = async (writing: boolean): Promise<E.Either<LedgerError, Parts<T>>> => {
    if (parts !== null) {
      const settled = parts.keyring === null ? !(writing && master !== null) : !(writing && parts.locked)
      if (settled) return E.right(parts)
    }
    // A domain that seals no personal data keeps its store clear, whatever keys the store can hold.
    const keys = plug.encryption === null ? undefined : store.keyStore
    if (keys === undefined) {
      if (master !== null)
        return E.left(keyError('clear-store', 'this store keeps no keys: it cannot be encrypted'))
      parts ??= build(null, false)
      return E.right(parts)
    }
    const head = await headPosition()
    if (E.isLeft(head)) return head
    const opened = await openKeyring(keys, {
      master,
      empty: head.right === 0,
      writing,
      where: 'this store',
      ...(options.cachedKeys === undefined ? {} : { cachedKeys: options.cachedKeys }),
    })
    if (E.isLeft(opened)) return opened
    const encryption = opened.right
    if (encryption._tag === 'Clear') parts = parts?.keyring === null ? parts : build(null, false)
    else if (parts?.keyring !== encryption.keyring) {
      parts = build(encryption.keyring, master === null)
      reports = null
      reportsPosition = 0
      reportsHash = ''
    }
    return E.right(parts)
  }

  /** Runs `f` with the ledger's parts (for a write when `writing`). */
  const withParts =
    <A>(writing: boolean, f: (p: Parts<T>) => TE.TaskEither<LedgerError, A>): TE.TaskEither<LedgerError, A> =>
    async () => {
      const p = await partsFor(writing)
      return E.isLeft(p) ? p : f(p.right)()
    }

  /**
   * Why a bound actor may not make `read`: as the domain's access policy says, and not at all where the
   * domain has none (closed by default, as for records).
   */
  const refusedRead = (actor: BoundActor, read: T['read'], world: T['world']): ForbiddenError | null =>
    plug.access === undefined
      ? forbidden(actor.name, 'read', actor.scope, `${domain.name}: no access policy lets a bound actor read`)
      : plug.access.mayRead(actor, read, world)

  /**
   * A write followed by the read models' catch-up, as a phase of its own once the write has committed. A
   * failure there leaves them behind the log, and the next report catches them up; the write stands.
   */
  const followed =
    <A>(
      p: Parts<T>,
      write: TE.TaskEither<LedgerError, A>,
      onProgress?: OnProgress,
    ): TE.TaskEither<LedgerError, A> =>
    async () => {
      const written = await write()
      if (E.isRight(written)) await p.tables.catchUp(onProgress)()
      return written
    }

  /**
   * Folds the events after the cached position into the reports' state. The state keeps when each fact
   * was recorded, so one state answers every "as of" and "known at" query. Each event is upcast and
   * decoded first, as commands read them: the projection trusts the shape of what it is given, and a
   * stored event that does not decode (a foreign or tampered store) is an error, not a silent miscount.
   */
  const foldReports = async (
    p: Parts<T>,
    onProgress: OnProgress | undefined,
  ): Promise<E.Either<LedgerError, readonly [T['state'], Head]>> => {
    const total = await headPosition()
    if (E.isLeft(total)) return total
    let state = reports ?? domain.reporting.projection.init()
    reports = null // a failure half-way leaves nothing usable behind
    for await (const batch of p.store.readAll({ fromPosition: reportsPosition + 1 })) {
      if (E.isLeft(batch)) {
        reportsPosition = 0
        reportsHash = ''
        return batch
      }
      for (const envelope of batch.right) {
        const decoded = p.decodeStored(envelope)
        if (E.isLeft(decoded)) {
          reportsPosition = 0
          reportsHash = ''
          return decoded
        }
        state = domain.reporting.projection.apply(state, decoded.right.event, envelope)
      }
      const last = batch.right[batch.right.length - 1]
      reportsPosition = last?.position ?? reportsPosition
      reportsHash = last?.hash ?? reportsHash
      onProgress?.(reportsPosition, total.right)
    }
    reports = state
    return E.right([state, { position: reportsPosition, hash: reportsHash }] as const)
  }

  /**
   * Whether `actor` may make `read`: the owner always may; a bound actor as the domain's access policy
   * says, over the rules' state of the whole log (its organization tree), caught up first.
   */
  const mayRead = (p: Parts<T>, actor: Actor, read: T['read']): TE.TaskEither<LedgerError, void> =>
    actor._tag === 'Owner'
      ? TE.right(undefined)
      : pipe(
          p.commands.inspect((world) => refusedRead(actor, read, world)),
          TE.chainW((refused) => (refused === null ? TE.right(undefined) : TE.left(refused))),
        )

  /**
   * Holds the key of the person a command is about when it needs one, until the command is decided:
   * made when missing for a command recording personal fields, only loaded for one whose rule opens a
   * sealed value (a cell vote).
   */
  const keyOfCommand = async (
    p: Parts<T>,
    command: T['command'],
  ): Promise<E.Either<LedgerError, HeldKeys | null>> => {
    if (p.keyring === null || plug.encryption === null) return E.right(null)
    const subject = plug.encryption.subjectOfCommand(command)
    if (subject === null) return E.right(null)
    return p.keyring.hold([subject.person], subject.create)
  }

  const execute =
    (
      p: Parts<T>,
      command: T['command'],
      actor: Actor,
      executeOptions: ExecuteOptions = {},
    ): TE.TaskEither<LedgerError, ReadonlyArray<Envelope>> =>
    async () => {
      const held = await keyMaking.shared(() => keyOfCommand(p, command))
      if (E.isLeft(held)) return held
      try {
        const handled = await p.commands.handle(command, {
          actor,
          ...(executeOptions.recordedAt === undefined ? {} : { recordedAt: executeOptions.recordedAt }),
          ...(executeOptions.retries === undefined ? {} : { maxRetries: executeOptions.retries }),
        })()
        return E.map((h: { readonly appended: ReadonlyArray<Envelope> }) => h.appended)(handled)
      } finally {
        held.right?.release()
      }
    }

  /**
   * What follows the recording of `PersonForgotten` for `persons`: the rules' state kept now (the rows
   * rewritten without their personal fields), the read models caught up (their profiles made NULL), the
   * reports' state folded again, and last the keys destroyed: on SQLite that checkpoints the write-ahead
   * log into the file and truncates it, so no earlier frame keeps any of it.
   */
  const erase = async (p: Parts<T>, persons: ReadonlyArray<string>): Promise<E.Either<LedgerError, void>> => {
    if (persons.length === 0 || p.keyring === null) return E.right(undefined)
    const saved = await p.commands.save()()
    if (E.isLeft(saved)) return saved
    const caught = await p.tables.catchUp()()
    if (E.isLeft(caught)) return caught
    reports = null
    reportsPosition = 0
    reportsHash = ''
    for (const person of persons) {
      const destroyed = await p.keyring.destroy(person)
      if (E.isLeft(destroyed)) return destroyed
    }
    return E.right(undefined)
  }

  const forget = (
    p: Parts<T>,
    personId: string,
    actor: Actor,
    forgetOptions: ForgetOptions = {},
  ): TE.TaskEither<LedgerError, ReadonlyArray<Envelope>> =>
    p.keyring === null
      ? TE.left(
          keyError(
            'no-master-key',
            'this store was created without a master key: its personal data cannot be erased ' +
              '(docs/security.md: encrypt it by importing its export into a new store created with a key)',
          ),
        )
      : pipe(
          execute(
            p,
            plug.forgetCommand(personId, vietnamDateOf(now()), forgetOptions.reason),
            actor,
            forgetOptions.recordedAt === undefined ? {} : { recordedAt: forgetOptions.recordedAt },
          ),
          TE.chainFirst(() => () => erase(p, [personId])),
          // Asked again for a person already forgotten: the refusal stands, and the erasure is finished
          // first, so that a forget that stopped after recording PersonForgotten and before destroying
          // the key is completed by asking again (destroying a destroyed key changes nothing).
          TE.orElse((error) =>
            (error as { readonly code?: unknown }).code === 'person-erased'
              ? async () => {
                  const erased = await erase(p, [personId])
                  return E.isLeft(erased) ? erased : E.left(error)
                }
              : TE.left(error),
          ),
        )

  /** An import's lines checked and written, in the command handler's turn (`importEvents`). */
  const importing = (
    p: Parts<T>,
    lines: JsonLinesSource,
    actor: Actor,
    importOptions: ImportOptions,
    forgotten: Set<string>,
  ): Promise<E.Either<LedgerError, ImportSummary>> =>
    p.commands.exclusive(async (): Promise<E.Either<LedgerError, ImportSummary>> => {
      // A source that throws (a directory, an I/O error) is the caller's input, not a bug: it becomes
      // a value. The import's transaction is rolled back: nothing has been written.
      const source: { failed: boolean; cause?: unknown } = { failed: false }
      const watch = async function* <A>(items: Iterable<A> | AsyncIterable<A>): AsyncGenerator<A> {
        try {
          yield* items
        } catch (cause) {
          source.failed = true
          source.cause = cause
          throw cause
        }
      }
      const watched: JsonLinesSource =
        typeof lines === 'string'
          ? lines
          : 'bytes' in lines
            ? { bytes: watch(lines.bytes) }
            : watch<string>(lines)
      // On an encrypted store, the keys of the persons the lines seal personal fields of are made first.
      let keyFailure: KeyringError | null = null
      const keyed =
        p.keyring === null || p.locked
          ? null
          : makingKeys(
              watched,
              p.keyring,
              p.store.keyStore ?? inMemoryKeyStore(),
              (error) => {
                keyFailure = error
              },
              (person) => forgotten.add(person),
              importOptions.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
            )
      try {
        return await importJsonLines(p.store, p.domain, keyed?.source ?? watched, {
          now,
          actor,
          ...(keyed === null ? {} : { onChecked: keyed.checked }),
          ...(cacheEntries === undefined ? {} : { cacheEntries }),
          ...(importOptions.onProgress === undefined ? {} : { onProgress: importOptions.onProgress }),
          ...(importOptions.maxLineBytes === undefined ? {} : { maxLineBytes: importOptions.maxLineBytes }),
          ...(importOptions.onReplayProgress === undefined
            ? {}
            : { onReplayProgress: importOptions.onReplayProgress }),
        })()
      } catch (error) {
        if (keyFailure !== null) return E.left(keyFailure)
        if (!source.failed) throw error
        return E.left(unreadableInput(source.cause))
      } finally {
        keyed?.checked(Number.POSITIVE_INFINITY)
      }
    })

  const importEvents =
    (
      p: Parts<T>,
      lines: JsonLinesSource,
      actor: Actor,
      importOptions: ImportOptions = {},
    ): TE.TaskEither<LedgerError, ImportSummary> =>
    async () => {
      // The persons an imported PersonForgotten forgets (a restore), erased once the import committed.
      const forgotten = new Set<string>()
      // The kernel's importer replays the log into its own state; the command handler's and the reports'
      // catch up on their next call. No group of commands is written while an import runs, and no
      // command makes its person's key: a store may take the keys made while an import is open into
      // the import's transaction (SQLite), and a failed import takes them away with it.
      const imported = await keyMaking.exclusive(async () => {
        const result = await importing(p, lines, actor, importOptions, forgotten)
        // A failed import's keys are gone from the store (SQLite): none is used again from memory.
        if (E.isLeft(result) && p.keyring !== null) {
          p.keyring.reset()
          if (parts === p) parts = null
        }
        return result
      })
      if (E.isLeft(imported)) return imported
      // Erased as `forget` erases, after the import (the rules' state is kept between groups).
      const erased = await erase(p, [...forgotten])
      return E.isLeft(erased) ? erased : imported
    }
  /** The reports' state of the first `position` events only, folded on its own (not kept). */
  const foldReportsTo = async (
    p: Parts<T>,
    position: number,
    onProgress: OnProgress | undefined,
  ): Promise<E.Either<LedgerError, readonly [T['state'], Head]>> => {
    let state = domain.reporting.projection.init()
    let last: Head = { position: 0, hash: '' }
    for await (const batch of p.store.readAll({ toPosition: position })) {
      if (E.isLeft(batch)) return batch
      for (const envelope of batch.right) {
        const decoded = p.decodeStored(envelope)
        if (E.isLeft(decoded)) return decoded
        state = domain.reporting.projection.apply(state, decoded.right.event, envelope)
        last = envelope
      }
      onProgress?.(batch.right.at(-1)?.position ?? 0, position)
    }
    return E.right([state, { position: last.position, hash: last.hash }] as const)
  }

  const report = (
    name: T['name'],
    actor: Actor,
    reportOptions: ReportControl & object,
  ): TE.TaskEither<LedgerError, T['report'] & { readonly log: Head }> =>
    withParts(false, (p) => {
      const { onProgress, atPosition, replay, ...asked } = reportOptions
      return pipe(
        // The report's name and query are decoded once, here, with the codec the command line uses too.
        TE.fromEither(domain.reporting.decode(name, asked, now())),
        TE.chainFirst((decoded) => mayRead(p, actor, plug.reportRead(decoded.name, decoded.query))),
        TE.chain((decoded) =>
          computeReport(p, decoded.name, decoded.query, {
            ...(onProgress === undefined ? {} : { onProgress }),
            ...(atPosition === undefined ? {} : { atPosition }),
            ...(replay === undefined ? {} : { replay }),
          }),
        ),
      )
    })

  const computeReport =
    (
      p: Parts<T>,
      name: T['name'],
      query: T['query'],
      control: ReportControl,
    ): TE.TaskEither<LedgerError, T['report'] & { readonly log: Head }> =>
    () =>
      serially(async (): Promise<E.Either<LedgerError, T['report'] & { readonly log: Head }>> => {
        const { onProgress, atPosition, replay } = control
        const head = atPosition === undefined ? null : await headPosition()
        if (head !== null && E.isLeft(head)) return head
        if (head !== null && atPosition !== undefined && atPosition > head.right)
          return E.left(logTooShort(atPosition, head.right))
        const fromTables = await p.tables.report(name, query, {
          ...(atPosition === undefined ? {} : { atPosition }),
          ...(onProgress === undefined ? {} : { onProgress }),
          ...(replay === undefined ? {} : { replay }),
        })
        if (fromTables !== null) return fromTables
        const state =
          atPosition === undefined
            ? await foldReports(p, onProgress)
            : await foldReportsTo(p, atPosition, onProgress)
        if (E.isLeft(state)) return state
        const [folded, at] = state.right
        return E.map((r: T['report']): T['report'] & { readonly log: Head } => ({ ...r, log: at }))(
          domain.reporting.run(folded, name, query),
        )
      })

  const history: Ledger['history'] = (personId, actor) =>
    withParts(false, (p) =>
      pipe(
        p.store.readStream(plug.historyStream(personId)),
        TE.chainW((events) => (events.length === 0 ? TE.left(unknownPerson(personId)) : TE.right(events))),
        TE.chainW((envelopes) =>
          // An encrypted store's history shows the events in clear (or with their fields erased), as
          // the owner of the master key reads them; without the key, as stored.
          p.keyring === null || p.locked
            ? actor._tag === 'Owner'
              ? TE.right(envelopes)
              : pipe(
                  TE.fromEither(E.traverseArray(p.decodeStored)(envelopes)),
                  TE.chain((decoded) =>
                    mayRead(
                      p,
                      actor,
                      plug.historyRead(
                        personId,
                        decoded.map((d) => d.event),
                      ),
                    ),
                  ),
                  TE.map(() => envelopes),
                )
            : pipe(
                TE.fromEither(E.traverseArray(p.decodeStored)(envelopes)),
                TE.chainFirst((decoded) =>
                  actor._tag === 'Owner'
                    ? TE.right(undefined)
                    : mayRead(
                        p,
                        actor,
                        plug.historyRead(
                          personId,
                          decoded.map((d) => d.event),
                        ),
                      ),
                ),
                TE.map((decoded) => decoded.map((d) => d.envelope)),
              ),
        ),
      ),
    )

  const verify: Ledger['verify'] =
    (verifyOptions = {}) =>
    async () => {
      const { head, onProgress } = verifyOptions
      const total = await headPosition()
      if (E.isLeft(total)) return total
      const counted = async function* () {
        for await (const batch of store.readAll()) {
          yield batch
          if (E.isRight(batch)) {
            const last = batch.right[batch.right.length - 1]
            if (last !== undefined) onProgress?.(last.position, total.right)
          }
        }
      }
      return E.right(await verifyChain(counted(), head === undefined ? {} : { head }))
    }

  const exportLines: Ledger['exportLines'] = async function* (actor, exportOptions = {}) {
    const refused =
      actor._tag === 'Owner' ? null : refusedRead(actor, plug.exportRead, domain.validator.initialState())
    if (refused !== null) {
      yield E.left(refused)
      return
    }
    const opened = await partsFor(false)
    if (E.isLeft(opened)) {
      yield opened
      return
    }
    const p = opened.right
    if (p.keyring !== null && exportOptions.clear === true) {
      if (p.locked) {
        yield E.left(
          keyError('no-master-key', 'an export in clear opens the personal fields: it needs the master key'),
        )
        return
      }
      for await (const batch of p.store.readAll()) {
        if (E.isLeft(batch)) {
          yield batch
          return
        }
        for (const envelope of batch.right) {
          const decoded = p.decodeStored(envelope)
          if (E.isLeft(decoded)) {
            yield decoded
            return
          }
          yield E.right(exportLine(decoded.right.envelope))
        }
      }
      return
    }
    const keys = p.keyring === null ? undefined : store.keyStore
    const given = new Set<string>()
    for await (const batch of store.readAll()) {
      if (E.isLeft(batch)) {
        yield batch
        return
      }
      if (keys !== undefined) {
        const persons = [...new Set(sealedPersonsOf(batch.right))].filter((s) => !given.has(s))
        const found =
          persons.length === 0 ? E.right(new Map<string, StoredKey>()) : await keys.readKeys(persons)
        if (E.isLeft(found)) {
          yield found
          return
        }
        for (const envelope of batch.right) {
          for (const person of sealedPersonsOf([envelope])) {
            const stored = found.right.get(person)
            if (given.has(person) || stored === undefined) continue
            given.add(person)
            yield E.right(keyLine(person, stored))
          }
          yield E.right(exportLine(envelope))
        }
        continue
      }
      for (const envelope of batch.right) yield E.right(exportLine(envelope))
    }
  }

  const rotate: Ledger['rotateMasterKey'] = (newKey, actor) => async () => {
    if (actor._tag !== 'Owner')
      return E.left(
        forbidden(
          actor.name,
          'rotate the master key',
          actor.scope,
          `${actor.name} may not rotate the master key: only the store's owner may`,
        ),
      )
    const from = master
    if (from === null)
      return E.left(
        keyError('no-master-key', 'rotating the master key needs the current one (--master-key FILE)'),
      )
    const keys = store.keyStore
    if (keys === undefined)
      return E.left(keyError('clear-store', 'this store keeps no keys: it has no master key to rotate'))
    const p = await partsFor(true)
    if (E.isLeft(p)) return p
    // No command or import of this ledger makes keys while they are re-wrapped.
    return p.right.commands.exclusive(async () => {
      const rotated = await rotateMasterKey(keys, from, newKey)
      if (E.isRight(rotated)) {
        master = newKey
        parts = null
      }
      return rotated
    })
  }

  return {
    rotateMasterKey: rotate,
    execute: (command: T['command'], actor: Actor, executeOptions?: ExecuteOptions) =>
      withParts(true, (p) => {
        const forgotten = plug.forgotten(command)
        return forgotten !== null
          ? forget(p, forgotten.personId, actor, {
              ...(forgotten.reason === undefined ? {} : { reason: forgotten.reason }),
              ...(executeOptions?.recordedAt === undefined ? {} : { recordedAt: executeOptions.recordedAt }),
            })
          : followed(p, execute(p, command, actor, executeOptions))
      }),
    forget: (personId: string, actor: Actor, forgetOptions?: ForgetOptions) =>
      withParts(true, (p) => forget(p, personId, actor, forgetOptions)),
    importEvents: (lines: JsonLinesSource, actor: Actor, importOptions?: ImportOptions) =>
      withParts(true, (p) =>
        importOptions?.catchUpReadModels === false
          ? importEvents(p, lines, actor, importOptions)
          : followed(p, importEvents(p, lines, actor, importOptions), importOptions?.onReadModelProgress),
      ),
    report,
    history,
    verify,
    // Keeping the read models writes them from events opened with the persons' keys: a write.
    catchUpReadModels: (onProgress?: OnProgress) => withParts(true, (p) => p.tables.catchUp(onProgress)),
    follow: (followOptions?: FollowOptions) =>
      withParts(true, (p) => () => followStore(store, p.tables.catchUp, followOptions)),
    rebuildReadModels: (onProgress?: OnProgress) => withParts(true, (p) => p.tables.rebuild(onProgress)),
    readModelsStatus: () => withParts(false, (p) => p.tables.status()),
    exportLines,
  }
}
