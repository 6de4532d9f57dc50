/**
 * Business dates are Vietnamese calendar dates (UTC+7): "today" depends on the instant and that zone,
 * not on the machine's time zone.
 */

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

/** The Vietnamese calendar date (YYYY-MM-DD, UTC+7) of an instant. */
export const vietnamDateOf = (instant: Date): string =>
  new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10)
