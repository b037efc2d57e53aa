/**
 * Moderation: accepting (wholly or some fields), rejecting and undoing decisions on proposals.
 * Invariants: an acceptance writes all its cells and changelog entries in one transaction on the
 * validated document, then its decision in the pending one; a value that changed since the
 * contributor saw it is reported as a conflict (base, current, proposed), never overwritten
 * unless the moderator forces it; an undo only reverts cells still holding the value it wrote.
 */
import type * as Y from 'yjs';
import { fieldNames } from './dataset.ts';
import { addRowRecorded, deleteRow, hasRow, isRowDeleted, readCell, setCell, writeUndo } from './edits.ts';
import { markVerified } from './freshness.ts';
import { changelogArray, decisionsMap, proposalsMap } from './layout.ts';
import { decide, statusOf } from './proposals.ts';
import type { Actor, CellValue, Conflict, Decision, DecisionStatus } from './types.ts';

export type AcceptOptions = {
  moderator: Actor;
  /** Fields to accept; all proposed fields when absent. */
  fields?: string[];
  /** Values the moderator corrected before accepting, by field. */
  edits?: Record<string, CellValue>;
  /** Overwrite values that changed since the contributor saw them. */
  force?: boolean;
  /**
   * Why a field was refused, for the contributor, by field. Kept for the proposed fields left
   * out of `fields` only; blank reasons are dropped.
   */
  refusedReasons?: Record<string, string>;
  /** Accepted by the auto-approval rules (see auto-approval.ts), recorded on the decision. */
  automatic?: boolean;
};

export type AcceptResult =
  | { ok: true; status: DecisionStatus; changeIds: string[]; rowId?: string }
  | { ok: false; code: 'conflict'; conflicts: Conflict[] }
  | { ok: false; code: 'unknown-field'; fields: string[] }
  | { ok: false; code: 'not-found' | 'already-decided' | 'row-missing' };

export type DecisionResult =
  | { ok: true; status: DecisionStatus }
  | { ok: false; code: 'not-found' | 'already-decided' };

export type UndoResult =
  | { ok: true; status: 'pending'; changeIds: string[]; conflicts: Conflict[] }
  | { ok: false; code: 'not-found' | 'not-decided' };

export function acceptProposal(
  validated: Y.Doc,
  pending: Y.Doc,
  id: string,
  opts: AcceptOptions,
): AcceptResult {
  const proposal = proposalsMap(pending).get(id);
  if (!proposal) return { ok: false, code: 'not-found' };
  if (statusOf(decisionsMap(pending).get(id)) !== 'pending') return { ok: false, code: 'already-decided' };

  const values: Record<string, CellValue> = { ...proposal.proposed, ...opts.edits };
  const proposedFields = Object.keys(proposal.proposed);
  const known = new Set(fieldNames(validated));
  const fields = proposal.kind === 'delete' ? [] : (opts.fields ?? Object.keys(values));
  const unknown = fields.filter((f) => !known.has(f) || !(f in values));
  if (unknown.length > 0) return { ok: false, code: 'unknown-field', fields: unknown };
  const whole = proposal.kind === 'delete' || proposedFields.every((f) => fields.includes(f));
  const status: DecisionStatus = whole ? 'accepted' : 'partially-accepted';

  const { rowId } = proposal;
  const row = (proposal.kind === 'create' ? undefined : rowId) ?? '';
  if (proposal.kind !== 'create' && (!hasRow(validated, row) || isRowDeleted(validated, row))) {
    return { ok: false, code: 'row-missing' };
  }

  // Conflicts: for a change, on the accepted fields; for a delete, on every field the contributor saw.
  const conflicts: Conflict[] = [];
  if (proposal.kind !== 'create') {
    const checked = proposal.kind === 'delete' ? Object.keys(proposal.base) : fields;
    for (const field of checked) {
      const base = proposal.base[field];
      const current = readCell(validated, row, field) ?? null;
      const wanted = proposal.kind === 'delete' ? null : values[field]!;
      if (base !== undefined && current !== base && current !== wanted) {
        conflicts.push({ field, base, current, proposed: wanted });
      }
    }
  }
  if (conflicts.length > 0 && !opts.force) return { ok: false, code: 'conflict', conflicts };

  const changeIds: string[] = [];
  let createdRowId: string | undefined;
  const by = opts.moderator;
  validated.transact(() => {
    if (proposal.kind === 'change') {
      for (const field of fields) {
        const changeId = setCell(validated, row, field, values[field]!, by, { proposalId: id });
        if (changeId) changeIds.push(changeId);
      }
    } else if (proposal.kind === 'create') {
      const rowValues: Record<string, CellValue> = {};
      for (const field of fields) rowValues[field] = values[field]!;
      const created = addRowRecorded(validated, rowValues, by, {
        proposalId: id,
        ...(rowId ? { rowId } : {}),
      });
      createdRowId = created.rowId;
      changeIds.push(created.changeId);
    } else {
      const changeId = deleteRow(validated, row, by, { proposalId: id });
      if (changeId) changeIds.push(changeId);
    }
    // Every accepted field was checked now, even one whose value did not change ("toujours exact").
    if (proposal.kind !== 'delete')
      markVerified(validated, createdRowId ?? row, fields, new Date().toISOString());
  });

  const refusedReasons = reasonsForRefused(proposedFields, fields, opts.refusedReasons);
  const decision: Omit<Decision, 'at'> = {
    status,
    by,
    changeIds,
    ...(proposal.kind === 'delete' ? {} : { fields }),
    ...(refusedReasons === undefined ? {} : { refusedReasons }),
    ...(createdRowId ? { rowId: createdRowId } : {}),
    ...(opts.automatic ? { automatic: true } : {}),
  };
  decide(pending, id, decision);
  return { ok: true, status, changeIds, ...(createdRowId ? { rowId: createdRowId } : {}) };
}

/** The moderator's reasons for the proposed fields left out, trimmed, blank ones dropped. */
function reasonsForRefused(
  proposed: readonly string[],
  accepted: readonly string[],
  reasons: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (reasons === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const field of proposed) {
    if (accepted.includes(field)) continue;
    const reason = reasons[field]?.trim();
    if (reason) out[field] = reason;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function rejectProposal(
  pending: Y.Doc,
  id: string,
  opts: { moderator: Actor; reason?: string },
): DecisionResult {
  const result = decide(pending, id, {
    status: 'rejected',
    by: opts.moderator,
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
  });
  return result.ok ? { ok: true, status: 'rejected' } : result;
}

/**
 * Undoes a decision: the proposal is pending again. For an acceptance, each value it wrote is
 * put back to the old one where the cell still holds what it wrote; other cells are reported as
 * conflicts (base = the old value, proposed = the value it wrote) and left alone unless forced.
 */
export function undoDecision(
  validated: Y.Doc,
  pending: Y.Doc,
  id: string,
  moderator: Actor,
  opts?: { force?: boolean },
): UndoResult {
  if (!proposalsMap(pending).has(id)) return { ok: false, code: 'not-found' };
  const decisions = decisionsMap(pending);
  const decision = decisions.get(id);
  if (!decision || decision.undone) return { ok: false, code: 'not-decided' };

  const changeIds: string[] = [];
  const conflicts: Conflict[] = [];
  if (decision.changeIds && decision.changeIds.length > 0) {
    const wanted = new Set(decision.changeIds);
    const entries = changelogArray(validated)
      .toArray()
      .filter((entry) => wanted.has(entry.id));
    validated.transact(() => {
      // Latest first, so two changes of one cell unwind in order.
      for (const entry of entries.reverse()) {
        if (entry.kind === 'set' && entry.field !== undefined) {
          const current = readCell(validated, entry.rowId, entry.field) ?? null;
          const wrote = (entry.new ?? null) as CellValue;
          const old = (entry.old ?? null) as CellValue;
          if (current === old) continue; // already back
          if (current !== wrote) {
            conflicts.push({ field: entry.field, base: old, current, proposed: wrote });
            if (!opts?.force) continue;
          }
          changeIds.push(
            writeUndo(validated, entry, { field: entry.field, old: current, new: old }, moderator, {
              proposalId: id,
            }),
          );
        } else if (entry.kind === 'create' && !isRowDeleted(validated, entry.rowId)) {
          changeIds.push(writeUndo(validated, entry, { row: 'delete' }, moderator, { proposalId: id }));
        } else if (entry.kind === 'delete' && isRowDeleted(validated, entry.rowId)) {
          changeIds.push(writeUndo(validated, entry, { row: 'restore' }, moderator, { proposalId: id }));
        }
      }
    });
  }
  decisions.set(id, { ...decision, undone: { by: moderator, at: new Date().toISOString(), changeIds } });
  return { ok: true, status: 'pending', changeIds, conflicts };
}
