/**
 * The exit statuses of CLI.md.
 */

/** Exit statuses: 0 success, 1 refused or failed, 2 bad usage, 3 a broken hash chain. */
export const ExitStatus = {
  ok: 0,
  failure: 1,
  usage: 2,
  broken: 3,
} as const

/** An exit status. */
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus]
