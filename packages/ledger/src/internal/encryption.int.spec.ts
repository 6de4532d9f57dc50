/**
 * How long the encrypted store's wrappers hold the keys they load, on a keyring that keeps two keys
 * besides those held: a batch of `readAll` until the next is asked for, what `readPositions` answers
 * until the turn of the event loop ends, an import's lines until the importer says it checked them.
 */
import { partyDevelopment } from '@ketnap/core'
import {
  DEFAULT_MAX_LINE_BYTES,
  createInMemoryEventStore,
  openKeyring,
  type EventStore,
  type Keyring,
} from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { createLedger, masterKey, owner } from '../index'
import { loadingKeys, makingKeys, sealedPersonsOf } from './encryption'
import { fixedNow, right, sample } from './testing/registeredMember'

const text = sample

const master = right(masterKey(new Uint8Array(32).fill(7)))

/** The sample history in an encrypted store, and a keyring of it that keeps two keys besides those held. */
const encrypted = async (): Promise<{ store: EventStore; keyring: Keyring }> => {
  const store = createInMemoryEventStore({ now: fixedNow })
  right(
    await createLedger({ store, domain: partyDevelopment(), now: fixedNow, masterKey: master }).importEvents(
      text,
      owner(),
    )(),
  )
  const keys = store.keyStore
  if (keys === undefined) throw new Error('the in-memory store keeps keys')
  const opened = right(
    await openKeyring(keys, { master, empty: false, writing: true, where: 'memory', cachedKeys: 2 }),
  )
  if (opened._tag !== 'Encrypted') throw new Error('not encrypted')
  return { store, keyring: opened.keyring }
}

/** Loads keys of other subjects: enough to let go of every key not held. */
const loadOthers = async (keyring: Keyring, tag: string): Promise<void> => {
  right(
    await keyring.keysFor(
      [1, 2, 3, 4].map((i) => `${tag}-${i}`),
      true,
    ),
  )
}

const kept = (keyring: Keyring, persons: ReadonlyArray<string>): boolean[] =>
  persons.map((p) => keyring.cached(p)?._tag === 'Key')

describe("an encrypted store's keys, held while they are needed", () => {
  it('holds a batch of readAll until the next is asked for', async () => {
    const { store, keyring } = await encrypted()
    const reading = loadingKeys(store, keyring, false)
    let batches = 0
    let before: string[] = []
    for await (const batch of reading.readAll({ batchSize: 50 })) {
      if (before.length > 0) {
        // The batch before was let go: the keys loaded since (this batch's) pushed it out.
        await loadOthers(keyring, `after-${batches}`)
        expect(
          kept(
            keyring,
            before.filter((p) => !sealedPersonsOf(right(batch)).includes(p)),
          ),
        ).not.toContain(true)
      }
      const persons = sealedPersonsOf(right(batch))
      await loadOthers(keyring, `during-${batches}`)
      expect(kept(keyring, persons)).not.toContain(false)
      before = persons
      batches++
    }
    expect(batches).toBeGreaterThan(3)
  })

  it('holds what readPositions answers until the turn of the event loop ends', async () => {
    const { store, keyring } = await encrypted()
    const reading = loadingKeys(store, keyring, false)
    const all = right(await reading.readPositions(Array.from({ length: 400 }, (_, i) => i + 1)))
    const persons = sealedPersonsOf(all)
    expect(persons.length).toBeGreaterThan(10)
    await loadOthers(keyring, 'same-turn')
    expect(kept(keyring, persons)).not.toContain(false)
    await new Promise((resolve) => setImmediate(resolve))
    await loadOthers(keyring, 'next-turn')
    expect(kept(keyring, persons)).not.toContain(true)
  })

  it("holds an import's lines until the importer checked them", async () => {
    const { store, keyring } = await encrypted()
    const keys = store.keyStore
    if (keys === undefined) throw new Error('the in-memory store keeps keys')
    const lines = text.split('\n').filter((l) => l.trim() !== '')
    const nominated = lines.flatMap((l, i) =>
      l.includes('"CandidateNominated"')
        ? [{ line: i + 1, person: (JSON.parse(l) as { data: { personId: string } }).data.personId }]
        : [],
    )
    const keyed = makingKeys(
      lines,
      keyring,
      keys,
      () => undefined,
      () => undefined,
      DEFAULT_MAX_LINE_BYTES,
    )
    const source = keyed.source as AsyncIterable<string>
    const iterator = source[Symbol.asyncIterator]()
    const first = await iterator.next()
    const block = (first.value as string).split('\n').length - 1
    const inBlock = nominated.filter((n) => n.line <= block)
    expect(inBlock.length).toBeGreaterThan(5)
    await loadOthers(keyring, 'unchecked')
    expect(
      kept(
        keyring,
        inBlock.map((n) => n.person),
      ),
    ).not.toContain(false)
    // Checked up to the middle of the block: the block is held whole until its last line is checked.
    keyed.checked(block - 1)
    await loadOthers(keyring, 'half')
    expect(
      kept(
        keyring,
        inBlock.map((n) => n.person),
      ),
    ).not.toContain(false)
    keyed.checked(block)
    await loadOthers(keyring, 'checked')
    const later = new Set(nominated.filter((n) => n.line > block).map((n) => n.person))
    expect(
      kept(
        keyring,
        inBlock.map((n) => n.person).filter((p) => !later.has(p)),
      ),
    ).not.toContain(true)
    await iterator.return?.(undefined)
  })
})

describe("an encrypted store's import of bytes", () => {
  it('passes a line over the limit on as its bytes come, and numbers the lines after it as the importer does', async () => {
    const { store, keyring } = await encrypted()
    const keys = store.keyStore
    if (keys === undefined) throw new Error('the in-memory store keeps keys')
    const lines = text.split('\n').filter((l) => l.trim() !== '')
    const nomination = lines.find((l) => l.includes('"CandidateNominated"')) as string
    const person = (JSON.parse(nomination) as { data: { personId: string } }).data.personId
    // A first line, then a line of 4 MiB in chunks of 64 KiB, then a nomination (line 3).
    let produced = 0
    const chunk = Buffer.alloc(64 * 1024, 0x78)
    async function* input(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`${lines[0] as string}\n{"type":"X","data":"`)
      for (let i = 0; i < 64; i++) {
        produced += 1
        yield chunk
      }
      yield Buffer.from(`"}\n${nomination}\n`)
    }
    const keyed = makingKeys(
      { bytes: input() },
      keyring,
      keys,
      () => undefined,
      () => undefined,
      1024 * 1024,
    )
    const source = keyed.source as { bytes: AsyncIterable<Uint8Array> }
    let bytes = 0
    let producedAtFirstLongBytes = -1
    const out: Buffer[] = []
    for await (const piece of source.bytes) {
      bytes += piece.length
      if (producedAtFirstLongBytes < 0 && bytes > 1024 * 1024) producedAtFirstLongBytes = produced
      out.push(Buffer.from(piece))
    }
    // The long line was handed on before its last chunk was read: not kept whole.
    expect(producedAtFirstLongBytes).toBeGreaterThan(0)
    expect(producedAtFirstLongBytes).toBeLessThan(64)
    // Every byte as it came, and the nomination's key made and held as line 3's, until line 3 is checked.
    expect(Buffer.concat(out).toString()).toBe(
      `${lines[0] as string}\n{"type":"X","data":"${'x'.repeat(64 * 64 * 1024)}"}\n${nomination}\n`,
    )
    keyed.checked(2)
    await loadOthers(keyring, 'line-2')
    expect(kept(keyring, [person])).toEqual([true])
    keyed.checked(3)
    await loadOthers(keyring, 'line-3')
    expect(kept(keyring, [person])).toEqual([false])
  })

  it('refuses the long line and names the lines after it as a clear store does, writing nothing', async () => {
    const lines = text.split('\n').filter((l) => l.trim() !== '')
    const input = async function* (): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`${lines.slice(0, 10).join('\n')}\n{"type":"X","data":"`)
      for (let i = 0; i < 40; i++) yield Buffer.alloc(64 * 1024, 0x78)
      yield Buffer.from(`"}\n${lines.slice(10, 1500).join('\n')}\n{"type":"Nope","data":{}}\n`)
    }
    const errorsOf = async (key: boolean): Promise<unknown> => {
      const store = createInMemoryEventStore({ now: fixedNow })
      const ledger = createLedger({
        store,
        domain: partyDevelopment(),
        now: fixedNow,
        ...(key ? { masterKey: master, cachedKeys: 2 } : {}),
      })
      const imported = await ledger.importEvents({ bytes: input() }, owner(), { maxLineBytes: 1024 * 1024 })()
      expect(right(await store.headPosition()())).toBe(0)
      return E.isLeft(imported) && 'errors' in imported.left
        ? imported.left.errors.map((e) => [(e as { line: number }).line, (e as { code: string }).code])
        : imported
    }
    const encryptedErrors = await errorsOf(true)
    expect(encryptedErrors).toEqual(await errorsOf(false))
    expect(encryptedErrors).toEqual([
      [11, 'line-too-long'],
      [1502, expect.any(String)],
    ])
  })
})
