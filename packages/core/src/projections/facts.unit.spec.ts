import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nearestMarkedAt, reaches, subtreeAt } from './facts'
import { emptyReportsState, type OrgFacts, type ReportsState } from './state'

const D = '2025-01-01'
const K = 1_000

const org = (id: string, parentId: string | null): OrgFacts => ({
  id,
  name: id,
  level: parentId === null ? 'province' : 'cell',
  unitId: null,
  villageId: null,
  registeredOn: '2020-01-01',
  rec: 1,
  parents: [{ on: '2020-01-01', rec: 1, value: parentId }],
  dissolved: null,
})

/** A chain `o0` (the top) → `o1` → … → `o{n-1}`, each the parent of the next. */
const chain = (n: number): ReportsState => {
  const s = emptyReportsState()
  for (let i = 0; i < n; i++) s.orgs.set(`o${i}`, org(`o${i}`, i === 0 ? null : `o${i - 1}`))
  return s
}

describe("a subtree's test on a date", () => {
  it('holds the organizations at most 63 links below the root, whatever order they are asked in', () => {
    const s = chain(100)
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          Array.from({ length: 100 }, (_, i) => i),
          { minLength: 1 },
        ),
        (order) => {
          const inSubtree = subtreeAt(s, 'o0', D, K)
          for (const i of order) expect(inSubtree(`o${i}`)).toBe(i <= 63)
        },
      ),
    )
  })

  it('agrees with the walk up from each organization (reaches) under a root deep in the chain', () => {
    const s = chain(150)
    const inSubtree = subtreeAt(s, ['o20', 'o90'], D, K)
    for (let i = 149; i >= 0; i--) expect(inSubtree(`o${i}`)).toBe(reaches(s, `o${i}`, ['o20', 'o90'], D, K))
    expect(inSubtree('o83')).toBe(true)
    expect(inSubtree('o84')).toBe(false)
  })
})

describe('the nearest marked organization above', () => {
  it('is found within 63 links, the same in any order of questions', () => {
    const s = chain(130)
    const marked = new Set(['o0', 'o50'])
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          Array.from({ length: 130 }, (_, i) => i),
          { minLength: 1 },
        ),
        (order) => {
          const nearest = nearestMarkedAt(s, D, K, (id) => (marked.has(id) ? id : undefined))
          for (const i of order)
            expect(nearest(`o${i}`)).toBe(i >= 50 ? (i - 50 <= 63 ? 'o50' : undefined) : 'o0')
        },
      ),
    )
  })
})
