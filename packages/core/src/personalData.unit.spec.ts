import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { canonicalJson, open, sealDeterministic, type Json } from '@ketnap/kernel'
import { describe, expect, it } from 'vitest'
import { holdsSealedField, openPersonalData, sealPersonalData, type PersonalCipher } from './personalData'

/** A cipher over fixed per-person keys, some destroyed: the kernel's AES-256-GCM, as a store's keyring. */
const cipherOf = (destroyed: ReadonlySet<string> = new Set()): PersonalCipher => {
  const keyOf = (personId: string): Uint8Array =>
    Uint8Array.from(Buffer.from(personId.padEnd(32, '#').slice(0, 32), 'utf8'))
  return {
    seal: (personId, plain, context) =>
      destroyed.has(personId)
        ? 'erased'
        : Buffer.from(sealDeterministic(keyOf(personId), Buffer.from(plain, 'utf8'), context)).toString(
            'base64',
          ),
    open: (personId, sealed, context) => {
      if (destroyed.has(personId)) return 'erased'
      const plain = open(keyOf(personId), Buffer.from(sealed, 'base64'), context)
      return plain === null ? null : Buffer.from(plain).toString('utf8')
    },
  }
}

const nomination = (profile: Record<string, Json>): Json => ({
  personId: 'p-0001',
  orgId: 'cb-1',
  nominatedBy: 'members',
  profile,
  on: '2016-01-04',
})

const right = <A>(x: E.Either<unknown, A>): A => {
  if (E.isLeft(x)) throw new Error(JSON.stringify(x.left))
  return x.right
}

describe('the encrypted form of personal fields', () => {
  it("replaces a profile's personal fields by one sealed string and leaves sex and occupation clear", () => {
    const profile = {
      birthDate: '1990-04-12',
      sex: 'female',
      ethnicMinority: true,
      ethnicity: 'Thái',
      occupation: 'farmer',
    }
    const stored = right(sealPersonalData('CandidateNominated', nomination(profile), cipherOf()))
    expect(stored).toMatchObject({
      profile: { sex: 'female', occupation: 'farmer', sealed: expect.any(String) },
    })
    expect(Object.keys((stored as { profile: object }).profile).sort()).toEqual([
      'occupation',
      'sealed',
      'sex',
    ])
    const text = canonicalJson(stored)
    for (const value of ['1990-04-12', 'Thái', 'ethnicMinority']) expect(text).not.toContain(value)
  })

  it('reads back the clear data with the key, and erased with a destroyed key', () => {
    const profile = {
      birthDate: '1990-04-12',
      sex: 'male',
      ethnicMinority: false,
      religion: 'Công giáo',
      occupation: 'student',
    }
    const data = nomination(profile)
    const stored = right(sealPersonalData('CandidateNominated', data, cipherOf()))
    expect(right(openPersonalData('CandidateNominated', 2, stored, cipherOf()))).toEqual({
      data,
      erased: false,
    })
    expect(right(openPersonalData('CandidateNominated', 2, stored, cipherOf(new Set(['p-0001']))))).toEqual({
      data: nomination({ sex: 'male', occupation: 'student', erased: true }),
      erased: true,
    })
  })

  it("seals an annulment's reason, and refuses to seal anything about a forgotten person", () => {
    const data = { personId: 'p-0002', reason: 'quyết định kết nạp trái quy định', on: '2017-03-01' }
    const stored = right(sealPersonalData('AdmissionAnnulled', data, cipherOf()))
    expect(Object.keys(stored as object).sort()).toEqual(['on', 'personId', 'sealed'])
    const refused = sealPersonalData('AdmissionAnnulled', data, cipherOf(new Set(['p-0002'])))
    expect(E.isLeft(refused) && refused.left.code).toBe('person-erased')
  })

  it('leaves events without personal fields, and clear data of version 1, as they are', () => {
    const data = { personId: 'p-1', orgId: 'cb-1', on: '2016-06-02' }
    expect(right(sealPersonalData('MemberAdmitted', data, cipherOf()))).toBe(data)
    const clear = nomination({
      birthDate: '1990-04-12',
      sex: 'male',
      ethnicMinority: false,
      occupation: 'other',
    })
    expect(right(openPersonalData('CandidateNominated', 1, clear, cipherOf()))).toEqual({
      data: clear,
      erased: false,
    })
  })

  it('refuses a ciphertext moved to another person or another event type', () => {
    const stored = right(
      sealPersonalData(
        'CandidateNominated',
        nomination({ birthDate: '1990-04-12', sex: 'male', ethnicMinority: false, occupation: 'other' }),
        cipherOf(),
      ),
    ) as { readonly profile: Json }
    const asRegistration = openPersonalData('ExistingMemberRegistered', 2, stored, cipherOf())
    expect(E.isLeft(asRegistration) && asRegistration.left.code).toBe('sealed-unreadable')
    const moved = { personId: 'p-0002', profile: stored.profile }
    const toAnother = openPersonalData('CandidateNominated', 2, moved, cipherOf())
    expect(E.isLeft(toAnother) && toAnother.left.code).toBe('sealed-unreadable')
  })

  it('round-trips any profile, seals it the same way twice, and shows none of its values', () => {
    const arbProfile = fc.record(
      {
        birthDate: fc
          .date({ min: new Date('1940-01-01'), max: new Date('2010-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10)),
        sex: fc.constantFrom('female', 'male'),
        ethnicMinority: fc.boolean(),
        ethnicity: fc.constantFrom('Kinh', 'Thái', 'Hmông', 'Ê Đê', 'Khơ Mú'),
        religion: fc.constantFrom('Phật giáo', 'Công giáo', 'Tin Lành', 'Cao Đài'),
        occupation: fc.constantFrom('student', 'farmer', 'other'),
      },
      { requiredKeys: ['birthDate', 'sex', 'ethnicMinority', 'occupation'] },
    )
    fc.assert(
      fc.property(arbProfile, (profile) => {
        const data = nomination(profile)
        const stored = right(sealPersonalData('CandidateNominated', data, cipherOf()))
        expect(canonicalJson(right(sealPersonalData('CandidateNominated', data, cipherOf())))).toBe(
          canonicalJson(stored),
        )
        const text = canonicalJson(stored)
        expect(text).not.toContain(profile.birthDate)
        if (profile.ethnicity !== undefined) expect(text).not.toContain(profile.ethnicity)
        if (profile.religion !== undefined) expect(text).not.toContain(profile.religion)
        expect(right(openPersonalData('CandidateNominated', 2, stored, cipherOf())).data).toEqual(data)
      }),
      { seed: 15, numRuns: 200 },
    )
  })
})

describe('holdsSealedField', () => {
  // The encrypted form is told from the clear one by a `sealed` key at any depth, as a search of the
  // data's JSON text for the key told it before.
  const withSealed = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.jsonValue({ maxDepth: 1 }),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('sealed', 'profile', 'x', '"sealed":', 'sealed '), tie('value'), {
        maxKeys: 3,
      }),
    ),
  })).value as fc.Arbitrary<Json>
  it('finds a sealed key at any depth, and nothing else (a value, a key that only contains it)', () => {
    fc.assert(
      fc.property(withSealed, (data) => {
        expect(holdsSealedField(data)).toBe(JSON.stringify(data).includes('"sealed":'))
      }),
      { numRuns: 500 },
    )
    expect(holdsSealedField({ profile: { sealed: 'x' } })).toBe(true)
    expect(holdsSealedField({ profile: { note: '"sealed":1' } })).toBe(false)
  })
})
