/**
 * Business dates are Vietnamese calendar dates (UTC+7): "today" depends on the instant and that zone,
 * not on the machine's time zone. The core's, re-exported for embedders.
 */
export { vietnamDateOf } from '@ketnap/core'
