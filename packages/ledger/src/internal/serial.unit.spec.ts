import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { sharedOrExclusive } from './serial'

test.prop([
  fc.array(fc.record({ exclusive: fc.boolean(), ticks: fc.nat({ max: 3 }), delay: fc.nat({ max: 3 }) }), {
    maxLength: 12,
  }),
])(
  'never runs an exclusive task beside another task, runs shared ones together, and runs every task once',
  async (tasks) => {
    const gate = sharedOrExclusive()
    let shared = 0
    let exclusive = 0
    let mostShared = 0
    const ran: number[] = []
    const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
    await Promise.all(
      tasks.map(async (t, i) => {
        for (let d = 0; d < t.delay; d++) await tick()
        const body = async (): Promise<number> => {
          if (t.exclusive) {
            expect(shared + exclusive).toBe(0)
            exclusive += 1
          } else {
            expect(exclusive).toBe(0)
            shared += 1
            mostShared = Math.max(mostShared, shared)
          }
          for (let k = 0; k < t.ticks; k++) await tick()
          if (t.exclusive) exclusive -= 1
          else shared -= 1
          ran.push(i)
          return i
        }
        expect(await (t.exclusive ? gate.exclusive(body) : gate.shared(body))).toBe(i)
      }),
    )
    expect([...ran].sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i))
    // Shared tasks that start together run together.
    if (
      tasks.filter((t) => !t.exclusive && t.delay === 0 && t.ticks > 0).length > 1 &&
      !tasks.some((t) => t.exclusive)
    )
      expect(mostShared).toBeGreaterThan(1)
  },
)
