// Proposes a Table Schema for a table that came without one: the narrowest type every non-empty
// value of a column fits, an enum when a column holds a small closed set of repeated values, and
// `required` when no value is empty. It is a starting point the owner edits, never enforced as is.

import { casterFor, invalid } from './fieldTypes.ts';
import type { Cell, Field, FieldType, TableSchema } from './tableSchema.ts';

export interface InferOptions {
  /** Text columns with 2 to this many distinct values, each seen at least twice, get an enum. */
  maxEnumValues?: number;
  /** Rows looked at; the whole table by default. */
  sampleRows?: number;
}

// No geopoint: "46.16,4.52" is how French files write "lat,lon", and the Table Schema default
// reads it as "lon, lat"; guessing would put every point in the wrong place.
const candidates: { type: FieldType; format?: string; decimalChar?: string }[] = [
  { type: 'boolean' },
  { type: 'integer' },
  { type: 'number' },
  { type: 'number', decimalChar: ',' },
  { type: 'date' },
  { type: 'datetime' },
  { type: 'time' },
  { type: 'string', format: 'email' },
  { type: 'string', format: 'uri' },
];

const casters = candidates.map((c) => ({ ...c, cast: casterFor({ name: '', ...c }) }));

// Leading zeros are identifiers (postal codes, INSEE codes): typing them as numbers would lose them.
const leadingZero = /^[+-]?0\d/;

export function inferSchema(
  table: { fields: readonly string[]; rows: readonly Record<string, Cell>[] },
  opts: InferOptions = {},
): TableSchema {
  const maxEnum = opts.maxEnumValues ?? 10;
  const rows = opts.sampleRows ? table.rows.slice(0, opts.sampleRows) : table.rows;
  const fields: Field[] = table.fields.map((name) => {
    let alive = casters.slice();
    let empty = 0;
    let nonEmpty = 0;
    const distinct = new Map<string, number>();
    for (const row of rows) {
      const value = row[name];
      if (value === null || value === undefined || value === '') {
        empty++;
        continue;
      }
      nonEmpty++;
      const text = String(value);
      if (distinct.size <= maxEnum) distinct.set(text, (distinct.get(text) ?? 0) + 1);
      if (alive.length > 0) {
        alive = alive.filter((c) => {
          if (
            (c.type === 'integer' || c.type === 'number') &&
            typeof value === 'string' &&
            leadingZero.test(value)
          ) {
            return false;
          }
          return c.cast(value as Exclude<Cell, null | undefined>) !== invalid;
        });
      }
    }
    const field: Field = { name, type: 'string' };
    const best = nonEmpty > 0 ? alive[0] : undefined;
    if (best) {
      field.type = best.type;
      if (best.format) field.format = best.format;
      if (best.decimalChar) field.decimalChar = best.decimalChar;
    }
    const constraints: Field['constraints'] = {};
    if (nonEmpty > 0 && empty === 0) constraints.required = true;
    const repeated = [...distinct.values()].every((n) => n >= 2);
    if (
      field.type === 'string' &&
      !field.format &&
      distinct.size > 1 &&
      distinct.size <= maxEnum &&
      repeated &&
      nonEmpty >= 2 * distinct.size
    ) {
      constraints.enum = [...distinct.keys()].sort();
    }
    if (Object.keys(constraints).length > 0) field.constraints = constraints;
    return field;
  });
  return { fields, missingValues: [''] };
}
