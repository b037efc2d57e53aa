/**
 * One record's provenance by field, from the opened dataset's changelog (core's fieldProvenance).
 * Invariant: reads only; an unknown record gives {}.
 */
import { type Field, type FieldProvenance, fieldProvenance, readChangelog } from '@datapatch/core';
import type * as Y from 'yjs';

export function recordProvenance(
  doc: Y.Doc,
  rowId: string,
  fields: readonly Field[],
): Record<string, FieldProvenance> {
  return fieldProvenance(
    readChangelog(doc),
    rowId,
    fields.map((f) => f.name),
  );
}
