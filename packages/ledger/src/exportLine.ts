/**
 * The interchange form of a stored event: one JSON Lines line holding the full envelope, keys in the
 * order of EVENTS.md, so that an export is stable byte for byte.
 */
import type { Envelope } from '@ketnap/kernel'

/**
 * One envelope as a line of an export (without the newline): `position`, `stream`, `version`, `id`,
 * `type`, `schemaVersion`, `data`, `recordedAt`, `actor`, `prevHash`, `hash`, in that order.
 */
export const exportLine = (e: Envelope): string =>
  JSON.stringify({
    position: e.position,
    stream: e.stream,
    version: e.version,
    id: e.id,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    recordedAt: e.recordedAt,
    actor: e.actor,
    prevHash: e.prevHash,
    hash: e.hash,
  })
