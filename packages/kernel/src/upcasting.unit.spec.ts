import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import type { Envelope, Json } from './envelope'
import { domainError } from './errors'
import { sealEnvelope } from './hashChain'
import { upcasterChain } from './upcasting'

const stored = (type: string, schemaVersion: number, data: Json): Envelope =>
  sealEnvelope({
    position: 1,
    stream: 's',
    version: 1,
    id: 'e1',
    type,
    schemaVersion,
    data,
    recordedAt: '2024-01-01T00:00:00.000Z',
    actor: null,
    prevHash: '',
  })

const rename = (from: string, to: string) => (data: Json) => {
  const { [from]: value, ...rest } = data as { readonly [key: string]: Json }
  return E.right({ ...rest, [to]: value ?? null })
}

const upcast = upcasterChain(
  [
    { type: 'A', fromSchemaVersion: 1, upcast: rename('x', 'y') },
    { type: 'A', fromSchemaVersion: 2, upcast: rename('y', 'z') },
    { type: 'B', fromSchemaVersion: 2, upcast: () => E.left(domainError('bad-b', 'no')) },
  ],
  (type) => ({ A: 3, B: 3, C: 1 })[type] ?? 1,
)

describe('upcasterChain', () => {
  it('applies every step from the stored version to the current one, keeping the stored hash', () => {
    const e = stored('A', 1, { x: 1, k: 'v' })
    expect(upcast(e)).toEqual(E.right({ ...e, schemaVersion: 3, data: { k: 'v', z: 1 } }))
    expect(upcast(stored('A', 2, { y: 2 }))).toMatchObject(E.right({ schemaVersion: 3, data: { z: 2 } }))
  })

  it('leaves a current envelope as it is', () => {
    const e = stored('C', 1, { a: 1 })
    expect(upcast(e)).toEqual(E.right(e))
  })

  it('names a missing step, a failing step and a version from the future', () => {
    expect(upcast(stored('B', 1, {}))).toMatchObject(E.left({ code: 'missing-upcaster' }))
    expect(upcast(stored('B', 2, {}))).toMatchObject(E.left({ code: 'bad-b' }))
    expect(upcast(stored('C', 2, {}))).toMatchObject(E.left({ code: 'schema-too-new' }))
  })
})
