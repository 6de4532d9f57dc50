/**
 * The ledger over the kernel's in-memory store and the real party development domain: import, execute,
 * report, history, verify and export, each through the public API.
 */
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { partyDevelopment, type Command } from '@ketnap/core'
import { createInMemoryEventStore } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { createLedger, owner, type Ledger } from './index'

const sample = readFileSync(
  join(process.env['KETNAP_SHARED_DIR'] ?? 'shared', 'domain', 'sample-history.jsonl'),
  'utf8',
).split('\n')
const geography = sample.slice(0, 120)
const fixedNow = () => new Date('2024-01-01T00:00:00Z')

const fresh = (): Ledger =>
  createLedger({
    store: createInMemoryEventStore({ now: fixedNow }),
    domain: partyDevelopment(),
    now: fixedNow,
  })

const collect = async (ledger: Ledger): Promise<string[]> => {
  const lines: string[] = []
  for await (const item of ledger.exportLines(owner())) {
    if (E.isLeft(item)) throw new Error(item.left._tag)
    lines.push(item.right)
  }
  return lines
}

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

describe('createLedger', () => {
  it('imports the sample history, and a re-import appends nothing', async () => {
    const ledger = fresh()
    const first = right(await ledger.importEvents(sample, owner())())
    expect(first.appended).toBe(sample.filter((l) => l.trim() !== '').length)
    const again = right(await ledger.importEvents(sample, owner())())
    expect(again).toMatchObject({ appended: 0, skipped: first.appended, head: first.head })
  })

  it('refuses an import with invalid lines as a whole, listing every one with its line number', async () => {
    const ledger = fresh()
    right(await ledger.importEvents(geography.slice(0, 10), owner())())
    const before = await collect(ledger)
    const result = await ledger.importEvents(
      [
        ...geography.slice(10, 12),
        '{oops',
        JSON.stringify({ type: 'UnitMoved', data: { unitId: 'nowhere', orgId: 'prov', on: '2018-02-01' } }),
        ...geography.slice(12, 14),
      ],
      owner(),
    )()
    expect(E.isLeft(result)).toBe(true)
    if (E.isRight(result) || result.left._tag !== 'ImportFailure')
      throw new Error('expected an ImportFailure')
    expect(result.left.errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'invalid-json'],
      [4, expect.any(String)],
    ])
    expect(await collect(ledger)).toEqual(before)
  })

  it('returns unreadable-input, never a rejected promise, when the lines cannot be read; nothing is written', async () => {
    const ledger = fresh()
    right(await ledger.importEvents(geography.slice(0, 10), owner())())
    const before = await collect(ledger)
    const failing = async function* () {
      yield* geography.slice(10, 20)
      throw new Error('EISDIR: illegal operation on a directory, read')
    }
    const result = await ledger.importEvents(failing(), owner())()
    expect(E.isLeft(result) ? result.left : null).toMatchObject({
      _tag: 'DomainError',
      code: 'unreadable-input',
      message: expect.stringContaining('EISDIR') as unknown,
    })
    expect(await collect(ledger)).toEqual(before)
  })

  it('export → import into an empty store → export is the same, line for line', async () => {
    const a = fresh()
    right(await a.importEvents(sample, owner())())
    const exported = await collect(a)
    const b = fresh()
    right(await b.importEvents(exported, owner())())
    expect(await collect(b)).toEqual(exported)
  })

  it('rejects an export whose envelope was altered (envelope-mismatch)', async () => {
    const a = fresh()
    right(await a.importEvents(geography.slice(0, 5), owner())())
    const exported = await collect(a)
    const altered = exported.map((l, i) =>
      i === 1 ? l.replace(/"prevHash":"[0-9a-f]+"/, `"prevHash":"${'0'.repeat(64)}"`) : l,
    )
    const result = await fresh().importEvents(altered, owner())()
    expect(
      E.isLeft(result) && result.left._tag === 'ImportFailure' ? result.left.errors[0] : null,
    ).toMatchObject({
      line: 2,
      code: 'envelope-mismatch',
    })
  })

  it('executes commands against the caught-up state and rejects a broken rule with its code', async () => {
    const ledger = fresh()
    right(await ledger.importEvents(geography, owner())())
    const register: Command = {
      kind: 'RegisterOrganization',
      orgId: 'new-cell',
      name: 'Chi bộ mới',
      level: 'cell',
      parentId: 'd0-du0',
      on: '2023-05-01',
    } as unknown as Command
    const done = await ledger.execute(register, owner('tester'))()
    const envelopes = right(done)
    expect(envelopes).toHaveLength(1)
    expect(envelopes[0]).toMatchObject({
      type: 'OrganizationRegistered',
      actor: 'tester',
      stream: 'org-new-cell',
    })
    const twice = await ledger.execute(register, owner('tester'))()
    expect(E.isLeft(twice) ? twice.left._tag : null).toBe('DomainError')
  })

  it('reports as of a date, and as known at an instant', async () => {
    const ledger = fresh()
    right(await ledger.importEvents(sample, owner())())
    const now = right(await ledger.report('roll', owner(), { orgId: 'prov', asOf: '2023-12-31' })())
    const early = right(
      await ledger.report('roll', owner(), {
        orgId: 'prov',
        asOf: '2023-12-31',
        knownAt: '2018-01-02T00:00:00Z',
      })(),
    )
    expect(now.report).toBe('roll')
    expect(early.knownAt).toBe('2018-01-02T00:00:00Z')
    if (now.report !== 'roll' || early.report !== 'roll') throw new Error('roll expected')
    expect(early.members).toBeLessThan(now.members)
    const unknown = await ledger.report('roll', owner(), { orgId: 'nowhere' })()
    expect(E.isLeft(unknown) ? unknown.left : null).toMatchObject({ code: 'unknown-org' })
  })

  it('decodes a report query with the core codec: a refusal names its field, and nothing is read', async () => {
    const ledger = fresh()
    right(await ledger.importEvents(geography, owner())())
    const refused = async (name: string, query: Record<string, unknown>): Promise<unknown> => {
      const r = await ledger.report(name as 'roll', owner(), query as unknown as { orgId: string })()
      return E.isLeft(r) ? r.left : 'ok'
    }
    expect(await refused('roll', { orgId: 'prov', asOf: '2023-02-30' })).toMatchObject({
      code: 'invalid-date',
      path: 'asOf',
    })
    expect(await refused('roll', { orgId: 'prov', knownAt: '2023-01-01' })).toMatchObject({
      code: 'invalid-date',
      path: 'knownAt',
    })
    expect(await refused('attainment', { orgId: 'prov' })).toMatchObject({
      code: 'invalid-period',
      path: 'period',
    })
    expect(await refused('ratings', { orgId: 'prov', period: '2020-2021' })).toMatchObject({
      code: 'invalid-period',
      path: 'period',
    })
    expect(await refused('roll', { orgId: 42 })).toMatchObject({ code: 'invalid-query', path: 'orgId' })
    expect(await refused('roll', { orgId: 'prov', includeMerged: 'yes' })).toMatchObject({
      code: 'invalid-query',
      path: 'includeMerged',
    })
    expect(await refused('rolls', { orgId: 'prov' })).toMatchObject({ code: 'unknown-report', path: 'name' })
    expect(await refused('roll', { orgId: 'prov' })).toBe('ok')
  })

  it('refuses to report over a stored event that does not decode, instead of throwing or miscounting', async () => {
    const store = createInMemoryEventStore({ now: fixedNow })
    const ledger = createLedger({ store, domain: partyDevelopment(), now: fixedNow })
    right(await ledger.importEvents(geography, owner())())
    right(await ledger.report('roll', owner(), { orgId: 'prov', asOf: '2023-12-31' })())
    // Written past the domain, as a tampered or foreign store would hold it.
    right(
      await store.appendBatch([
        {
          stream: 'person-x1',
          expectedVersion: 0,
          events: [
            {
              type: 'CandidateNominated',
              data: null,
              schemaVersion: 1,
              actor: null,
              recordedAt: '2023-06-01T00:00:00Z',
            },
          ],
        },
      ])(),
    )
    const result = await ledger.report('roll', owner(), { orgId: 'prov', asOf: '2023-12-31' })()
    expect(E.isLeft(result) ? result.left : null).toMatchObject({
      _tag: 'DomainError',
      code: 'stored-event-invalid',
    })
  })

  it('gives one person history, and unknown-person for a stranger', async () => {
    const ledger = fresh()
    right(await ledger.importEvents(sample, owner())())
    const history = right(await ledger.history('m1', owner())())
    expect(history.every((e) => e.stream === 'person-m1')).toBe(true)
    expect(history.length).toBeGreaterThan(0)
    const none = await ledger.history('nobody', owner())()
    expect(E.isLeft(none) ? none.left : null).toMatchObject({ _tag: 'DomainError', code: 'unknown-person' })
  })

  it('verifies the chain and checks a kept head', async () => {
    const ledger = fresh()
    right(await ledger.importEvents(geography.slice(0, 30), owner())())
    const first = right(await ledger.verify()())
    expect(first).toMatchObject({ ok: true, head: { position: 30 } })
    right(await ledger.importEvents(geography.slice(30, 60), owner())())
    expect(right(await ledger.verify({ head: first.head })())).toMatchObject({
      ok: true,
      head: { position: 60 },
    })
    const forged = right(await ledger.verify({ head: { position: 30, hash: 'f'.repeat(64) } })())
    expect(forged).toMatchObject({ ok: false, firstBrokenPosition: 30 })
  })
})
