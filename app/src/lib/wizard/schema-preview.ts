/**
 * How many records a schema change would make invalid, before it is applied. Invariants: both
 * schemas check the same rows the same way (whole table: unique and primary key too); a field the
 * new schema adds counts as empty in every record; a schema the validator cannot honour is a
 * refusal value, never a throw, so the settings page applies nothing.
 */
import type { CellValue, Row, TableSchema } from '@datapatch/core';
import {
  compileSchema,
  SchemaError,
  type TableReport,
  type TableSchema as ValidatedSchema,
} from '@datapatch/schema';

export type SchemaPreview =
  | {
      ok: true;
      total: number;
      invalidBefore: number;
      invalidAfter: number;
      /** Records valid under the current schema and invalid under the new one. */
      newlyInvalid: number;
      /** The first newly invalid records, with the error that the new schema finds. */
      examples: {
        rowId: string;
        field: string | null;
        value: CellValue | undefined;
        message: { fr: string; en: string };
      }[];
    }
  | { ok: false; code: string };

function invalidRows(report: TableReport): Map<number, TableReport['errors']> {
  const out = new Map<number, TableReport['errors']>();
  for (const error of report.errors) {
    if (error.row === null) continue;
    out.set(error.row, [...(out.get(error.row) ?? []), error]);
  }
  return out;
}

function check(schema: TableSchema, rows: Row[]): TableReport {
  const labels = schema.fields.map((f) => f.name);
  const values = rows.map((row) => {
    const out: Record<string, CellValue> = {};
    for (const name of labels) out[name] = row.values[name] ?? null;
    return out;
  });
  // Every error is kept: the counts are per record, a capped list would undercount them.
  return compileSchema(schema as ValidatedSchema).validateTable(values, {
    labels,
    maxErrors: Number.MAX_SAFE_INTEGER,
  });
}

export function previewSchemaChange(
  rows: Row[],
  current: TableSchema,
  next: TableSchema,
  maxExamples = 5,
): SchemaPreview {
  let after: TableReport;
  try {
    after = check(next, rows);
  } catch (error) {
    if (error instanceof SchemaError) return { ok: false, code: error.code };
    throw error;
  }
  let before: Map<number, TableReport['errors']>;
  try {
    before = invalidRows(check(current, rows));
  } catch (error) {
    // A current schema the validator cannot honour: every record counts as valid under it.
    if (!(error instanceof SchemaError)) throw error;
    before = new Map();
  }
  const afterRows = invalidRows(after);
  const examples: Extract<SchemaPreview, { ok: true }>['examples'] = [];
  let newlyInvalid = 0;
  for (const [rowNumber, errors] of [...afterRows].sort((a, b) => a[0] - b[0])) {
    if (before.has(rowNumber)) continue;
    newlyInvalid++;
    const row = rows[rowNumber - 1];
    const first = errors[0];
    if (row !== undefined && first !== undefined && examples.length < maxExamples)
      examples.push({
        rowId: row.id,
        field: first.field,
        value: first.field === null ? undefined : row.values[first.field],
        message: first.message,
      });
  }
  return {
    ok: true,
    total: rows.length,
    invalidBefore: before.size,
    invalidAfter: afterRows.size,
    newlyInvalid,
    examples,
  };
}
