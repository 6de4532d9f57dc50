import { describe, expect, it } from 'vitest'
import { actorMismatch, boundActor, forbidden, mayRecord, owner, type AccessPolicy } from './access'

/** A toy policy over a set of allowed scopes: a bound actor records events naming its own scope only. */
const policy: AccessPolicy<{ readonly scope: string }, null> = {
  mayRecord: (actor, event) =>
    event.scope === actor.scope ? null : forbidden(actor.name, 'record', event.scope, 'not its scope'),
  mayRead: () => null,
}

describe('mayRecord', () => {
  it('never refuses the owner, with or without a policy', () => {
    expect(mayRecord(policy, owner(), { scope: 'b' }, null, 'record')).toBeNull()
    expect(mayRecord(undefined, owner('bt'), { scope: 'b' }, null, 'record')).toBeNull()
  })

  it("asks the domain's policy about a bound actor", () => {
    expect(mayRecord(policy, boundActor('a'), { scope: 'a' }, null, 'record')).toBeNull()
    expect(mayRecord(policy, boundActor('a', 'clerk'), { scope: 'b' }, null, 'record')).toEqual({
      _tag: 'ForbiddenError',
      code: 'forbidden',
      actor: 'clerk',
      action: 'record',
      scope: 'b',
      message: 'not its scope',
    })
  })

  it('refuses a bound actor everything where the domain has no policy (closed by default)', () => {
    expect(mayRecord(undefined, boundActor('a'), { scope: 'a' }, null, 'record X')).toMatchObject({
      code: 'forbidden',
      actor: 'a',
      scope: 'a',
    })
  })
})

describe('actorMismatch', () => {
  it('lets the owner state any actor, and a bound actor only its own name', () => {
    expect(actorMismatch(owner(), 'anyone', 'T')).toBeNull()
    expect(actorMismatch(owner(), null, 'T')).toBeNull()
    expect(actorMismatch(boundActor('a', 'clerk'), 'clerk', 'T')).toBeNull()
    for (const stated of ['a', 'other', null])
      expect(actorMismatch(boundActor('a', 'clerk'), stated, 'T')).toMatchObject({
        _tag: 'ForbiddenError',
        code: 'forbidden',
        actor: 'clerk',
        scope: 'a',
      })
  })
})
