/**
 * The audit figures of a store holding the log: `ketnap checkpoint`, `ketnap prove --position` and
 * `ketnap prove --consistency`, each from a fresh process (the median of three), against process start
 * (`ketnap --help`). The older checkpoint a consistency proof needs is signed here, outside the clock,
 * from the store's stored tree at a smaller size, as a committee would have signed it then.
 */
import { generateKeyPairSync } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { signCheckpoint, storedTreeHashes, type EventStore } from '@ketnap/kernel'
import { failureOf, runKetnap, type Cli } from './child'
import { TARGETS, type Figure, type Limit, type Subject } from './figures'
import { progress } from './progress'

/** Fresh processes per audit figure; the median is kept. */
const REPEATS = 3

/** What the audit phases need. */
export interface AuditContext {
  readonly cli: Cli
  readonly processStartMs: number | null
  readonly phaseLimitMs: number
}

/** The store the audit phases read: its URL for `ketnap`, its size, and how to open it here. */
export interface AuditedStore {
  readonly subject: Exclude<Subject, 'machine'>
  readonly url: string
  readonly events: number
  readonly open: () => Promise<EventStore>
  /** Said after each label, e.g. on which rows the store was made. */
  readonly of: string
}

const ORIGIN = 'bench.ketnap.example/log'

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** Signs the checkpoint of the store's first `size` events from its stored tree (outside any clock). */
const olderCheckpoint = async (store: EventStore, size: number, privateKey: string): Promise<string> => {
  if (store.readTree === undefined) throw new Error('the store keeps no tree')
  const read = await storedTreeHashes(store.readTree, { sizes: [size] })
  if (read._tag === 'Left') throw new Error(`reading the stored tree: ${JSON.stringify(read.left)}`)
  const root = read.right?.roots.get(size)
  if (root === undefined) throw new Error(`the stored tree has no root at ${size}`)
  const signed = signCheckpoint({ origin: ORIGIN, size, root, extensions: [] }, privateKey)
  if (signed._tag === 'Left') throw new Error(`signing: ${signed.left.message}`)
  return signed.right
}

/** Measures checkpoint, inclusion and consistency proofs on a store holding `events` events. */
export const measureAudit = async (
  ctx: AuditContext,
  store: AuditedStore,
): Promise<ReadonlyArray<Figure>> => {
  const { cli } = ctx
  const { subject } = store
  const processStart: Limit = { label: 'process start', value: ctx.processStartMs, unit: 'ms' }
  const keys = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  const keyFile = join(cli.scratch, `${subject}-audit.key`)
  writeFileSync(keyFile, keys.privateKey)
  const newer = join(cli.scratch, `${subject}-checkpoint-new.txt`)
  const older = join(cli.scratch, `${subject}-checkpoint-old.txt`)
  const figures: Figure[] = []

  const timed = async (key: string, label: string, args: ReadonlyArray<string>): Promise<boolean> => {
    progress(`${subject}: ${label}${store.of} (fresh process, median of ${REPEATS})`)
    const times: number[] = []
    let failed: string | null = null
    for (let i = 0; i < REPEATS && failed === null; i++) {
      const run = await runKetnap(cli, ['--store', store.url, ...args], { timeoutMs: ctx.phaseLimitMs })
      failed = failureOf(run)
      times.push(run.ms)
    }
    figures.push({
      subject,
      key,
      label: `fresh process: ${label}${store.of}`,
      value: failed === null ? median(times) : null,
      unit: 'ms',
      limit: processStart,
      target: TARGETS.auditCommand,
      ...(failed === null ? {} : { note: failed }),
    })
    return failed === null
  }

  const checkpointed = await timed('audit-checkpoint', 'ketnap checkpoint', [
    'checkpoint',
    '--key',
    keyFile,
    '--origin',
    ORIGIN,
    '--out',
    newer,
  ])
  // An event in the middle of the log, and an older size that is no power of two.
  const position = Math.max(1, Math.floor(store.events / 2))
  await timed('audit-inclusion', `ketnap prove --position ${position}`, [
    'prove',
    '--position',
    String(position),
    ...(checkpointed ? ['--checkpoint', newer] : []),
  ])
  const oldSize = Math.max(1, store.events - Math.floor(store.events / 3) - 7)
  if (!checkpointed || oldSize >= store.events) {
    figures.push({
      subject,
      key: 'audit-consistency',
      label: `fresh process: ketnap prove --consistency${store.of}`,
      value: null,
      unit: 'ms',
      limit: processStart,
      target: TARGETS.auditCommand,
      note: checkpointed ? 'the log is too short for two checkpoints' : 'no checkpoint of the log',
    })
    return figures
  }
  const opened = await store.open()
  try {
    writeFileSync(older, await olderCheckpoint(opened, oldSize, keys.privateKey))
  } finally {
    await opened.close()()
  }
  await timed('audit-consistency', `ketnap prove --consistency (${oldSize} → ${store.events})`, [
    'prove',
    '--consistency',
    older,
    newer,
  ])
  return figures
}
