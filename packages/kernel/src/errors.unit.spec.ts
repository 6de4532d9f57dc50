import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { redactCredentials } from './errors'

describe('redactCredentials', () => {
  it.each([
    ['postgres://ketnap:secret@db/ketnap', 'postgres://ketnap:***@db/ketnap'],
    ['postgre://user:secret@127.0.0.1/db', 'postgre://user:***@127.0.0.1/db'],
    ['postgres://:secret@127.0.0.1:1/db', 'postgres://:***@127.0.0.1:1/db'],
    ['postgres:user:secret@host', 'postgres:user:***@host'],
    ['postgres://u:p@ss/w0rd@host/db', 'postgres://u:***@host/db'],
    ['postgres:/user:secret@host/db', 'postgres:/user:***@host/db'],
    ['postgres//user:secret@host/db', 'postgres//user:***@host/db'],
    ['postgres:///user:secret@host:5432/db', 'postgres:///user:***@host:5432/db'],
    ['postgres;//user:secret@host', 'postgres;//user:***@host'],
    ['no store at //user:secret@db/x.db', 'no store at //user:***@db/x.db'],
    [
      'unknown store URL "mysql://root:secret@db/x": use sqlite:PATH',
      'unknown store URL "mysql://root:***@db/x": use sqlite:PATH',
    ],
    ['host=db password=secret dbname=k', 'host=db password=*** dbname=k'],
    ['host=db password="se cret" dbname=k', 'host=db password=*** dbname=k'],
    ['PGPASSWORD=secret ketnap verify', 'PGPASSWORD=*** ketnap verify'],
    ["host=db password = 'se cret' user=k", 'host=db password = *** user=k'],
    [
      'postgres://db/k?user=u&password=secret&sslmode=require',
      'postgres://db/k?user=u&password=***&sslmode=require',
    ],
  ])('masks the password of %s', (text, masked) => {
    expect(redactCredentials(text)).toBe(masked)
    expect(redactCredentials(text)).not.toMatch(/secret|p@ss|w0rd/)
  })

  it.each([
    'line 3: unknown field "note:x@y"',
    'cannot read /tmp/at:x@2/missing.jsonl',
    'the meeting at 10:30@home',
    'postgres://ketnap@db/ketnap (schema ketnap): connect ECONNREFUSED 127.0.0.1:5432',
    'sqlite:/tmp/ketnap.db: reading the log failed [SQLITE_BUSY]: database is locked',
    'recorded at 2016-06-01T08:00:00.000Z, before 2016-06-02 began',
    'send to someone@example.org',
  ])('leaves a text without a password as it is: %s', (text) => {
    expect(redactCredentials(text)).toBe(text)
  })

  it('never lets a generated password through a URL', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9._~!$&()*+,;=%@/-]{1,24}$/)
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9_]{0,12}$/), word, (user, password) => {
        const url = `postgres://${user}:${password}@db.example:5432/ketnap`
        expect(redactCredentials(`opening ${url} failed`)).toBe(
          `opening postgres://${user}:***@db.example:5432/ketnap failed`,
        )
      }),
      { seed: 20_240_101 },
    )
  })

  it('never lets a generated password through a mistyped URL', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9._~!$&()*+,;=%@/-]{0,24}$/)
    const start = fc.constantFrom(
      'postgres:/',
      'postgres//',
      'postgres:///',
      'postgresql;//',
      'postgres.//',
      'sqlite://',
      '//',
    )
    fc.assert(
      fc.property(
        start,
        fc.stringMatching(/^[a-z0-9_]{1,12}$/),
        fc.constantFrom('', '/'),
        word,
        (prefix, user, slash, rest) => {
          // `Sx` is in the password and nowhere else in the text.
          const text = `opening ${prefix}${user}:${slash}Sx${rest}@db.example:5432/ketnap failed`
          expect(redactCredentials(text)).not.toContain('Sx')
        },
      ),
      { seed: 20_240_102 },
    )
  })
})
