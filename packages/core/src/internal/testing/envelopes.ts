/**
 * Test helpers: events into envelopes, and a small builder of hand-written histories.
 * @internal
 */
import type { Envelope, Json } from '@ketnap/kernel'
import type { DomainEvent, OrgLevel, Profile } from '../../events'
import { streamOf } from '../../streams'

/** An event with the instant it was recorded. */
export interface Recorded {
  readonly event: DomainEvent
  readonly recordedAt: string
}

/** Envelopes for recorded events in the given order: positions, stream versions; hashes are placeholders. */
export const toEnvelopes = (items: ReadonlyArray<Recorded>): Envelope[] => {
  const versions = new Map<string, number>()
  return items.map((it, i) => {
    const stream = streamOf(it.event)
    const version = (versions.get(stream) ?? 0) + 1
    versions.set(stream, version)
    return {
      position: i + 1,
      stream,
      version,
      id: `e-${i + 1}`,
      type: it.event.type,
      schemaVersion: 1,
      data: it.event.data as unknown as Json,
      recordedAt: it.recordedAt,
      actor: null,
      prevHash: i === 0 ? '' : `h-${i}`,
      hash: `h-${i + 1}`,
    }
  })
}

/** The instant a fact of date `on` is recorded by default: the next day, 01:00 UTC. */
export const recordedAfter = (on: string, days = 1): string => {
  const t = new Date(`${on}T01:00:00.000Z`)
  t.setUTCDate(t.getUTCDate() + days)
  return t.toISOString()
}

/** A default profile: a male farmer born in 1990, not of an ethnic minority. */
export const aProfile = (over: Partial<Profile> = {}): Profile => ({
  birthDate: '1990-01-01',
  sex: 'male',
  ethnicMinority: false,
  occupation: 'farmer',
  ...over,
})

/**
 * A builder of hand-written histories for example tests. Facts are recorded the day after their
 * date unless told otherwise; `build` sorts nothing: the order of calls is the log order, and each
 * call's record instant must not precede the previous one (callers keep the record clock).
 */
export class HistoryBuilder {
  private readonly items: Recorded[] = []
  private last = ''

  /** Adds an event recorded at `recordedAt` (default: the day after its date, never before the last). */
  add(event: DomainEvent, recordedAt?: string): this {
    const on = this.dateOf(event)
    let at = recordedAt ?? recordedAfter(on)
    if (at < this.last) at = this.last
    this.last = at
    this.items.push({ event, recordedAt: at })
    return this
  }

  /** An organization. */
  org(
    orgId: string,
    level: OrgLevel,
    parentId: string | null,
    on = '2010-01-01',
    extra: { unitId?: string; villageId?: string; name?: string } = {},
  ): this {
    const { name, ...rest } = extra
    return this.add({
      type: 'OrganizationRegistered',
      data: { orgId, name: name ?? `Org ${orgId}`, level, parentId, on, ...rest },
    })
  }

  /** A unit under an organization. */
  unit(
    unitId: string,
    orgId: string,
    on = '2010-01-01',
    kind: 'commune' | 'agency' | 'enterprise' = 'commune',
  ): this {
    return this.add({ type: 'UnitRegistered', data: { unitId, name: `Unit ${unitId}`, kind, orgId, on } })
  }

  /** A village of a unit. */
  village(villageId: string, unitId: string, on = '2010-01-01'): this {
    return this.add({
      type: 'VillageRegistered',
      data: { villageId, name: `Village ${villageId}`, unitId, on },
    })
  }

  /** The whole pipeline up to the admission ceremony on `on`. */
  admit(
    personId: string,
    orgId: string,
    on: string,
    opts: { profile?: Profile; villageId?: string; recordedAt?: string } = {},
  ): this {
    const at = opts.recordedAt
    const nominatedOn = minusDays(on, 120)
    this.add(
      {
        type: 'CandidateNominated',
        data: {
          personId,
          orgId,
          nominatedBy: 'youth-union',
          profile: opts.profile ?? aProfile(),
          on: nominatedOn,
          ...(opts.villageId === undefined ? {} : { villageId: opts.villageId }),
        },
      },
      at,
    )
    this.add(
      {
        type: 'AwarenessClassCompleted',
        data: { personId, certificateNo: `GCN-${personId}`, on: minusDays(on, 90) },
      },
      at,
    )
    this.add(
      { type: 'BackgroundVerified', data: { personId, outcome: 'cleared', on: minusDays(on, 60) } },
      at,
    )
    this.add({ type: 'CellVoted', data: { personId, inFavour: 3, eligible: 3, on: minusDays(on, 40) } }, at)
    this.add(
      {
        type: 'AdmissionDecided',
        data: { personId, decisionNo: `QD-${personId}`, decidedBy: orgId, on: minusDays(on, 10) },
      },
      at,
    )
    return this.add({ type: 'MemberAdmitted', data: { personId, orgId, on } }, at)
  }

  /** A member registered from older records. */
  existing(
    personId: string,
    orgId: string,
    admittedOn: string,
    on: string,
    opts: { status?: 'official' | 'probationary'; profile?: Profile; villageId?: string } = {},
  ): this {
    return this.add({
      type: 'ExistingMemberRegistered',
      data: {
        personId,
        orgId,
        status: opts.status ?? 'official',
        admittedOn,
        on,
        ...(opts.profile === undefined ? {} : { profile: opts.profile }),
        ...(opts.villageId === undefined ? {} : { villageId: opts.villageId }),
      },
    })
  }

  /** A quota. */
  quota(
    orgId: string,
    period: string,
    target: number,
    assignedBy: string,
    on: string,
    occupation?: string,
  ): this {
    return this.add({
      type: 'QuotaAssigned',
      data: {
        orgId,
        period,
        target,
        assignedBy,
        on,
        ...(occupation === undefined ? {} : { occupation: occupation as never }),
      },
    })
  }

  /** The envelopes, in call order. */
  build(): Envelope[] {
    return toEnvelopes(this.items)
  }

  /** The recorded events, in call order. */
  recorded(): ReadonlyArray<Recorded> {
    return this.items
  }

  private dateOf(e: DomainEvent): string {
    const d = e.data as Record<string, unknown>
    return typeof d['on'] === 'string' ? d['on'] : String(d['from'])
  }
}

/** `date` minus `n` calendar days. */
export const minusDays = (date: string, n: number): string => {
  const t = new Date(`${date}T00:00:00.000Z`)
  t.setUTCDate(t.getUTCDate() - n)
  return t.toISOString().slice(0, 10)
}

/** A fresh history builder. */
export const history = (): HistoryBuilder => new HistoryBuilder()
