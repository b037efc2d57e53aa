/**
 * A new upstream release against a dataset's documents: the hubs' records read from the
 * validated document, the plan, and the real run. Invariants: the real run writes every applied
 * field and every added record in ONE transaction of the validated document, all in one history
 * batch (origin `upstream`) that can be undone as one; conflicts and proposed deletions become
 * proposals from "source officielle" in the pending document, never direct writes.
 */
import {
  type Actor,
  addProposal,
  addRow,
  type CellValue,
  type ChangeBatch,
  fieldNames,
  RowIndex,
  readChangelog,
  setCell,
} from '@datapatch/core';
import type { Table } from '@datapatch/io';
import { type HubRecord, mergeUpstream, type UpstreamPlan } from '@datapatch/upstream';
import type * as Y from 'yjs';

/** Empty text is stored as no value, as imports store it. */
function stored(value: CellValue): CellValue {
  return value === '' ? null : value;
}

/** The proposals' author as moderators see it. */
export const OFFICIAL_SOURCE = 'Source officielle';

/** Every record of the validated document, the deleted ones marked (they keep their key). */
export function hubRecords(validated: Y.Doc): HubRecord[] {
  const index = new RowIndex(validated);
  try {
    const records: HubRecord[] = [...index.rows()].map((row) => ({ id: row.id, values: row.values }));
    for (const id of index.deletedIds()) {
      const row = index.get(id, { includeDeleted: true });
      if (row) records.push({ id, values: row.values, deleted: true });
    }
    return records;
  } finally {
    index.destroy();
  }
}

/** Key columns missing from the release or from the dataset (the merge cannot match on them). */
export function missingKeyFields(validated: Y.Doc, release: Table, key: readonly string[]): string[] {
  const fields = new Set(fieldNames(validated));
  const columns = new Set(release.fields);
  return key.filter((k) => !fields.has(k) || !columns.has(k));
}

export function planRelease(
  validated: Y.Doc,
  base: Table | null,
  release: Table,
  key: readonly string[],
): UpstreamPlan {
  // Only the dataset's own fields are merged: a column new upstream needs a schema change first.
  const schema = new Set(fieldNames(validated));
  const fields = release.fields.filter((f) => schema.has(f));
  return mergeUpstream({ base, upstream: release, ours: hubRecords(validated), key, fields });
}

export type TakenReleaseResult = { batchId: string; written: number; added: number; proposalIds: string[] };

export function takeRelease(
  validated: Y.Doc,
  pending: Y.Doc,
  plan: UpstreamPlan,
  actor: Actor,
  about: { datasetId: string; filename: string; at: string; batchId: string },
): TakenReleaseResult {
  const batch: ChangeBatch = { id: about.batchId, origin: 'upstream' };
  let written = 0;
  let added = 0;
  validated.transact(() => {
    for (const update of plan.updates) {
      if (
        setCell(validated, update.rowId, update.field, stored(update.upstream), actor, { batch }) !==
        undefined
      )
        written++;
    }
    for (const addition of plan.additions) {
      const values = Object.fromEntries(Object.entries(addition.values).map(([f, v]) => [f, stored(v)]));
      addRow(validated, values, actor, { batch });
      added++;
    }
  }, 'datapatch-upstream');
  const proposalIds: string[] = [];
  const comment = (why: string) =>
    `${OFFICIAL_SOURCE} — ${about.filename} (${about.at.slice(0, 10)}) : ${why}`;
  pending.transact(() => {
    let n = 0;
    const propose = (p: Parameters<typeof addProposal>[1]) => {
      n++;
      proposalIds.push(addProposal(pending, { ...p, id: `${about.batchId}-${n}`, createdAt: about.at }).id);
    };
    for (const conflict of plan.conflicts) {
      // base: the last release's values (what the source had), so moderation shows
      // release / current (the hubs') / proposed (the new release) and flags the difference.
      const base: Record<string, CellValue> = {};
      const proposed: Record<string, CellValue> = {};
      for (const [field, three] of Object.entries(conflict.fields)) {
        base[field] = three.base;
        proposed[field] = three.upstream;
      }
      if (conflict.kind === 'both-changed') {
        propose({
          datasetId: about.datasetId,
          kind: 'change',
          rowId: conflict.rowId,
          base,
          proposed,
          comment: comment(
            'la source et les hubs ont changé ces champs différemment / the source and the hubs changed these fields differently',
          ),
        });
      } else {
        propose({
          datasetId: about.datasetId,
          kind: 'delete',
          rowId: conflict.rowId,
          base,
          proposed: {},
          comment: comment(
            'la source a retiré ce lieu, que les hubs ont corrigé / the source removed this record, which the hubs corrected',
          ),
        });
      }
    }
    for (const deletion of plan.deletions) {
      propose({
        datasetId: about.datasetId,
        kind: 'delete',
        rowId: deletion.rowId,
        base: {},
        proposed: {},
        comment: comment('la source a retiré ce lieu / the source removed this record'),
      });
    }
  }, 'datapatch-upstream');
  return { batchId: about.batchId, written, added, proposalIds };
}

/** When each field (`rowId\u001ffield`) and each record (`rowId`) was last changed, from the changelog. */
export function lastChanges(validated: Y.Doc): (rowId: string, field?: string) => string | undefined {
  const at = new Map<string, string>();
  for (const entry of readChangelog(validated)) {
    at.set(entry.rowId, entry.at);
    if (entry.field !== undefined) at.set(`${entry.rowId}\u001f${entry.field}`, entry.at);
  }
  return (rowId, field) => at.get(field === undefined ? rowId : `${rowId}\u001f${field}`);
}
