/**
 * Provenance as export columns: for each field, `<field>__source` (import, upstream,
 * proposal:<id>, auto:<id>, edit) and `<field>__date` (ISO 8601), read from the changelog.
 * Invariant: no person's name goes out — only the kind of change and the proposal's id.
 */
import {
  type CellValue,
  type ChangelogEntry,
  type FieldProvenance,
  provenanceIndex,
  type Row,
  type TableSchema,
} from '@datapatch/core';

export type CellProvenance = { source: string; date: string };

/** The `__source` text of one field value. */
export function sourceText(prov: FieldProvenance): string {
  if (prov.kind === 'proposal') return `${prov.auto ? 'auto' : 'proposal'}:${prov.proposalId ?? ''}`;
  return prov.kind;
}

/** Each row's provenance by field (fields with no known origin left out). */
export function rowsProvenance(
  changelog: readonly ChangelogEntry[],
  rows: readonly Row[],
  fields: readonly string[],
): Map<string, Record<string, CellProvenance>> {
  const index = provenanceIndex(changelog);
  const out = new Map<string, Record<string, CellProvenance>>();
  for (const row of rows) {
    const cells: Record<string, CellProvenance> = {};
    for (const [field, prov] of Object.entries(index.of(row.id, fields)))
      cells[field] = { source: sourceText(prov), date: prov.at };
    out.set(row.id, cells);
  }
  return out;
}

/** The export's columns: each field followed by its `__source` and `__date`. */
export function withProvenanceColumns(
  fields: readonly string[],
  rows: readonly Row[],
  provenance: Map<string, Record<string, CellProvenance>>,
): { fields: string[]; rows: Record<string, CellValue>[] } {
  const columns = fields.flatMap((f) => [f, `${f}__source`, `${f}__date`]);
  return {
    fields: columns,
    rows: rows.map((row) => {
      const cells = provenance.get(row.id) ?? {};
      const out: Record<string, CellValue> = {};
      for (const f of fields) {
        out[f] = row.values[f] ?? null;
        out[`${f}__source`] = cells[f]?.source ?? null;
        out[`${f}__date`] = cells[f]?.date ?? null;
      }
      return out;
    }),
  };
}

/** The Table Schema of the provenance export: each field followed by its two columns. */
export function provenanceSchema(schema: TableSchema): TableSchema {
  return {
    fields: schema.fields.flatMap((field) => [
      field,
      { name: `${field.name}__source`, type: 'string', description: `Where ${field.name} came from` },
      { name: `${field.name}__date`, type: 'datetime', description: `When ${field.name} was set` },
    ]),
    ...(schema.missingValues ? { missingValues: schema.missingValues } : {}),
  };
}
