/**
 * @ketnap/kernel: a generic event-sourcing kernel that knows nothing of any domain.
 */
export type { Json, NewEvent, Envelope, UnsealedEnvelope, Head } from './envelope'
export * from './errors'
export { KernelErrorCodes } from './errorCodes'
export { watchesHead } from './headWatch'
export type { HeadWatch, HeadWatchMode, HeadWatchOptions, HeadWatcher } from './headWatch'
export type {
  KernelErrorCode,
  InvalidEventCode,
  RecordClockCode,
  ImportLineCode,
  ImportFailureCode,
  ChainBreak,
  UpcastCode,
  ProjectionCode,
  MerkleProofCode,
  CheckpointCode,
  LogAuditCode,
  AccessCode,
  KeyCode,
} from './errorCodes'
export { owner, boundActor, forbidden, mayRecord, actorMismatch } from './access'
export type { Owner, BoundActor, Actor, ForbiddenError, AccessPolicy } from './access'
export type {
  ExpectedVersion,
  AppendOptions,
  StreamAppend,
  AppendResult,
  AppendRequest,
  AppendBatchesOptions,
  AppendBatchesResult,
  ReadStreamOptions,
  ReadAllOptions,
  ReadAllBatch,
  ImportSession,
  SessionLookup,
  SubtreeKey,
  TreeReadRequest,
  TreeReadResult,
  ReadTree,
  EventStore,
} from './eventStore'
export type { Decider } from './decider'
export type { Upcaster } from './upcaster'
export type { Projection, Checkpoint, Snapshot, CheckpointStore, SnapshotStore } from './projection'
export { inMemoryEntries } from './domain'
export type {
  EventContext,
  Validator,
  Domain,
  DecideContext,
  CommandDomain,
  KeyedEntries,
  KeyedValidator,
  KeyedRowCodec,
} from './domain'
export { isCalendarDateAt } from './calendarDate'
export {
  canonicalJson,
  canonicalDataJson,
  hashEnvelope,
  sealEnvelope,
  emptyHead,
  verifyChain,
  normalizeInstant,
} from './hashChain'
export type { ChainVerification, VerifyChainOptions } from './hashChain'
export {
  MERKLE_HASH_SIZE,
  leafHash,
  nodeHash,
  emptyRoot,
  sameHash,
  createFrontier,
  rootOf,
  inclusionRanges,
  consistencyRanges,
  inclusionProof,
  consistencyProof,
  subtreesOf,
  createTreeScanner,
  scanTree,
  verifyInclusion,
  verifyConsistency,
} from './merkle'
export type {
  MerkleHash,
  LeafRange,
  SubtreeHash,
  MerkleProofError,
  Frontier,
  TreeScan,
  TreeScanRequest,
  TreeScanner,
} from './merkle'
export {
  checkpointText,
  parseCheckpointText,
  parseNote,
  formatNote,
  ed25519KeyId,
  noteVerifierKey,
  signNote,
  verifyNote,
  signCheckpoint,
  readCheckpoint,
  openCheckpoint,
} from './checkpoint'
export type { LogCheckpoint, NoteSignature, SignedNote, CheckpointError, VerifiedNote } from './checkpoint'
export {
  eventLeafHash,
  auditLog,
  proofHashes,
  decodeEventInclusionProof,
  decodeLogConsistencyProof,
  verifyEventInclusion,
  verifyLogConsistency,
} from './logTree'
export type {
  LogAuditError,
  CheckpointVerdict,
  LogAudit,
  AuditLogOptions,
  EventInclusionProof,
  LogConsistencyProof,
} from './logTree'
export {
  STORED_TREE_HEIGHT,
  STORED_BLOCK_SIZE,
  completesSubtree,
  frontierReads,
  createSubtreeBuilder,
  completedSubtrees,
  storedSubtreeKeys,
  storedTreeHashes,
} from './storedTree'
export type { StoredSubtree, FrontierReads, SubtreeBuilder, StoredTreeHashes } from './storedTree'
export { planAppend } from './appendPlan'
export { continuesHead } from './importSession'
export {
  DEFAULT_WRITE_STATE_CACHE_ENTRIES,
  openWriteSide,
  storedEnvelopeReader,
  storedEventDecoder,
  writeStateSpace,
  worthSaving,
} from './writeState'
export type { DecodedEnvelope, WriteSide, WriteSideOptions } from './writeState'
export { KEYED_META_KEY, inMemoryKeyedState } from './keyedState'
export type { KeyedEntry, KeyedRow, KeyedStateStore, KeyedWrite } from './keyedState'
export {
  KEY_BYTES,
  KEY_MARKER_SUBJECT,
  DEFAULT_CACHED_KEYS,
  inMemoryKeyStore,
  keyError,
  masterKey,
  open,
  openKeyring,
  rotateMasterKey,
  seal,
  sealDeterministic,
  subjectCipher,
} from './keyStore'
export type {
  HeldKeys,
  KeyError,
  KeyStore,
  Keyring,
  KeyringError,
  MasterKey,
  OpenKeyringOptions,
  Rewrapped,
  StoreEncryption,
  StoredKey,
  SubjectCipher,
  SubjectKey,
} from './keyStore'
export { planAppends } from './appendPlans'
export type { AppendPlans } from './appendPlans'
export { groupedAppendBatch } from './groupCommit'
export { MAX_READ_POSITIONS, pagedReadAll, readPositionsList, readWindow } from './readWindow'
export type { LogPages, ReadWindow } from './readWindow'
export type { AppendView, AppendClock, AppendPlan, PlanOptions } from './appendPlan'
export { createInMemoryEventStore } from './inMemoryEventStore'
export type { InMemoryEventStore, InMemoryEventStoreOptions } from './inMemoryEventStore'
export { upcasterChain } from './upcasting'
export type { Upcast } from './upcasting'
export { numberedLines } from './jsonl'
export type { NumberedLine, JsonLinesSource, JsonLinesBytes, LineDefect, NumberedLinesOptions } from './jsonl'
export { DEFAULT_MAX_LINE_BYTES, linesOfText } from './jsonl'
export { replay } from './replay'
export type { Progress, ReplayOptions, ReplayResult } from './replay'
export { importJsonLines, importFailure } from './importer'
export type { ImportFailure, ImportOptions, ImportSummary, LineError } from './importer'
export { handleCommand, createLogCommandHandler } from './commandHandler'
export type {
  CommandHandler,
  HandleCommandOptions,
  HandledCommand,
  LogCommandHandler,
  LogCommandHandlerOptions,
  HandleLogCommandOptions,
  HandledLogCommand,
} from './commandHandler'
export { createProjectionRunner } from './projectionRunner'
export type {
  ProjectionError,
  ProjectionRunner,
  ProjectionRunnerOptions,
  ProjectionStatus,
} from './projectionRunner'
export {
  readModelCheckpointName,
  readModelTablePrefix,
  readModelSchemaProblem,
  createTableStatements,
  readModelIndexes,
  refreshStatistics,
  emptyTable,
  keepsReadModels,
  type SqlValue,
  type SqlStatement,
  type SqlRow,
  type ColumnType,
  type ColumnSpec,
  type TableSpec,
  type LogPlace,
  type ReadModelSchema,
  type SettlePass,
  type ReadModel,
  type ReadModelWrite,
  type ReadModelReset,
  type ReadModelStore,
} from './readModel'
export {
  createReadModelRunner,
  type ReadModelRunner,
  type ReadModelRunnerOptions,
  type ReadModelStatus,
  type ReadModelProgress,
  type ReadModelHost,
} from './readModelRunner'
export { lastPositionKnownAt } from './knownAt'
export type {
  ReadBounds,
  ReportEvents,
  ReportLoad,
  Reporting,
  ReportingDomain,
  ReportingQuery,
  ReportingReadModel,
  ReportTail,
} from './reporting'
