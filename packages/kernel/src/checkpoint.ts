/**
 * Checkpoints of the log as transparency logs publish them: a C2SP tlog-checkpoint (origin, tree size,
 * root hash of the RFC 9162 tree) carried as the text of a C2SP signed note, signed with Ed25519 keys in
 * standard PEM (e.g. made with `openssl genpkey -algorithm ed25519`). Any tool that reads signed notes
 * can check a ketnap checkpoint, given the verifier key `noteVerifierKey` writes.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import * as E from 'fp-ts/Either'
import type { CheckpointCode } from './errorCodes'
import { MERKLE_HASH_SIZE, type MerkleHash } from './merkle'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/** A tree head: who signs it (origin), how many leaves, and the root over them. */
export interface LogCheckpoint {
  /** The log's identity, e.g. `ketnap.example/kon-tum`: non-empty, one line. */
  readonly origin: string
  /** The number of leaves (events) the root covers. */
  readonly size: number
  /** The RFC 9162 root over the first `size` leaves. */
  readonly root: MerkleHash
  /** Opaque lines after the root (C2SP: optional, not recommended); ketnap writes none. */
  readonly extensions: ReadonlyArray<string>
}

/** One signature line of a signed note: `— <name> base64(key ID ‖ signature)`. */
export interface NoteSignature {
  readonly name: string
  /** The first four bytes of the signature, big-endian: which key of that name signed. */
  readonly keyId: number
  readonly signature: Uint8Array
}

/** A signed note: its text (ending in a newline) and its signatures, not yet verified. */
export interface SignedNote {
  readonly text: string
  readonly signatures: ReadonlyArray<NoteSignature>
}

/** A note or checkpoint that does not parse, a key that is not usable, a signature that does not verify. */
export interface CheckpointError {
  readonly _tag: 'CheckpointError'
  readonly code: CheckpointCode
  readonly message: string
}

const failure = (code: CheckpointCode, message: string): E.Either<CheckpointError, never> =>
  E.left({ _tag: 'CheckpointError', code, message })

// -------------------------------------------------------------------------------------------------
// the checkpoint body (C2SP tlog-checkpoint)
// -------------------------------------------------------------------------------------------------

const decimal = /^(0|[1-9][0-9]*)$/

/** Decodes standard base64 (RFC 4648 §4), refusing any other spelling of the same bytes. */
const strictBase64 = (s: string): Uint8Array | null => {
  const bytes = Buffer.from(s, 'base64')
  return s.length > 0 && bytes.toString('base64') === s ? new Uint8Array(bytes) : null
}

/** The text of a checkpoint: origin, size, base64 root, then its extension lines, each ending in a newline. */
export const checkpointText = (checkpoint: LogCheckpoint): string =>
  [
    checkpoint.origin,
    String(checkpoint.size),
    Buffer.from(checkpoint.root).toString('base64'),
    ...checkpoint.extensions,
  ]
    .map((line) => `${line}\n`)
    .join('')

/** Parses the text of a checkpoint (the note text, without signatures). */
export const parseCheckpointText = (text: string): E.Either<CheckpointError, LogCheckpoint> => {
  const malformed = (why: string) => failure('malformed-checkpoint', `not a tlog checkpoint: ${why}`)
  if (!text.endsWith('\n')) return malformed('the text must end with a newline')
  const lines = text.slice(0, -1).split('\n')
  const [origin, size, root, ...extensions] = lines
  if (origin === undefined || size === undefined || root === undefined)
    return malformed('it needs an origin, a tree size and a root hash, one a line')
  if (lines.some((line) => line.length === 0)) return malformed('a line is empty')
  if (!decimal.test(size) || !Number.isSafeInteger(Number(size)))
    return malformed(`the tree size ${JSON.stringify(size)} is not a decimal number without leading zeroes`)
  const hash = strictBase64(root)
  if (hash?.length !== MERKLE_HASH_SIZE)
    return malformed(`the root hash ${JSON.stringify(root)} is not the base64 of ${MERKLE_HASH_SIZE} bytes`)
  return E.right({ origin, size: Number(size), root: hash, extensions })
}

// -------------------------------------------------------------------------------------------------
// signed notes (C2SP signed-note)
// -------------------------------------------------------------------------------------------------

/** The most signature lines a note may carry (C2SP asks verifiers to accept at least 16). */
const MAX_SIGNATURES = 100

/** Key names: non-empty, without Unicode spaces or plus signs. */
const keyName = /^[^\s+]+$/u

// eslint-disable-next-line no-control-regex -- the grammar forbids exactly these characters
const controlCharacter = /[\u0000-\u0009\u000b-\u001f]/

/** Parses a signed note: text, the blank line, signature lines. Signatures are not verified here. */
export const parseNote = (note: string): E.Either<CheckpointError, SignedNote> => {
  const malformed = (why: string) => failure('malformed-note', `not a signed note: ${why}`)
  if (controlCharacter.test(note)) return malformed('it holds a control character other than newline')
  const split = note.lastIndexOf('\n\n')
  if (split < 0) return malformed('no blank line separates the text from the signatures')
  const text = note.slice(0, split + 1)
  const block = note.slice(split + 2)
  if (!block.endsWith('\n')) return malformed('the last signature line must end with a newline')
  const lines = block.slice(0, -1).split('\n')
  if (lines.length > MAX_SIGNATURES) return malformed(`more than ${MAX_SIGNATURES} signatures`)
  const signatures: NoteSignature[] = []
  for (const line of lines) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line)
    const bytes = m?.[2] === undefined ? null : strictBase64(m[2])
    if (m?.[1] === undefined || !keyName.test(m[1]) || bytes === null || bytes.length < 5)
      return malformed(`${JSON.stringify(line)} is not a signature line (— NAME BASE64)`)
    const keyId = Buffer.from(bytes.subarray(0, 4)).readUInt32BE(0)
    signatures.push({ name: m[1], keyId, signature: bytes.subarray(4) })
  }
  return E.right({ text, signatures })
}

/** Writes a signed note: its text, a blank line, its signature lines. */
export const formatNote = (note: SignedNote): string =>
  `${note.text}\n${note.signatures
    .map((s) => {
      const id = Buffer.alloc(4)
      id.writeUInt32BE(s.keyId, 0)
      return `\u2014 ${s.name} ${Buffer.concat([id, s.signature]).toString('base64')}\n`
    })
    .join('')}`

// -------------------------------------------------------------------------------------------------
// Ed25519 keys
// -------------------------------------------------------------------------------------------------

/** The signature type byte of Ed25519 in C2SP signed notes. */
const ED25519 = 0x01

const publicKeyBytes = (key: KeyObject): Uint8Array => {
  const jwk = key.export({ format: 'jwk' })
  return new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'))
}

/** Reads an Ed25519 key from PEM text: a private key (for signing) or a public key. */
const readKey = (pem: string, kind: 'private' | 'public'): E.Either<CheckpointError, KeyObject> => {
  try {
    const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem)
    if (key.asymmetricKeyType !== 'ed25519')
      return failure(
        'invalid-key',
        `the ${kind} key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`,
      )
    return E.right(key)
  } catch (cause) {
    return failure(
      'invalid-key',
      `not an Ed25519 ${kind} key in PEM: ${cause instanceof Error ? cause.message : String(cause)}`,
    )
  }
}

/** The key ID of an Ed25519 key under a name: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian. */
export const ed25519KeyId = (name: string, publicKey: Uint8Array): number =>
  createHash('sha256')
    .update(name, 'utf8')
    .update(Uint8Array.of(0x0a, ED25519))
    .update(publicKey)
    .digest()
    .readUInt32BE(0)

/**
 * The verifier key of a PEM key (private or public) under a name, as signed-note tools take it:
 * `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`.
 */
export const noteVerifierKey = (name: string, pem: string): E.Either<CheckpointError, string> => {
  if (!keyName.test(name)) return failure('invalid-key', `${JSON.stringify(name)} cannot name a key`)
  return E.map((key: KeyObject) => {
    const raw = publicKeyBytes(key)
    const id = ed25519KeyId(name, raw).toString(16).padStart(8, '0')
    return `${name}+${id}+${Buffer.concat([Uint8Array.of(ED25519), raw]).toString('base64')}`
  })(readKey(pem, 'public'))
}

// -------------------------------------------------------------------------------------------------
// signing and verifying
// -------------------------------------------------------------------------------------------------

/** Signs a note text with an Ed25519 private key (PEM) under a key name; the whole note. */
export const signNote = (
  text: string,
  name: string,
  privateKeyPem: string,
): E.Either<CheckpointError, string> => {
  if (!keyName.test(name))
    return failure('invalid-key', `${JSON.stringify(name)} cannot name a key: no spaces or plus signs`)
  if (!text.endsWith('\n') || text.includes('\n\n') || text.startsWith('\n') || controlCharacter.test(text))
    return failure('malformed-note', 'a note text is non-empty lines, each ending in a newline')
  return E.map((key: KeyObject) => {
    const publicKey = publicKeyBytes(createPublicKey(key))
    const signature = new Uint8Array(sign(null, Buffer.from(text, 'utf8'), key))
    return formatNote({ text, signatures: [{ name, keyId: ed25519KeyId(name, publicKey), signature }] })
  })(readKey(privateKeyPem, 'private'))
}

/** A note whose signature by at least one given key verified, and the names those keys signed under. */
export interface VerifiedNote {
  readonly text: string
  readonly signedBy: ReadonlyArray<string>
}

/**
 * Verifies a signed note against Ed25519 public keys (PEM). A PEM key carries no name, so a signature
 * line is taken as a key's when the key ID computed from the line's name and that key matches (C2SP:
 * name and ID identify the key); lines of other keys are ignored. Fails with `bad-signature` when a
 * signature of a given key does not verify, or when no given key signed.
 */
export const verifyNote = (
  note: string,
  publicKeyPems: ReadonlyArray<string>,
): E.Either<CheckpointError, VerifiedNote> => {
  const parsed = parseNote(note)
  if (E.isLeft(parsed)) return parsed
  const keys: Array<{ readonly key: KeyObject; readonly raw: Uint8Array }> = []
  for (const pem of publicKeyPems) {
    const key = readKey(pem, 'public')
    if (E.isLeft(key)) return key
    keys.push({ key: key.right, raw: publicKeyBytes(key.right) })
  }
  const { text, signatures } = parsed.right
  const signedBy: string[] = []
  for (const s of signatures) {
    for (const { key, raw } of keys) {
      if (ed25519KeyId(s.name, raw) !== s.keyId) continue
      if (!verify(null, Buffer.from(text, 'utf8'), key, s.signature))
        return failure('bad-signature', `the signature of ${s.name} does not verify with the given key`)
      signedBy.push(s.name)
    }
  }
  return signedBy.length > 0
    ? E.right({ text, signedBy })
    : failure('bad-signature', 'no signature by any of the given keys')
}

/** Signs a checkpoint as a note, under `name` (default: its origin, as C2SP recommends). */
export const signCheckpoint = (
  checkpoint: LogCheckpoint,
  privateKeyPem: string,
  name: string = checkpoint.origin,
): E.Either<CheckpointError, string> => {
  if (checkpoint.origin.length === 0 || checkpoint.origin.includes('\n'))
    return failure('malformed-checkpoint', 'the origin must be one non-empty line')
  return signNote(checkpointText(checkpoint), name, privateKeyPem)
}

/** Reads a signed checkpoint without verifying its signatures (to find its size and root, e.g. to prove). */
export const readCheckpoint = (note: string): E.Either<CheckpointError, LogCheckpoint> =>
  E.chain((n: SignedNote) => parseCheckpointText(n.text))(parseNote(note))

/** Verifies a signed checkpoint against public keys (PEM), then reads it. */
export const openCheckpoint = (
  note: string,
  publicKeyPems: ReadonlyArray<string>,
): E.Either<CheckpointError, LogCheckpoint> =>
  E.chain((n: VerifiedNote) => parseCheckpointText(n.text))(verifyNote(note, publicKeyPems))
