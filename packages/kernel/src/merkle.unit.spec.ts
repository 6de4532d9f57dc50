import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { consistencyProbes, inclusionProbes, leafInputs, rootHashes } from './internal/merkleVectors'
import {
  consistencyProof,
  consistencyRanges,
  createFrontier,
  emptyRoot,
  inclusionProof,
  leafHash,
  nodeHash,
  rootOf,
  scanTree,
  subtreesOf,
  verifyConsistency,
  verifyInclusion,
  type MerkleHash,
} from './merkle'

const hex = (h: Uint8Array): string => Buffer.from(h).toString('hex')
const b64 = (s: string): MerkleHash => new Uint8Array(Buffer.from(s, 'base64'))
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))

const vectorLeaves = leafInputs.map((input) => leafHash(fromHex(input)))

/** Flips one bit of one hash of a proof. */
const flip = (proof: ReadonlyArray<MerkleHash>, at: number, bit: number): MerkleHash[] =>
  proof.map((h, i) =>
    i === at % proof.length ? h.map((byte, j) => (j === bit >> 3 ? byte ^ (1 << (bit & 7)) : byte)) : h,
  )

describe('RFC 6962 hashing (transparency-dev/merkle rfc6962_test.go)', () => {
  it('hashes the empty tree, a leaf and a node', () => {
    expect(hex(emptyRoot)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(hex(leafHash(new Uint8Array()))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    )
    expect(hex(leafHash(new TextEncoder().encode('L123456')))).toBe(
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    )
    const [left, right] = [new TextEncoder().encode('N123'), new TextEncoder().encode('N456')]
    expect(hex(nodeHash(left, right))).toBe(
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    )
  })

  it.each(rootHashes.map((root, size) => [size, root] as const))(
    'gives the root of size %i',
    (size, root) => {
      expect(hex(rootOf(vectorLeaves.slice(0, size)))).toBe(root)
    },
  )

  it('gives every root while streaming the leaves', async () => {
    const scan = await scanTree(vectorLeaves, { sizes: rootHashes.map((_, size) => size) })
    expect(rootHashes.map((_, size) => hex(scan.roots.get(size) ?? new Uint8Array()))).toEqual(rootHashes)
    expect(hex(scan.root)).toBe(rootHashes[8])
  })
})

describe('inclusion proofs (transparency-dev/merkle testdata/inclusion)', () => {
  it.each(inclusionProbes.map((p) => [p[6], p] as const))('%s', (_, probe) => {
    const [index, size, root, leaf, proof, wantErr] = probe
    const verified = verifyInclusion(b64(leaf), index, size, proof.map(b64), b64(root))
    expect(E.isLeft(verified)).toBe(wantErr)
    if (!wantErr && root === Buffer.from(rootHashes[size] ?? '', 'hex').toString('base64')) {
      expect(inclusionProof(index, size, subtreesOf(vectorLeaves)).map(hex)).toEqual(
        proof.map((h) => hex(b64(h))),
      )
    }
  })
})

describe('consistency proofs (transparency-dev/merkle testdata/consistency)', () => {
  it.each(consistencyProbes.map((p) => [p[6], p] as const))('%s', (_, probe) => {
    const [size1, size2, root1, root2, proof, wantErr] = probe
    const verified = verifyConsistency(size1, size2, proof.map(b64), b64(root1), b64(root2))
    expect(E.isLeft(verified)).toBe(wantErr)
    if (!wantErr && size2 <= 8 && root2 === Buffer.from(rootHashes[size2] ?? '', 'hex').toString('base64')) {
      expect(consistencyProof(size1, size2, subtreesOf(vectorLeaves)).map(hex)).toEqual(
        proof.map((h) => hex(b64(h))),
      )
    }
  })
})

const leavesArb = (minLength: number) =>
  fc
    .array(fc.uint8Array({ maxLength: 8 }), { minLength, maxLength: 70 })
    .map((inputs) => inputs.map(leafHash))

describe('properties', () => {
  test.prop([leavesArb(0)])('the frontier gives the root of every prefix', (leaves) => {
    const frontier = createFrontier()
    leaves.forEach((leaf, i) => {
      frontier.push(leaf)
      expect(frontier.size()).toBe(i + 1)
      expect(hex(frontier.root())).toBe(hex(subtreesOf(leaves)({ start: 0, end: i + 1 })))
    })
  })

  test.prop([leavesArb(1), fc.nat(), fc.nat(255)])(
    'an inclusion proof verifies for every leaf, and fails once tampered',
    (leaves, at, bit) => {
      const size = leaves.length
      const root = rootOf(leaves)
      leaves.forEach((leaf, index) => {
        const proof = inclusionProof(index, size, subtreesOf(leaves))
        expect(E.isRight(verifyInclusion(leaf, index, size, proof, root))).toBe(true)
        if (proof.length > 0) {
          expect(E.isLeft(verifyInclusion(leaf, index, size, flip(proof, at, bit), root))).toBe(true)
          expect(E.isLeft(verifyInclusion(leaf, index, size, proof.slice(1), root))).toBe(true)
        }
        expect(E.isLeft(verifyInclusion(leaf, index, size, [...proof, root], root))).toBe(true)
      })
    },
  )

  test.prop([leavesArb(1), fc.nat(), fc.nat(255)])(
    'a consistency proof verifies between every two sizes, and fails once tampered',
    (leaves, at, bit) => {
      const subtree = subtreesOf(leaves)
      const size2 = leaves.length
      const root2 = rootOf(leaves)
      for (let size1 = 1; size1 <= size2; size1++) {
        const root1 = subtree({ start: 0, end: size1 })
        const proof = consistencyProof(size1, size2, subtree)
        expect(E.isRight(verifyConsistency(size1, size2, proof, root1, root2))).toBe(true)
        if (proof.length > 0) {
          expect(E.isLeft(verifyConsistency(size1, size2, flip(proof, at, bit), root1, root2))).toBe(true)
          expect(E.isLeft(verifyConsistency(size1, size2, proof.slice(1), root1, root2))).toBe(true)
        }
        if (size1 < size2) expect(E.isLeft(verifyConsistency(size1, size2, proof, root2, root2))).toBe(true)
      }
    },
  )

  test.prop([leavesArb(1), fc.nat(), fc.nat()])(
    'one streaming pass gives the hashes of a proof’s ranges and the roots asked',
    async (leaves, a, b) => {
      const size2 = leaves.length
      const size1 = 1 + (a % size2)
      const ranges = consistencyRanges(size1, size2)
      const scan = await scanTree(leaves, { sizes: [size1, b % (size2 + 2)], ranges })
      expect(scan.ranges.map((h) => hex(h ?? new Uint8Array()))).toEqual(
        consistencyProof(size1, size2, subtreesOf(leaves)).map(hex),
      )
      expect(hex(scan.roots.get(size1) ?? new Uint8Array())).toBe(
        hex(subtreesOf(leaves)({ start: 0, end: size1 })),
      )
      expect(scan.roots.has(b % (size2 + 2))).toBe(b % (size2 + 2) <= size2)
      expect(scan.size).toBe(size2)
    },
  )
})
