/**
 * The JSON renderer: the projection's result as it is, plain numbers, for scripts.
 */
import type { Report } from '@ketnap/core'

/** A report as pretty-printed JSON (two-space indent, ending in a newline); numbers stay plain. */
export const renderJson = (report: Report): string => JSON.stringify(report, null, 2) + '\n'
