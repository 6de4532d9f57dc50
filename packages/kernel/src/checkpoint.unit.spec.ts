import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import {
  checkpointText,
  ed25519KeyId,
  noteVerifierKey,
  openCheckpoint,
  parseCheckpointText,
  parseNote,
  readCheckpoint,
  signCheckpoint,
  signNote,
  verifyNote,
  type LogCheckpoint,
} from './checkpoint'

/** An Ed25519 private key in PEM from a 32-byte seed (PKCS #8 around the seed). */
const privatePem = (seed: number): string =>
  createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, seed)]),
    format: 'der',
    type: 'pkcs8',
  })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString()

const publicPem = (pem: string): string =>
  createPublicKey(pem).export({ format: 'pem', type: 'spki' }).toString()

const codeOf = <A>(result: E.Either<{ readonly code: string }, A>): string =>
  E.isLeft(result) ? result.left.code : 'ok'

/** The public key of a C2SP verifier key (`name+id+base64(0x01 ‖ key)`) as PEM. */
const vkeyPem = (vkey: string): string => {
  const raw = Buffer.from(vkey.split('+')[2] ?? '', 'base64').subarray(1)
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' })
    .export({ format: 'pem', type: 'spki' })
    .toString()
}

describe('the example of C2SP signed-note', () => {
  // The verifier key and note of the specification's example (C2SP signed-note.md, "Example").
  const vkey = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k'
  const note =
    'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n'

  it('parses and verifies with the example key', () => {
    const parsed = parseNote(note)
    expect(E.isRight(parsed) && parsed.right.signatures.map((s) => [s.name, s.keyId.toString(16)])).toEqual([
      ['example.com/foo', '530d903a'],
    ])
    expect(verifyNote(note, [vkeyPem(vkey)])).toEqual(
      E.right({ text: 'This is an example message.\n', signedBy: ['example.com/foo'] }),
    )
  })

  it('computes the key ID and the verifier key of the example', () => {
    const raw = Buffer.from(vkey.split('+')[2] ?? '', 'base64').subarray(1)
    expect(ed25519KeyId('example.com/foo', raw).toString(16)).toBe('530d903a')
    expect(noteVerifierKey('example.com/foo', vkeyPem(vkey))).toEqual(E.right(vkey))
  })

  it('refuses an altered text, and a note no given key signed', () => {
    expect(codeOf(verifyNote(note.replace('example', 'exemple'), [vkeyPem(vkey)]))).toBe('bad-signature')
    expect(codeOf(verifyNote(note, [publicPem(privatePem(1))]))).toBe('bad-signature')
  })
})

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  // The example of C2SP tlog-checkpoint.md: a checkpoint signed by a key we do not hold.
  const example =
    'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
    '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n'

  it('reads the example of the specification', () => {
    const checkpoint = readCheckpoint(example)
    expect(E.isRight(checkpoint) && checkpoint.right.origin).toBe('example.com/behind-the-sofa')
    expect(E.isRight(checkpoint) && checkpoint.right.size).toBe(20852163)
    expect(E.isRight(checkpoint) && Buffer.from(checkpoint.right.root).toString('base64')).toBe(
      'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=',
    )
    expect(codeOf(openCheckpoint(example, [publicPem(privatePem(1))]))).toBe('bad-signature')
  })

  // A hand-written ketnap checkpoint: three events, signed with the key of seed 0x07. Ed25519 signatures
  // are deterministic, so the whole note is fixed.
  const root = new Uint8Array(
    Buffer.from('aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77', 'hex'),
  )
  const handWritten =
    'ketnap.example/kon-tum\n' +
    '3\n' +
    'rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=\n' +
    '\n' +
    '— ketnap.example/kon-tum 4KotYiaH5vTkMiLwL1AbGsYPiNcF+kieEAvadHh6BWLBD3TWF8A3Wa2WM4pRa1m1tLtLDUayf6yMDfqY8quZ3kXCjgk=\n'

  it('signs a checkpoint exactly as written by hand, and opens it', () => {
    const checkpoint: LogCheckpoint = { origin: 'ketnap.example/kon-tum', size: 3, root, extensions: [] }
    expect(signCheckpoint(checkpoint, privatePem(7))).toEqual(E.right(handWritten))
    expect(openCheckpoint(handWritten, [publicPem(privatePem(7))])).toEqual(E.right(checkpoint))
    expect(openCheckpoint(handWritten, [privatePem(7)])).toEqual(E.right(checkpoint))
  })

  it('accepts a note where one of several signatures is by a given key', () => {
    const other = signNote(checkpointText(parsedOf(handWritten)), 'witness.example', privatePem(9))
    const both = E.isRight(other) ? `${handWritten}${other.right.split('\n\n')[1] ?? ''}` : ''
    expect(E.isRight(openCheckpoint(both, [publicPem(privatePem(9))]))).toBe(true)
    expect(E.isRight(openCheckpoint(both, [publicPem(privatePem(1)), publicPem(privatePem(7))]))).toBe(true)
  })

  it.each([
    ['no blank line', 'ketnap\n3\nrra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=\n', 'malformed-note'],
    ['no signature', 'ketnap\n3\nrra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=\n\n', 'malformed-note'],
    ['no newline at the end', handWritten.slice(0, -1), 'malformed-note'],
    ['a carriage return', handWritten.replace('\n3\n', '\r\n3\n'), 'malformed-note'],
    ['a hyphen for the em dash', handWritten.replace('—', '-'), 'malformed-note'],
    ['a plus in the key name', handWritten.replace('— ketnap.example', '— ketnap+example'), 'malformed-note'],
    ['a signature too short', handWritten.replace(/ [^ ]+\n$/, ' AAAA\n'), 'malformed-note'],
    ['a leading zero', handWritten.replace('\n3\n', '\n03\n'), 'malformed-checkpoint'],
    [
      'a short root',
      handWritten.replace('rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=', 'rra8'),
      'malformed-checkpoint',
    ],
    ['two lines only', 'ketnap\n3\n\n— k AAAAAAA=\n', 'malformed-checkpoint'],
    [
      'an empty extension line',
      'ketnap\n3\nrra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=\n\nx\n\n— k AAAAAAA=\n',
      'malformed-checkpoint',
    ],
  ])('refuses %s', (_, note, code) => {
    expect(codeOf(readCheckpoint(note))).toBe(code)
  })

  it('refuses a key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    expect(codeOf(signCheckpoint(parsedOf(handWritten), pem))).toBe('invalid-key')
    expect(codeOf(openCheckpoint(handWritten, ['not a key']))).toBe('invalid-key')
  })

  test.prop([
    fc.stringMatching(/^[a-z0-9./-]{1,20}$/),
    fc.nat(),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    fc.array(fc.stringMatching(/^[a-z0-9 ]{1,10}$/), { maxLength: 2 }),
  ])('reads back what it signs', (origin, size, rootBytes, extensions) => {
    const checkpoint: LogCheckpoint = { origin, size, root: rootBytes, extensions }
    const note = signCheckpoint(checkpoint, privatePem(7))
    expect(E.chain((n: string) => openCheckpoint(n, [publicPem(privatePem(7))]))(note)).toEqual(
      E.right(checkpoint),
    )
    expect(parseCheckpointText(checkpointText(checkpoint))).toEqual(E.right(checkpoint))
  })
})

const parsedOf = (note: string): LogCheckpoint => {
  const checkpoint = readCheckpoint(note)
  if (E.isLeft(checkpoint)) throw new Error(checkpoint.left.message)
  return checkpoint.right
}
