/**
 * Fold-in: compacts the validated document by rewriting chunks with the cell edits they have
 * absorbed, and merging runs of small chunks. Invariants: in one transaction each rewritten
 * chunk is inserted where the old one was, then the old chunk and the absorbed cell keys are
 * deleted; only the cell Items this peer has seen are deleted, so a concurrent (offline) edit
 * survives and still overrides; deleted rows stay in chunks so a concurrent restore still works.
 * Run it from one peer at a time (the server): two peers folding the same chunk concurrently
 * each insert a copy, and the first copy wins even where the other absorbed a newer value.
 */
import type * as Y from 'yjs';
import { DataPatchError } from './codes.ts';
import { CHUNK_SIZE, type Chunk, cellKey, cellsMap, chunksArray, encodeChunk } from './layout.ts';
import { rowStore } from './row-index.ts';
import type { CellValue } from './types.ts';

type Plan = { from: number; count: number; text: string | null; absorbed: string[] };

export function foldIn(doc: Y.Doc): { absorbedCells: number } {
  // The row store catches up when a transaction ends; folding from stale rows would delete
  // cell keys whose newer values it never saw.
  if (doc._transaction !== null) throw new DataPatchError('in-transaction');
  const store = rowStore(doc);
  const views = store.chunkViews();
  const plans: Plan[] = [];

  // Group consecutive chunks: a group is rewritten if it has absorbable edits, duplicates,
  // or more than one chunk whose rows fit in one.
  let start = 0;
  while (start < views.length) {
    let end = start + 1;
    let rows = views[start]!.rows.length;
    while (end < views.length && rows + views[end]!.rows.length <= CHUNK_SIZE) {
      rows += views[end]!.rows.length;
      end++;
    }
    const group = views.slice(start, end);
    let dirty = end - start > 1;
    const fields: string[] = [];
    const known = new Set<string>();
    const addField = (name: string) => {
      if (!known.has(name)) {
        known.add(name);
        fields.push(name);
      }
    };
    for (const view of group) {
      for (const name of view.fields) addField(name);
      for (const { tuple, first } of view.rows) {
        if (!first) dirty = true;
        else {
          const edits = store.overridesOf(tuple[0]);
          if (edits && edits.size > 0) {
            dirty = true;
            for (const name of edits.keys()) addField(name);
          }
        }
      }
    }
    if (dirty) {
      const chunk: Chunk = { f: fields, r: [] };
      const absorbed: string[] = [];
      for (const view of group) {
        const at = new Map(view.fields.map((name, i) => [name, i + 1]));
        for (const { tuple, first } of view.rows) {
          if (!first) continue;
          const rowId = tuple[0];
          const edits = store.overridesOf(rowId);
          const out: [string, ...CellValue[]] = [rowId];
          for (const name of fields) {
            const i = at.get(name);
            out.push(edits?.has(name) ? edits.get(name)! : i === undefined ? null : (tuple[i] ?? null));
          }
          if (edits) for (const name of edits.keys()) absorbed.push(cellKey(rowId, name));
          chunk.r.push(out);
        }
      }
      plans.push({
        from: start,
        count: end - start,
        text: chunk.r.length > 0 ? encodeChunk(chunk) : null,
        absorbed,
      });
    }
    start = end;
  }

  let absorbedCells = 0;
  if (plans.length === 0) return { absorbedCells };
  const chunks = chunksArray(doc);
  const cells = cellsMap(doc);
  doc.transact(() => {
    // From the end, so earlier indices stay valid.
    for (let p = plans.length - 1; p >= 0; p--) {
      const plan = plans[p]!;
      if (plan.text !== null) chunks.insert(plan.from, [plan.text]);
      chunks.delete(plan.from + (plan.text !== null ? 1 : 0), plan.count);
      for (const key of plan.absorbed) cells.delete(key);
      absorbedCells += plan.absorbed.length;
    }
  });
  return { absorbedCells };
}
