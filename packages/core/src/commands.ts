/**
 * Commands: what a user asks for, named imperatively, one per event type. A command carries the data
 * of the event it would produce, under a `kind`.
 */
import type { DomainEvent, EventOf, EventType } from './events'

/** The event type each command kind produces. */
export const COMMAND_EVENT = {
  RegisterOrganization: 'OrganizationRegistered',
  MoveOrganization: 'OrganizationMoved',
  DissolveOrganization: 'OrganizationDissolved',
  RegisterUnit: 'UnitRegistered',
  MoveUnit: 'UnitMoved',
  RetireUnit: 'UnitRetired',
  RegisterVillage: 'VillageRegistered',
  RetireVillage: 'VillageRetired',
  NominateCandidate: 'CandidateNominated',
  CompleteAwarenessClass: 'AwarenessClassCompleted',
  VerifyBackground: 'BackgroundVerified',
  RecordCellVote: 'CellVoted',
  RecordCommitteeVote: 'CommitteeVoted',
  DecideAdmission: 'AdmissionDecided',
  AdmitMember: 'MemberAdmitted',
  ConfirmMembership: 'MembershipConfirmed',
  CloseCandidacy: 'CandidacyClosed',
  AnnulAdmission: 'AdmissionAnnulled',
  RegisterExistingMember: 'ExistingMemberRegistered',
  TransferMember: 'MemberTransferred',
  MoveMember: 'MemberMoved',
  RecordDeparture: 'MemberLeft',
  AssignQuota: 'QuotaAssigned',
  ReviseQuota: 'QuotaRevised',
  SetTarget: 'TargetSet',
  HoldAwarenessClass: 'AwarenessClassHeld',
  AppointVillageHead: 'VillageHeadAppointed',
  RateOrganization: 'OrganizationRated',
  ForgetPerson: 'PersonForgotten',
} as const satisfies Record<string, EventType>

/** The kind of a command. */
export type CommandKind = keyof typeof COMMAND_EVENT

type DataOf<K extends CommandKind> = EventOf<(typeof COMMAND_EVENT)[K]>['data']

/**
 * The command of a given kind: `kind` and the data of the event it produces. The unit's own `kind`
 * (commune, agency...) is `unitKind` in `RegisterUnit`, as `kind` names the command.
 */
export type CommandOf<K extends CommandKind> = K extends 'RegisterUnit'
  ? { readonly kind: K; readonly unitKind: DataOf<'RegisterUnit'>['kind'] } & Omit<
      DataOf<'RegisterUnit'>,
      'kind'
    >
  : { readonly kind: K } & DataOf<K>

/** Any command, e.g. `{ kind: 'AdmitMember', personId, orgId, on }`. */
export type Command = { [K in CommandKind]: CommandOf<K> }[CommandKind]

/** The command kind that produces an event type. */
export const COMMAND_OF_EVENT = Object.fromEntries(
  Object.entries(COMMAND_EVENT).map(([kind, type]) => [type, kind]),
) as { readonly [T in EventType]: CommandKind }

/** The event data a command carries (its fields without `kind`; `unitKind` back to the unit's `kind`). */
export const commandData = (
  command: Command,
): { readonly type: string | undefined; readonly data: unknown } => {
  if (command.kind === 'RegisterUnit') {
    const { kind: _kind, unitKind, ...rest } = command
    return { type: COMMAND_EVENT.RegisterUnit, data: { ...rest, kind: unitKind } }
  }
  const { kind, ...data } = command
  return { type: (COMMAND_EVENT as Record<string, string>)[kind], data }
}

/** The command that would produce an event (the inverse of `commandData`). */
export const commandOf = (event: DomainEvent): Command => {
  if (event.type === 'UnitRegistered') {
    const { kind: unitKind, ...rest } = event.data
    return { kind: 'RegisterUnit', unitKind, ...rest }
  }
  return { kind: COMMAND_OF_EVENT[event.type], ...event.data } as Command
}
