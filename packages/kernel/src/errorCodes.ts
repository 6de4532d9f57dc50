/**
 * The error codes of the kernel: every stable kebab-case `code` a kernel function or event store returns,
 * by where it comes from. The union types of the codes are derived from these lists, so a code cannot be
 * returned without being listed; docs/errors.md explains each one, and a test keeps the two equal.
 * A domain's own codes (its decoder's and rules') are the domain's, passed through unchanged.
 */

/** Every error code of the kernel, grouped by the error that carries it. */
export const KernelErrorCodes = {
  /**
   * `InvalidEventError`: input an event store call refuses before writing or reading anything (the
   * vocabulary of the `EventStore` port, so an adapter refusing text it cannot hold uses it too).
   */
  invalidEvent: [
    'invalid-stream',
    'invalid-expected-version',
    'invalid-events',
    'invalid-event',
    'invalid-type',
    'invalid-data',
    'invalid-id',
    'invalid-schema-version',
    'invalid-actor',
    'invalid-instant',
    'invalid-read-window',
    'invalid-batch-size',
    'invalid-text',
  ],
  /** `RecordClockError`: an append whose `recordedAt` is earlier than the log's last. */
  recordClock: ['record-clock'],
  /** `LineError`s the importer finds itself (the domain's decoder and rules add their own codes). */
  importLine: [
    'invalid-utf8',
    'line-too-long',
    'id-conflict',
    'invalid-json',
    'invalid-line',
    'missing-field',
    'unknown-field',
    'invalid-field',
    'envelope-mismatch',
    'invalid-instant',
    'record-clock',
    'forbidden',
  ],
  /** `ImportFailure`: an import refused as a whole, its invalid lines listed. */
  importFailure: ['invalid-lines'],
  /** `ChainVerification.code`: how the hash chain breaks. */
  chainBreak: [
    'position-gap',
    'version-gap',
    'prev-hash-mismatch',
    'hash-mismatch',
    'head-mismatch',
    'truncated',
    'read-error',
  ],
  /** `DomainError`s of `upcasterChain`, reading an envelope stored under another schema version. */
  upcast: ['schema-too-new', 'missing-upcaster', 'duplicate-upcaster'],
  /** `DomainError` of a projection runner whose projection threw. */
  projection: ['projection-failed'],
  /** `MerkleProofError`: an inclusion or consistency proof (RFC 9162) that does not verify. */
  merkleProof: ['proof-out-of-range', 'proof-size', 'proof-mismatch'],
  /** `CheckpointError`: a signed note or checkpoint (C2SP) that does not parse, sign or verify. */
  checkpoint: ['malformed-note', 'malformed-checkpoint', 'invalid-key', 'bad-signature'],
  /** `LogAuditError`: a log or an event proof that does not match a checkpoint. */
  logAudit: ['checkpoint-mismatch', 'checkpoint-truncated', 'event-mismatch', 'malformed-proof'],
  /** `ForbiddenError`: an actor refused by the access policy (nothing written or read). */
  access: ['forbidden'],
  /** `KeyError`: the master key of an encrypted store (keyStore.ts) missing, wrong, or malformed. */
  keys: ['invalid-master-key', 'no-master-key', 'wrong-master-key', 'clear-store'],
} as const

/** Any error code of the kernel. */
export type KernelErrorCode = (typeof KernelErrorCodes)[keyof typeof KernelErrorCodes][number]

/** The code of an `InvalidEventError`. */
export type InvalidEventCode = (typeof KernelErrorCodes.invalidEvent)[number]

/** The code of a `RecordClockError`. */
export type RecordClockCode = (typeof KernelErrorCodes.recordClock)[number]

/** A code of a `LineError` the importer finds itself. */
export type ImportLineCode = (typeof KernelErrorCodes.importLine)[number]

/** The code of an `ImportFailure`. */
export type ImportFailureCode = (typeof KernelErrorCodes.importFailure)[number]

/** Why a chain is broken: the `code` of a failed `ChainVerification`. */
export type ChainBreak = (typeof KernelErrorCodes.chainBreak)[number]

/** The code of a `DomainError` of `upcasterChain`. */
export type UpcastCode = (typeof KernelErrorCodes.upcast)[number]

/** The code of a `DomainError` of a projection runner. */
export type ProjectionCode = (typeof KernelErrorCodes.projection)[number]

/** The code of a `MerkleProofError`. */
export type MerkleProofCode = (typeof KernelErrorCodes.merkleProof)[number]

/** The code of a `CheckpointError`. */
export type CheckpointCode = (typeof KernelErrorCodes.checkpoint)[number]

/** The code of a `ForbiddenError`. */
export type AccessCode = (typeof KernelErrorCodes.access)[number]

/** The code of a `LogAuditError`. */
export type LogAuditCode = (typeof KernelErrorCodes.logAudit)[number]

/** The code of a `KeyError`. */
export type KeyCode = (typeof KernelErrorCodes.keys)[number]
