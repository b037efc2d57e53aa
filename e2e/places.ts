/**
 * Picking test subjects from whatever demo dataset the server ships: a record whose name
 * has accents, and what a citizen would type to find it (part of it, accents left out).
 */
import type { Row } from '@datapatch/core';
import { titleField } from '../app/src/lib/dataset/title-field.ts';
import { foldText } from '../app/src/lib/search/fold.ts';
import type { DatasetClient } from './fixtures.ts';

export type Place = { rowId: string; field: string; name: string; query: string };

export function nameField(demo: DatasetClient): string {
  const sample = [...demo.rows.rows()].slice(0, 200).map((row) => row.values);
  const field = titleField(demo.schema.fields, demo.schema.primaryKey, sample);
  if (field === undefined) throw new Error('the demo dataset has no fields');
  return field;
}

/** The first record that has a name: its row, the field naming it, the name. */
export function namedRecord(demo: DatasetClient): {
  row: Row;
  field: string;
  name: string;
} {
  const field = nameField(demo);
  for (const row of demo.rows.rows()) {
    const name = row.values[field];
    if (typeof name === 'string' && name !== '') return { row, field, name };
  }
  throw new Error('the demo dataset has no named record');
}

/** A named record with an accented word; the query is two folded word prefixes of its name. */
export function accentedPlace(demo: DatasetClient): Place {
  const field = nameField(demo);
  const named: Place[] = [];
  for (const row of demo.rows.rows()) {
    const name = row.values[field];
    if (typeof name !== 'string' || name.trim() === '') continue;
    const words = name.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);
    const accented = words.find((w) => foldText(w) !== w.toLowerCase());
    const other = words.find((w) => w !== accented);
    const query = [accented ?? words[0], other]
      .filter((w): w is string => w !== undefined)
      .map((w) => foldText(w).slice(0, Math.max(4, w.length - 1)))
      .join(' ');
    if (query === '') continue;
    const place = { rowId: row.id, field, name, query };
    if (accented !== undefined && other !== undefined) return place;
    named.push(place);
  }
  const fallback = named[0];
  if (fallback === undefined) throw new Error(`no record of the demo dataset has a name in "${field}"`);
  return fallback;
}
