/**
 * When each field of each record was last verified: by an accepted change, or by an accepted
 * "c'est toujours exact" proposal that changes no value. Invariant: the validated document's
 * `verified` map holds `cellKey → ISO date-time`, only ever moved forward, written in the same
 * transaction as the acceptance that verified it.
 */
import type * as Y from 'yjs';
import { cellKey, splitCellKey } from './layout.ts';

export function verifiedMap(doc: Y.Doc): Y.Map<string> {
  return doc.getMap('verified');
}

/** Records that these fields of the row were checked at `at` (an older date never wins). */
export function markVerified(doc: Y.Doc, rowId: string, fields: readonly string[], at: string): void {
  const verified = verifiedMap(doc);
  doc.transact(() => {
    for (const field of fields) {
      const key = cellKey(rowId, field);
      const before = verified.get(key);
      if (before === undefined || before < at) verified.set(key, at);
    }
  });
}

/** The row's fields with when each was last verified (fields never verified are absent). */
export function verifiedAt(doc: Y.Doc, rowId: string): Record<string, string> {
  const out: Record<string, string> = {};
  const prefix = cellKey(rowId, '');
  for (const [key, at] of verifiedMap(doc).entries()) {
    if (!key.startsWith(prefix)) continue;
    const split = splitCellKey(key);
    if (split && split.rowId === rowId) out[split.field] = at;
  }
  return out;
}

/** Every row's oldest verification among `fields` (or all its verified fields): rowId → ISO. */
export function rowFreshness(doc: Y.Doc, fields?: readonly string[]): Map<string, string> {
  const wanted = fields ? new Set(fields) : undefined;
  const out = new Map<string, string>();
  for (const [key, at] of verifiedMap(doc).entries()) {
    const split = splitCellKey(key);
    if (!split || (wanted && !wanted.has(split.field))) continue;
    const before = out.get(split.rowId);
    if (before === undefined || at < before) out.set(split.rowId, at);
  }
  return out;
}

/**
 * Rows not verified since `since` (ISO): never verified, or verified before it. `rowIds` are
 * the rows to consider (a dataset's live rows), kept in their order.
 */
export function notVerifiedSince(
  doc: Y.Doc,
  rowIds: readonly string[],
  since: string,
  fields?: readonly string[],
): string[] {
  const freshness = rowFreshness(doc, fields);
  return rowIds.filter((id) => {
    const at = freshness.get(id);
    return at === undefined || at < since;
  });
}
