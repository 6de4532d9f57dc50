/**
 * What every command gets: the process, the progress display and a ledger over the chosen store.
 */
import { redactCredentials } from '@ketnap/kernel'
import type { Actor, Ledger } from '@ketnap/ledger'
import type { Io } from './io'
import type { Progress } from './progress'

/** A command's view of the world. */
export interface Session {
  readonly io: Io
  readonly progress: Progress
  readonly ledger: Ledger
  /** Who the run acts for: the store's owner, or the organization `--actor` binds it to. */
  readonly actor: Actor
}

/** Writes one line to standard output. */
export const say = (io: Io, text: string): Promise<void> => io.stdout.write(`${text}\n`)

/**
 * Writes one line to standard error, with any password it may quote masked (a store URL mistyped or
 * echoed by a driver: no message prints a password).
 */
export const complain = (io: Io, text: string): Promise<void> =>
  io.stderr.write(`${redactCredentials(text)}\n`)
