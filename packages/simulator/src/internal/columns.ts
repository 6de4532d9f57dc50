/**
 * Tables of typed-array columns, the storage of the simulator's persons, organizations, units and
 * villages: a national run tracks millions of rows, which as objects would take several times the
 * memory and give the garbage collector millions of objects to trace.
 * @internal
 */

/** A column of a table. @internal */
export type Column = Int32Array | Uint16Array | Uint8Array

/** A table: `count` rows so far in every column, each column at least `count` long. @internal */
export interface Table {
  count: number
}

const isColumn = (value: unknown): value is Column =>
  value instanceof Int32Array || value instanceof Uint16Array || value instanceof Uint8Array

const grown = <A extends Column>(column: A, length: number): A => {
  const next = new (column.constructor as new (n: number) => A)(length)
  next.set(column)
  return next
}

/**
 * Adds a row, every column at zero, and returns its index; `column` is any of the table's columns,
 * which says whether they are full. Full columns all grow by a quarter, so that growing is rare.
 * @internal
 */
export const addRow = (table: Table, column: Column): number => {
  if (table.count >= column.length) {
    const length = Math.ceil(column.length * 1.25) + 1024
    const columns = table as unknown as Record<string, unknown>
    for (const [key, value] of Object.entries(columns))
      if (isColumn(value)) columns[key] = grown(value, length)
  }
  return table.count++
}
