/**
 * The access policy through the ledger, on random organization trees with moves over time: an event
 * outside a bound actor's subtree on its date is always refused (`forbidden`) and leaves the store
 * unchanged, line for line of its export; inside, a bound actor gets exactly the owner's answer, so it
 * is accepted whenever the other rules hold. The same for reports and histories. The model below reads
 * the tree from the generated links, day by day: a simplification, not the policy's code.
 */
import { fc, test } from '@fast-check/vitest'
import { createInMemoryEventStore, type Envelope } from '@ketnap/kernel'
import { commandOf, decodeEvent, partyDevelopment } from '@ketnap/core'
import * as E from 'fp-ts/Either'
import { describe, expect } from 'vitest'
import { boundActor, createLedger, owner, type Actor, type Ledger } from './index'

/** One organization of the generated tree: registered on the first day under `parent`. */
interface Org {
  readonly id: string
  readonly parent: string | null
}

/** A move of `org` under `parent` from `on`. */
interface Move {
  readonly org: string
  readonly parent: string
  readonly on: string
}

interface Tree {
  readonly orgs: ReadonlyArray<Org>
  readonly moves: ReadonlyArray<Move>
}

const FIRST_DAY = '2020-01-01'
const DAYS = [
  '2020-01-01',
  '2020-06-30',
  '2021-03-01',
  '2021-09-15',
  '2022-05-20',
  '2023-02-11',
  '2023-12-31',
]
const RECORDED = '2024-01-01T00:00:00Z'
const PROBED = '2024-06-01T00:00:00Z'
const fixedNow = (): Date => new Date('2024-07-01T00:00:00Z')

/** The model: the parent of `org` on `day`, from the generated links (the last move on or before it). */
const parentOn = (tree: Tree, org: string, day: string): string | null => {
  let parent = tree.orgs.find((o) => o.id === org)?.parent ?? null
  for (const move of tree.moves) if (move.org === org && move.on <= day) parent = move.parent
  return parent
}

/** The model: `org` is `root` or below it on `day`. */
const below = (tree: Tree, root: string, org: string, day: string): boolean => {
  const seen = new Set<string>()
  for (let current: string | null = org; current !== null && !seen.has(current);) {
    if (current === root) return true
    seen.add(current)
    current = parentOn(tree, current, day)
  }
  return false
}

/** The model: `org` was below `root` on some day from `from` on (checked day by day to 2024). */
const everBelowFrom = (tree: Tree, root: string, org: string, from: string): boolean => {
  for (let t = Date.parse(from); t <= Date.parse('2024-01-01'); t += 86_400_000)
    if (below(tree, root, org, new Date(t).toISOString().slice(0, 10))) return true
  return false
}

/**
 * A tree of 2 to 7 organizations under a province, and moves on random days among those that keep it a
 * tree on every later day (the model refuses a move that would make an organization its own ancestor).
 */
const treeArb: fc.Arbitrary<Tree> = fc
  .record({
    parents: fc.array(fc.nat(), { minLength: 2, maxLength: 7 }),
    moves: fc.array(fc.record({ org: fc.nat(), parent: fc.nat(), day: fc.integer({ min: 1, max: 5 }) }), {
      maxLength: 5,
    }),
  })
  .map(({ parents, moves }) => {
    const orgs: Org[] = [{ id: 'p', parent: null }]
    parents.forEach((n, i) => orgs.push({ id: `o${i + 1}`, parent: orgs[n % orgs.length]!.id }))
    const tree: { orgs: Org[]; moves: Move[] } = { orgs, moves: [] }
    const sorted = [...moves].sort((a, b) => a.day - b.day)
    for (const m of sorted) {
      const org = orgs[1 + (m.org % (orgs.length - 1))]!.id
      const parent = orgs[m.parent % orgs.length]!.id
      const on = DAYS[m.day]!
      // One reorganization a day keeps every stream's dates in order.
      if (parent === org || tree.moves.at(-1)?.on === on) continue
      const candidate: Tree = { orgs, moves: [...tree.moves, { org, parent, on }] }
      if (DAYS.some((day) => day >= on && below(candidate, org, parent, day))) continue
      tree.moves.push({ org, parent, on })
    }
    return tree
  })

/** The tree as import lines, recorded by the owner. */
const treeLines = (tree: Tree): string[] => [
  ...tree.orgs.map((o) =>
    JSON.stringify({
      type: 'OrganizationRegistered',
      data: {
        orgId: o.id,
        name: o.id,
        level: o.parent === null ? 'province' : 'district',
        parentId: o.parent,
        on: FIRST_DAY,
      },
      recordedAt: RECORDED,
    }),
  ),
  ...tree.moves.map((m) =>
    JSON.stringify({
      type: 'OrganizationMoved',
      data: { orgId: m.org, parentId: m.parent, on: m.on },
      recordedAt: RECORDED,
    }),
  ),
]

/** A probe: an event about organization `org` (and `other`, where the event names two) on `day`. */
type Probe =
  | {
      readonly kind: 'rated' | 'target' | 'class' | 'register' | 'nominate'
      readonly org: string
      readonly day: string
    }
  | { readonly kind: 'quota'; readonly org: string; readonly other: string; readonly day: string }

/** The probe as an import line. */
const probeLine = (probe: Probe): string => {
  const on = probe.day
  const data = ((): { type: string; data: unknown } => {
    switch (probe.kind) {
      case 'rated':
        return { type: 'OrganizationRated', data: { orgId: probe.org, year: 2020, rating: 'good', on } }
      case 'target':
        return {
          type: 'TargetSet',
          data: {
            orgId: probe.org,
            indicator: 'villages-with-members-share',
            period: '2023',
            value: 0.5,
            on,
          },
        }
      case 'class':
        return {
          type: 'AwarenessClassHeld',
          data: { classId: 'k1', orgId: probe.org, from: on, to: on, trainees: 10 },
        }
      case 'register':
        return {
          type: 'OrganizationRegistered',
          data: { orgId: 'fresh', name: 'fresh', level: 'cell', parentId: probe.org, on },
        }
      case 'nominate':
        return {
          type: 'CandidateNominated',
          data: {
            personId: 'q1',
            orgId: probe.org,
            nominatedBy: 'members',
            profile: { birthDate: '1990-01-01', sex: 'female', ethnicMinority: false, occupation: 'farmer' },
            on,
          },
        }
      case 'quota':
        return {
          type: 'QuotaAssigned',
          data: { orgId: probe.org, period: '2023', target: 5, assignedBy: probe.other, on },
        }
    }
  })()
  return JSON.stringify({ ...data, recordedAt: PROBED })
}

/** The model: may an actor bound to `actor` record the probe? */
const allowed = (tree: Tree, actor: string, probe: Probe): boolean =>
  probe.kind === 'quota'
    ? probe.other === actor && below(tree, actor, probe.org, probe.day)
    : below(tree, actor, probe.org, probe.day)

const orgOf = (tree: Tree, n: number): string => tree.orgs[n % tree.orgs.length]!.id

/**
 * An actor and a probe on a tree: organizations are drawn from the whole tree, and as often from those a
 * move concerns (moved, old and new parents), where the date matters.
 */
const scenarioArb = treeArb.chain((tree) => {
  const moved = [
    ...new Set(tree.moves.flatMap((m) => [m.org, m.parent, parentOn(tree, m.org, FIRST_DAY) ?? 'p'])),
  ]
  const org = fc.oneof(
    fc.nat().map((n) => orgOf(tree, n)),
    moved.length === 0 ? fc.nat().map((n) => orgOf(tree, n)) : fc.constantFrom(...moved),
  )
  return fc.record({
    tree: fc.constant(tree),
    actor: fc.oneof({ weight: 9, arbitrary: org }, { weight: 1, arbitrary: fc.constant('stranger') }),
    probe: fc.record({
      kind: fc.constantFrom('rated', 'target', 'class', 'register', 'nominate', 'quota'),
      org,
      other: org,
      day: fc.constantFrom(...DAYS),
    }) as fc.Arbitrary<Probe>,
  })
})

/** A ledger over a fresh in-memory store holding the tree. */
const ledgerWith = async (tree: Tree): Promise<Ledger> => {
  const ledger = createLedger({
    store: createInMemoryEventStore(),
    domain: partyDevelopment(),
    now: fixedNow,
  })
  const imported = await ledger.importEvents(treeLines(tree), owner())()
  if (E.isLeft(imported))
    throw new Error(`the generated tree does not import: ${JSON.stringify(imported.left)}`)
  return ledger
}

const exported = async (ledger: Ledger): Promise<string[]> => {
  const lines: string[] = []
  for await (const item of ledger.exportLines(owner())) {
    if (E.isLeft(item)) throw new Error(item.left._tag)
    lines.push(item.right)
  }
  return lines
}

/** What an import answered, without what differs by who asked (the actor recorded, hence the head). */
const outcome = (result: Awaited<ReturnType<ReturnType<Ledger['importEvents']>>>): unknown =>
  E.isRight(result)
    ? { appended: result.right.appended }
    : result.left._tag === 'ImportFailure'
      ? result.left.errors.map((e) => e.code)
      : result.left._tag

describe('the access policy on random organization trees', () => {
  test.prop([scenarioArb])(
    'an event outside the subtree on its date is refused and changes nothing; inside, the owner’s answer',
    async ({ tree, actor, probe }) => {
      const bound = await ledgerWith(tree)
      const before = await exported(bound)
      const asBound = await bound.importEvents([probeLine(probe)], boundActor(actor))()
      if (!allowed(tree, actor, probe)) {
        expect(outcome(asBound)).toEqual(['forbidden'])
        expect(await exported(bound)).toEqual(before)
        return
      }
      const asOwner = await (await ledgerWith(tree)).importEvents([probeLine(probe)], owner())()
      expect(outcome(asBound)).toEqual(outcome(asOwner))
      if (E.isRight(asBound)) expect(JSON.parse((await exported(bound)).at(-1)!).actor).toBe(actor)
    },
  )

  test.prop([scenarioArb])(
    'a command outside the subtree on its date is refused and changes nothing; inside, the owner’s answer',
    async ({ tree, actor, probe }) => {
      const { type, data } = JSON.parse(probeLine(probe)) as { type: string; data: unknown }
      const event = decodeEvent(type, data)
      if (E.isLeft(event)) throw new Error(JSON.stringify(event.left))
      const command = commandOf(event.right)
      const options = { recordedAt: PROBED }
      const bound = await ledgerWith(tree)
      const before = await exported(bound)
      const asBound = await bound.execute(command, boundActor(actor), options)()
      if (!allowed(tree, actor, probe)) {
        expect(E.isLeft(asBound) ? asBound.left : null).toMatchObject({
          _tag: 'ForbiddenError',
          code: 'forbidden',
          actor,
        })
        expect(await exported(bound)).toEqual(before)
        return
      }
      const asOwner = await (await ledgerWith(tree)).execute(command, owner(actor), options)()
      // The same events, under the same actor's name (ids, hence hashes, are drawn afresh in each store).
      const events = (r: typeof asBound): unknown =>
        E.map((envelopes: ReadonlyArray<Envelope>) =>
          envelopes.map(({ id: _id, hash: _hash, prevHash: _prev, ...rest }) => rest),
        )(r)
      expect(events(asBound)).toEqual(events(asOwner))
    },
  )

  test.prop([scenarioArb])(
    "a report is read by an actor whose subtree holds the organization on the report's date, and no other",
    async ({ tree, actor, probe }) => {
      const ledger = await ledgerWith(tree)
      const ask = (who: Actor) => ledger.report('roll', who, { orgId: probe.org, asOf: probe.day })()
      const asBound = await ask(boundActor(actor))
      if (!below(tree, actor, probe.org, probe.day)) {
        expect(E.isLeft(asBound) ? asBound.left : null).toMatchObject({
          _tag: 'ForbiddenError',
          code: 'forbidden',
          actor,
          scope: probe.org,
        })
        return
      }
      expect(asBound).toEqual(await ask(owner()))
    },
  )

  test.prop([scenarioArb])(
    'a history is read by an actor whose subtree held the person at some time, and no other',
    async ({ tree, actor, probe }) => {
      const ledger = await ledgerWith(tree)
      const nominated = await ledger.importEvents(
        [probeLine({ kind: 'nominate', org: probe.org, day: probe.day })],
        owner(),
      )()
      if (E.isLeft(nominated)) throw new Error(JSON.stringify(nominated.left))
      const asBound = await ledger.history('q1', boundActor(actor))()
      if (!everBelowFrom(tree, actor, probe.org, probe.day)) {
        expect(E.isLeft(asBound) ? asBound.left : null).toMatchObject({
          _tag: 'ForbiddenError',
          code: 'forbidden',
          actor,
        })
        return
      }
      expect(asBound).toEqual(await ledger.history('q1', owner())())
    },
  )
})
