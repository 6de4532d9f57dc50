// The JSON schemas of docs/cli.md ("Report JSON") hold for the JSON of every sample report they name:
// every required field is there with its type, and no field is left undocumented.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SAMPLES } from './internal/samples'
import { renderJson } from './json'

interface Schema {
  readonly $id?: string
  readonly type?: string | ReadonlyArray<string>
  readonly const?: unknown
  readonly required?: ReadonlyArray<string>
  readonly properties?: Readonly<Record<string, Schema>>
  readonly items?: Schema
}

const DOC = join(import.meta.dirname, '..', '..', '..', 'docs', 'cli.md')

const schemas = (): ReadonlyMap<string, Schema> => {
  const out = new Map<string, Schema>()
  for (const m of readFileSync(DOC, 'utf8').matchAll(/```json\n([\s\S]*?)```/g)) {
    const schema = JSON.parse(m[1] ?? '') as Schema
    const name = /^ketnap:report\/(.+)$/.exec(schema.$id ?? '')?.[1]
    if (name !== undefined) out.set(name, schema)
  }
  return out
}

const typeOf = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'number'
        ? Number.isInteger(v)
          ? 'integer'
          : 'number'
        : typeof v

/** What of `value` breaks `schema`, as paths with reasons; properties are closed (no undocumented field). */
const check = (schema: Schema, value: unknown, path: string): string[] => {
  const errors: string[] = []
  if (schema.const !== undefined && value !== schema.const)
    errors.push(`${path}: not ${String(schema.const)}`)
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type
    const t = typeOf(value)
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      errors.push(`${path}: ${t}, not ${types.join(' | ')}`)
  }
  if (typeOf(value) === 'object') {
    const o = value as Record<string, unknown>
    for (const k of schema.required ?? []) if (!(k in o)) errors.push(`${path}.${k}: missing`)
    if (schema.properties !== undefined)
      for (const [k, v] of Object.entries(o)) {
        const sub = schema.properties[k]
        if (sub === undefined) errors.push(`${path}.${k}: not documented`)
        else errors.push(...check(sub, v, `${path}.${k}`))
      }
  }
  if (Array.isArray(value) && schema.items !== undefined)
    value.forEach((v, i) => errors.push(...check(schema.items!, v, `${path}[${i}]`)))
  return errors
}

describe('the report JSON schemas of docs/cli.md', () => {
  const all = schemas()
  it.each(SAMPLES.filter(([, r]) => all.has(r.report)))('hold for %s', (_, report) => {
    const json: unknown = JSON.parse(renderJson(report))
    expect(check(all.get(report.report)!, json, report.report)).toEqual([])
  })
  it('break on a missing field and an undocumented one (the checker checks)', () => {
    const coverage = SAMPLES.find(([, r]) => r.report === 'coverage')![1]
    const without: Record<string, unknown> = { ...coverage, extra: 1 }
    delete without['shares']
    expect(check(all.get('coverage')!, without, 'coverage')).toEqual([
      'coverage.shares: missing',
      'coverage.extra: not documented',
    ])
  })
})
