/**
 * Group commit of the ledger, as a property: concurrent callers on one ledger (random commands, some
 * breaking rules, some racing for the same organization) each get exactly their own outcome, and the log
 * is SOME sequential order of the accepted commands: replaying them one by one in log order on a fresh
 * ledger accepts each and gives the same events. Over the in-memory store and a real SQLite file (the
 * CLI is the composition root, so the test lives here).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandData, partyDevelopment, type Command } from '@ketnap/core'
import {
  canonicalJson,
  createInMemoryEventStore,
  type Envelope,
  type EventStore,
  type Json,
} from '@ketnap/kernel'
import { createLedger, owner } from '@ketnap/ledger'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'ketnap-group-commit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const now = () => new Date('2024-01-01T00:00:00Z')

const orgIds = ['o1', 'o2', 'o3'] as const

/** A command template; the caller and its index make its text unique, so an answer names its command. */
type Template =
  | { readonly kind: 'org'; readonly orgId: string; readonly parent: string | null; readonly day: number }
  | { readonly kind: 'quota'; readonly orgId: string; readonly period: string; readonly day: number }

const templateArb: fc.Arbitrary<Template> = fc.oneof(
  fc.record({
    kind: fc.constant('org' as const),
    orgId: fc.constantFrom(...orgIds),
    // A parent that may not be registered (yet): a broken rule, or not, depending on the order.
    parent: fc.constantFrom(null, null, ...orgIds),
    day: fc.integer({ min: 1, max: 9 }),
  }),
  fc.record({
    kind: fc.constant('quota' as const),
    orgId: fc.constantFrom(...orgIds),
    period: fc.constantFrom('2016', '2017'),
    day: fc.integer({ min: 1, max: 9 }),
  }),
)

const commandOf = (t: Template, tag: string): Command =>
  t.kind === 'org'
    ? {
        kind: 'RegisterOrganization',
        orgId: t.orgId,
        name: `Đảng bộ ${tag}`,
        level: t.parent === null ? 'province' : 'district',
        parentId: t.parent,
        on: `2016-01-0${t.day}`,
      }
    : {
        kind: 'AssignQuota',
        orgId: t.orgId,
        period: t.period,
        target: 10,
        assignedBy: t.orgId,
        ref: `NQ ${tag}`,
        on: `2016-01-0${t.day}`,
      }

const callersArb = fc.array(
  fc.record({
    commands: fc.array(templateArb, { minLength: 1, maxLength: 4 }),
    ticks: fc.array(fc.nat({ max: 3 }), { minLength: 4, maxLength: 4 }),
  }),
  { minLength: 2, maxLength: 8 },
)

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const readLog = async (store: EventStore): Promise<Envelope[]> => {
  const log: Envelope[] = []
  for await (const batch of store.readAll()) {
    if (E.isLeft(batch)) throw new Error(JSON.stringify(batch.left))
    log.push(...batch.right)
  }
  return log
}

const runProperty = async (open: () => Promise<{ store: EventStore; close: () => Promise<void> }>) =>
  fc.assert(
    fc.asyncProperty(callersArb, async (callers) => {
      const { store, close } = await open()
      try {
        const ledger = createLedger({ store, domain: partyDevelopment(), now })
        const outcomes: {
          command: Command
          result: Awaited<ReturnType<ReturnType<typeof ledger.execute>>>
        }[] = []
        await Promise.all(
          callers.map(async (caller, c) => {
            for (const [i, template] of caller.commands.entries()) {
              for (let k = 0; k < (caller.ticks[i] ?? 0); k++) await tick()
              const command = commandOf(template, `c${c}-${i}`)
              outcomes.push({ command, result: await ledger.execute(command, owner(`caller-${c}`))() })
            }
          }),
        )
        // Each answer is the caller's own: its events carry exactly its command's data, or it is a rule.
        for (const { command, result } of outcomes) {
          if (E.isLeft(result)) {
            expect(result.left._tag).toBe('DomainError')
            continue
          }
          const { type, data } = commandData(command)
          expect(result.right.map((e) => [e.type, canonicalJson(e.data)])).toEqual([
            [type, canonicalJson(data as Json)],
          ])
        }
        // The log holds the accepted commands' events and nothing else.
        const log = await readLog(store)
        const accepted = outcomes
          .flatMap(({ command, result }) => (E.isRight(result) ? [{ command, appended: result.right }] : []))
          .sort((a, b) => a.appended[0]!.position - b.appended[0]!.position)
        expect(log.map((e) => e.id)).toEqual(accepted.flatMap((a) => a.appended.map((e) => e.id)))
        // Replayed one by one in log order on a fresh ledger, each is accepted and gives the same events.
        const replayStore = createInMemoryEventStore({ now })
        const replay = createLedger({ store: replayStore, domain: partyDevelopment(), now })
        for (const { command, appended } of accepted) {
          const again = await replay.execute(command, owner(appended[0]!.actor))()
          if (E.isLeft(again))
            throw new Error(`${JSON.stringify(command)} refused on replay: ${JSON.stringify(again.left)}`)
          expect(again.right.map((e) => [e.stream, e.type, canonicalJson(e.data)])).toEqual(
            appended.map((e) => [e.stream, e.type, canonicalJson(e.data)]),
          )
        }
        // The replayed log is the same events, in the same order.
        expect(
          (await readLog(replayStore)).map((e) => [e.stream, e.version, e.type, canonicalJson(e.data)]),
        ).toEqual(log.map((e) => [e.stream, e.version, e.type, canonicalJson(e.data)]))
      } finally {
        await close()
      }
    }),
    { numRuns: 60, seed: 20240101 },
  )

describe('concurrent execute on one ledger (group commit)', () => {
  it('gives every caller its own outcome, and a log that is a sequential order: in-memory store', async () => {
    await runProperty(() => {
      const store = createInMemoryEventStore({ now })
      return Promise.resolve({ store, close: async () => void (await store.close()()) })
    })
  })

  let files = 0
  it('the same over a real SQLite file', async () => {
    await runProperty(async () => {
      const path = join(dir, `group-${files++}.db`)
      const opened = await openSqliteEventStore(path, { now })()
      if (E.isLeft(opened)) throw new Error(opened.left.message)
      return { store: opened.right, close: async () => void (await opened.right.close()()) }
    })
  }, 120_000)
})
