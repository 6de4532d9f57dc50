import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { parseImportLine } from './jsonl'

const codes = (text: string): string[] => {
  const r = parseImportLine(text, 7)
  return E.isLeft(r)
    ? r.left.map((e) => `${e.line}:${e.code}${e.path === undefined ? '' : `@${e.path}`}`)
    : []
}

describe('parseImportLine', () => {
  it('accepts a minimal line and a full envelope', () => {
    expect(parseImportLine('{"type":"MemberAdmitted","data":{"personId":"p"}}', 1)).toEqual(
      E.right({ type: 'MemberAdmitted', data: { personId: 'p' } }),
    )
    const full = {
      type: 'MemberAdmitted',
      data: {},
      recordedAt: '2016-06-05T08:00:00Z',
      actor: null,
      id: 'e1',
      stream: 'person-p',
      version: 1,
      position: 3,
      schemaVersion: 1,
      prevHash: '',
      hash: 'ab',
    }
    expect(parseImportLine(JSON.stringify(full), 1)).toEqual(E.right(full))
  })
  it('reports syntax errors as invalid-json with the line number', () => {
    expect(codes('{"type":')).toEqual(['7:invalid-json'])
    expect(codes('[1]')).toEqual(['7:invalid-type'])
  })
  it('requires type and data and rejects unknown fields', () => {
    expect(codes('{"data":{}}')).toEqual(['7:missing-field@type'])
    expect(codes('{"type":"X"}')).toEqual(['7:missing-field@data'])
    expect(codes('{"type":"X","data":{},"when":"now"}')).toEqual(['7:unknown-field@when'])
  })
  it('checks envelope values', () => {
    expect(codes('{"type":"X","data":{},"recordedAt":"yesterday"}')).toEqual(['7:invalid-instant@recordedAt'])
    expect(codes('{"type":"X","data":{},"version":0}')).toEqual(['7:invalid-count@version'])
    expect(codes('{"type":"","data":{}}')).toEqual(['7:empty-string@type'])
    expect(codes('{"type":"X","data":{},"actor":5}')).toEqual(['7:invalid-type@actor'])
  })
})
