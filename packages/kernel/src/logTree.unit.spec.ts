import { createPrivateKey, createPublicKey } from 'node:crypto'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { openCheckpoint, signCheckpoint, type LogCheckpoint } from './checkpoint'
import type { Envelope, Json } from './envelope'
import { canonicalJson, sealEnvelope } from './hashChain'
import {
  auditLog,
  decodeEventInclusionProof,
  decodeLogConsistencyProof,
  eventLeafHash,
  proofHashes,
  verifyEventInclusion,
  verifyLogConsistency,
  type CheckpointVerdict,
} from './logTree'
import { consistencyProof, inclusionProof, rootOf, subtreesOf } from './merkle'

interface Spec {
  readonly stream: string
  readonly data: Json
}

/** Seals (stream, data) pairs into a valid chain: what a store holds after appending them in order. */
const sealLog = (specs: ReadonlyArray<Spec>): Envelope[] => {
  const log: Envelope[] = []
  const versions = new Map<string, number>()
  specs.forEach(({ stream, data }, i) => {
    const version = (versions.get(stream) ?? 0) + 1
    versions.set(stream, version)
    log.push(
      sealEnvelope({
        position: i + 1,
        stream,
        version,
        id: `e-${i + 1}`,
        type: 'Thing',
        schemaVersion: 1,
        data,
        recordedAt: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
        actor: null,
        prevHash: log[i - 1]?.hash ?? '',
      }),
    )
  })
  return log
}

const specArb = fc.record({ stream: fc.constantFrom('a', 'b'), data: fc.integer({ min: 0, max: 3 }) })

/** A checkpoint of a log as `ketnap checkpoint` takes it: the root over its events' leaves. */
const checkpointOf = (log: ReadonlyArray<Envelope>, size = log.length): LogCheckpoint => ({
  origin: 'ketnap.example/test',
  size,
  root: rootOf(log.slice(0, size).map((e) => eventLeafHash(e.hash))),
  extensions: [],
})

/** The 1-based position of the first place where two logs differ (one past the shorter when one is a prefix). */
const firstDifference = (original: ReadonlyArray<Envelope>, edited: ReadonlyArray<Envelope>): number => {
  const length = Math.max(original.length, edited.length)
  for (let i = 0; i < length; i++) {
    const [a, b] = [original[i], edited[i]]
    if (a === undefined || b === undefined || canonicalJson({ ...a }) !== canonicalJson({ ...b }))
      return i + 1
  }
  return length + 1
}

type Edit =
  | { readonly kind: 'rewrite' | 'insert' | 'edit-in-place'; readonly at: number; readonly data: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'reorder'; readonly at: number; readonly with: number; readonly rehash: boolean }

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('rewrite', 'insert', 'edit-in-place'), at: fc.nat(), data: fc.nat(9) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ kind: fc.constant('reorder'), at: fc.nat(), with: fc.nat(), rehash: fc.boolean() }),
) as fc.Arbitrary<Edit>

/** Applies an edit: rewrites and insertions rehash everything after them (a valid chain), the rest do not. */
const applyEdit = (specs: ReadonlyArray<Spec>, log: ReadonlyArray<Envelope>, edit: Edit): Envelope[] => {
  const i = edit.at % log.length
  switch (edit.kind) {
    case 'rewrite':
      return sealLog(specs.map((s, j) => (j === i ? { ...s, data: { edited: edit.data } } : s)))
    case 'insert':
      return sealLog([...specs.slice(0, i), { stream: 'c', data: edit.data }, ...specs.slice(i)])
    case 'edit-in-place':
      return log.map((e, j) => (j === i ? { ...e, data: { edited: edit.data } } : e))
    case 'truncate':
      return log.slice(0, i)
    case 'reorder': {
      const j = edit.with % log.length
      const swap = <A>(xs: ReadonlyArray<A>): A[] =>
        xs.map((x, k) => (k === i ? (xs[j] as A) : k === j ? (xs[i] as A) : x))
      return edit.rehash ? sealLog(swap(specs)) : swap(log)
    }
  }
}

const verdictOf = async (log: ReadonlyArray<Envelope>, checkpoints: ReadonlyArray<LogCheckpoint>) =>
  (await auditLog(log, { checkpoints })).checkpoints

describe('a log against a checkpoint taken before', () => {
  test.prop([
    fc.array(specArb, { minLength: 1, maxLength: 24 }),
    fc.nat(),
    fc.array(specArb, { maxLength: 5 }),
  ])('a log that only grew still extends it', async (specs, cut, more) => {
    const log = sealLog(specs)
    const checkpoint = checkpointOf(log, 1 + (cut % log.length))
    const grown = sealLog([...specs, ...more])
    expect(await verdictOf(grown, [checkpoint])).toEqual([{ ok: true, checkpoint }])
  })

  test.prop([fc.array(specArb, { minLength: 1, maxLength: 24 }), fc.nat(), editArb, fc.nat()])(
    'an edit at or before its size fails, naming the checkpoint and placing the first differing position',
    async (specs, cut, edit, other) => {
      const log = sealLog(specs)
      const size = 1 + (cut % log.length)
      const checkpoint = checkpointOf(log, size)
      const earlier = checkpointOf(log, 1 + (other % size))
      const edited = applyEdit(specs, log, edit)
      const p = firstDifference(log, edited)
      const [verdict, before] = (await verdictOf(edited, [checkpoint, earlier])) as [
        CheckpointVerdict,
        CheckpointVerdict,
      ]
      expect(verdict.checkpoint).toBe(checkpoint)
      if (p > size) {
        expect(verdict.ok).toBe(true)
        return
      }
      if (verdict.ok) throw new Error(`the edit at ${p} passed`)
      expect(verdict.from).toBeLessThanOrEqual(p)
      expect(verdict.to).toBeGreaterThanOrEqual(p)
      // Placed exactly where the information allows: an event edited in place or a cut tail; and never
      // before a smaller checkpoint the log still extends.
      if (edit.kind === 'edit-in-place') expect(verdict.from).toBe(p)
      if (edit.kind === 'edit-in-place' || (edit.kind === 'reorder' && !edit.rehash))
        expect(verdict.to).toBe(p)
      if (edited.length < size) expect(verdict.code).toBe('checkpoint-truncated')
      if (before.ok && earlier.size < size) expect(verdict.from).toBeGreaterThan(earlier.size)
    },
  )
})

describe('proofs without a store', () => {
  const pem = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 3)]),
    format: 'der',
    type: 'pkcs8',
  })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString()
  const publicKey = createPublicKey(pem).export({ format: 'pem', type: 'spki' }).toString()
  const log = sealLog([0, 1, 2, 3, 4, 5, 6].map((data) => ({ stream: data % 2 === 0 ? 'a' : 'b', data })))
  const leaves = log.map((e) => eventLeafHash(e.hash))
  const signed = (size: number): LogCheckpoint => {
    const note = signCheckpoint(checkpointOf(log, size), pem)
    const opened = E.chain((n: string) => openCheckpoint(n, [publicKey]))(note)
    if (E.isLeft(opened)) throw new Error(opened.left.message)
    return opened.right
  }

  it('checks an event against a checkpoint, and refuses an edited event or another checkpoint', () => {
    const checkpoint = signed(7)
    const root = proofHashes([checkpoint.root])[0] ?? ''
    const document = JSON.parse(
      JSON.stringify({
        position: 5,
        treeSize: 7,
        root,
        proof: proofHashes(inclusionProof(4, 7, subtreesOf(leaves))),
        envelope: log[4],
      }),
    ) as unknown
    const proof = decodeEventInclusionProof(document)
    if (E.isLeft(proof)) throw new Error(proof.left.message)
    expect(verifyEventInclusion(proof.right, checkpoint)).toEqual(E.right(undefined))
    const edited = { ...proof.right, envelope: { ...proof.right.envelope, data: 9 } }
    expect(verifyEventInclusion(edited, checkpoint)).toEqual(
      E.left(expect.objectContaining({ code: 'event-mismatch' })),
    )
    expect(verifyEventInclusion(proof.right, signed(6))).toEqual(
      E.left(expect.objectContaining({ code: 'checkpoint-mismatch' })),
    )
    const moved = { ...proof.right, position: 6, envelope: log[5] as Envelope }
    expect(verifyEventInclusion(moved, checkpoint)).toEqual(
      E.left(expect.objectContaining({ code: 'proof-mismatch' })),
    )
    expect(decodeEventInclusionProof({ ...proof.right, root: 'AAAA' })).toEqual(
      E.left(expect.objectContaining({ code: 'malformed-proof' })),
    )
  })

  it('checks that a newer checkpoint extends an older one', () => {
    const [older, newer] = [signed(3), signed(7)]
    const proof = decodeLogConsistencyProof({
      size1: 3,
      size2: 7,
      root1: proofHashes([older.root])[0],
      root2: proofHashes([newer.root])[0],
      proof: proofHashes(consistencyProof(3, 7, subtreesOf(leaves))),
    })
    if (E.isLeft(proof)) throw new Error(proof.left.message)
    expect(verifyLogConsistency(proof.right, older, newer)).toEqual(E.right(undefined))
    expect(verifyLogConsistency(proof.right, signed(4), newer)).toEqual(
      E.left(expect.objectContaining({ code: 'checkpoint-mismatch' })),
    )
    const forged = { ...proof.right, proof: [...proof.right.proof].reverse() }
    expect(E.isLeft(verifyLogConsistency(forged, older, newer))).toBe(true)
  })
})
