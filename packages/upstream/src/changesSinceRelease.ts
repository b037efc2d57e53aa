/**
 * "What we changed since the last release": the hubs' data compared with the release it started
 * from, one row per record and field, for the source's maintainers to apply.
 * Invariant: every difference is listed once (a changed field, every filled field of an added
 * record, a removed record); records whose key is missing or ambiguous in the release are skipped
 * as a whole, so nothing is attributed to the wrong record.
 */
import { type Cell, exportTable, type Table } from '@datapatch/io';
import { recordKey } from './recordKey.ts';
import { type HubRecord, sameCell } from './threeWayMerge.ts';

export type ChangesInput = {
  base: Table;
  ours: readonly HubRecord[];
  key: readonly string[];
  /** The fields to compare (default: the release's). */
  fields?: readonly string[];
  /** When a field (or, without a field, the record) was last changed, ISO 8601; '' if unknown. */
  changedAt?: (rowId: string, field?: string) => string | undefined;
};

/** The columns after the key's: what was done, to which field, the two values and when. */
export const CHANGE_COLUMNS = ['operation', 'champ', 'valeur_publiee', 'valeur_corrigee', 'date'] as const;

export type ChangeOperation = 'modification' | 'ajout' | 'suppression';

export function changesSinceRelease(input: ChangesInput): Table {
  const key = [...input.key];
  // The key's own fields are the record's name in every line, not a change (they matched).
  const fields = (input.fields ?? input.base.fields).filter((f) => !input.key.includes(f));
  const at = input.changedAt ?? (() => undefined);
  const releaseByKey = new Map<string, Record<string, Cell>>();
  const duplicates = new Set<string>();
  for (const row of input.base.rows) {
    const k = recordKey(row, key);
    if (k === null) continue;
    if (releaseByKey.has(k)) duplicates.add(k);
    releaseByKey.set(k, row);
  }
  const rows: Table['rows'] = [];
  const line = (
    values: Record<string, Cell>,
    operation: ChangeOperation,
    field: string,
    published: Cell,
    corrected: Cell,
    date: string | undefined,
  ) => {
    const row: Record<string, Cell> = {};
    for (const f of key) row[f] = values[f] ?? null;
    Object.assign(row, {
      operation,
      champ: field,
      valeur_publiee: published,
      valeur_corrigee: corrected,
      date: date ?? '',
    });
    rows.push(row);
  };
  const seen = new Set<string>();
  for (const record of input.ours) {
    if (record.deleted) continue;
    const k = recordKey(record.values, key);
    if (k !== null && duplicates.has(k)) continue;
    const was = k === null ? undefined : releaseByKey.get(k);
    if (k !== null && was) seen.add(k);
    for (const field of fields) {
      const now = record.values[field] ?? null;
      if (!was) {
        if (!sameCell(now, null))
          line(record.values, 'ajout', field, null, now, at(record.id, field) ?? at(record.id));
      } else if (!sameCell(now, was[field])) {
        line(record.values, 'modification', field, was[field] ?? null, now, at(record.id, field));
      }
    }
  }
  const removed = new Map(input.ours.filter((r) => r.deleted).map((r) => [recordKey(r.values, key), r.id]));
  for (const [k, was] of releaseByKey) {
    if (seen.has(k) || duplicates.has(k)) continue;
    const rowId = removed.get(k);
    line(was, 'suppression', '', null, null, rowId ? at(rowId) : undefined);
  }
  return { fields: [...key, ...CHANGE_COLUMNS], rows };
}

/** The changes as CSV (UTF-8, comma, CRLF), written by the repo's one CSV writer. */
export function changesCsv(changes: Table): Promise<Uint8Array> {
  return exportTable(changes, { format: 'csv' });
}
