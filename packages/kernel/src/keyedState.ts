/**
 * The KeyedStateStore port: the per-key part of a domain's write-side state kept as rows in the store,
 * so that the rules' state of a large log need not be held in memory (see `writeSide.ts`). A space (one
 * per domain) holds rows of bytes by key, each with the log position its writer stood at; the row under
 * the empty key describes the whole space (its version, the head it reflects, the state's global part).
 *
 * Every write is one transaction and may be made conditional on the position of that description, so
 * that two processes folding the same log never mix their rows: the one that finds the description moved
 * writes nothing and folds again from what the other kept.
 */
import * as E from 'fp-ts/Either'
import type { StoreError } from './errors'

/** A stored value: its bytes and the log position its writer stood at. */
export interface KeyedRow {
  readonly position: number
  readonly bytes: Uint8Array
}

/** The key of a space's description row (no domain key is empty). */
export const KEYED_META_KEY = ''

/** A value to write, or `null` to delete its row. */
export interface KeyedEntry {
  readonly key: string
  readonly bytes: Uint8Array | null
}

/** What one `writeKeyed` call writes, all or nothing. */
export interface KeyedWrite {
  /** Delete every row of the space first. */
  readonly reset?: boolean
  /**
   * Write only if the space's description row stands at this position (`null`: there is none); the
   * check also holds that row until the transaction ends. Otherwise nothing is written and the answer
   * is `false`.
   */
  readonly expectMeta?: number | null
  /** The log position the rows reflect. */
  readonly position: number
  readonly entries: ReadonlyArray<KeyedEntry>
  /**
   * Entries written after `entries`, in their order, taken one at a time while they are written (a
   * large value in pieces: the store never asks for them all at once, and need not keep one it has
   * written). Consumed once.
   */
  readonly tail?: Iterable<KeyedEntry>
}

/** Keyed rows of the write side's state, in a store (or inside an import's transaction). */
export interface KeyedStateStore {
  /** The rows of the keys asked for that exist. */
  readonly readKeyed: (
    space: string,
    keys: ReadonlyArray<string>,
  ) => Promise<E.Either<StoreError, ReadonlyMap<string, KeyedRow>>>
  /** Writes rows in one transaction; `false` when `expectMeta` did not hold (nothing written). */
  readonly writeKeyed: (space: string, write: KeyedWrite) => Promise<E.Either<StoreError, boolean>>
}

/** Keyed rows held in memory: the in-memory store's, and the reference for the conformance checks. */
export const inMemoryKeyedState = (): KeyedStateStore => {
  const spaces = new Map<string, Map<string, KeyedRow>>()
  return {
    readKeyed: (space, keys) => {
      const rows = spaces.get(space)
      const found = new Map<string, KeyedRow>()
      for (const key of keys) {
        const row = rows?.get(key)
        if (row !== undefined) found.set(key, { position: row.position, bytes: Uint8Array.from(row.bytes) })
      }
      return Promise.resolve(E.right(found))
    },
    writeKeyed: (space, write) => {
      let rows = spaces.get(space)
      if (
        write.expectMeta !== undefined &&
        (rows?.get(KEYED_META_KEY)?.position ?? null) !== write.expectMeta
      )
        return Promise.resolve(E.right(false))
      if (rows === undefined || write.reset === true) {
        rows = new Map()
        spaces.set(space, rows)
      }
      for (const entries of [write.entries, write.tail ?? []])
        for (const { key, bytes } of entries) {
          if (bytes === null) rows.delete(key)
          else rows.set(key, { position: write.position, bytes: Uint8Array.from(bytes) })
        }
      return Promise.resolve(E.right(true))
    },
  }
}
