import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCell, readChangelog, setCell } from './edits.ts';
import { acceptProposal, rejectProposal, undoDecision } from './moderation.ts';
import { addProposal, amendProposal, getProposal, listProposals, withdrawProposal } from './proposals.ts';
import { RowIndex, readRows } from './row-index.ts';
import { alice, bob, moderator, placesDataset } from './test-fixtures.ts';
import type { CellValue } from './types.ts';

function proposeChange(
  pending: Y.Doc,
  rowId: string,
  base: Record<string, CellValue>,
  proposed: Record<string, CellValue>,
) {
  return addProposal(pending, { datasetId: 'lieux', kind: 'change', rowId, base, proposed });
}

function setup() {
  const { doc: validated, rowIds } = placesDataset();
  const pending = new Y.Doc();
  return { validated, pending, rowIds };
}

describe('moderating proposals', () => {
  it('a new proposal is pending and listed oldest first', () => {
    const { pending, rowIds } = setup();
    const p1 = addProposal(pending, {
      datasetId: 'lieux',
      kind: 'change',
      rowId: rowIds[0]!,
      base: { commune: 'Lille' },
      proposed: { commune: 'Lille-Centre' },
      createdAt: '2026-01-02T00:00:00.000Z',
    });
    const p0 = addProposal(pending, {
      datasetId: 'lieux',
      kind: 'create',
      proposed: { nom: 'Gare' },
      createdAt: '2026-01-01T00:00:00.000Z',
      comment: 'nouvelle gare',
      contact: 'a@example.org',
    });
    expect(listProposals(pending).map((p) => p.id)).toEqual([p0.id, p1.id]);
    expect(getProposal(pending, p1.id)).toMatchObject({ status: 'pending', revision: 1 });
    expect(listProposals(pending, { rowId: rowIds[0]! }).map((p) => p.id)).toEqual([p1.id]);
  });

  it('accepting a whole proposal writes its fields, the changelog and the decision', () => {
    const { validated, pending, rowIds } = setup();
    const id = rowIds[0]!;
    const p = proposeChange(
      pending,
      id,
      { commune: 'Lille', cp: '59000' },
      { commune: 'Lille-Centre', cp: '59800' },
    );
    const result = acceptProposal(validated, pending, p.id, { moderator });
    expect(result).toMatchObject({ ok: true, status: 'accepted' });
    expect(readRows(validated)[0]!.values).toMatchObject({ commune: 'Lille-Centre', cp: '59800' });
    const entries = readChangelog(validated, { proposalId: p.id });
    expect(entries.map((e) => [e.field, e.old, e.new])).toEqual([
      ['commune', 'Lille', 'Lille-Centre'],
      ['cp', '59000', '59800'],
    ]);
    const view = getProposal(pending, p.id)!;
    expect(view.status).toBe('accepted');
    expect(view.decision).toMatchObject({ by: moderator, fields: ['commune', 'cp'] });
    expect(view.decision!.changeIds).toEqual(entries.map((e) => e.id));
  });

  it('accepting some fields leaves the others untouched and says partially accepted', () => {
    const { validated, pending, rowIds } = setup();
    const p = proposeChange(pending, rowIds[0]!, {}, { commune: 'Lille-Centre', cp: '59800' });
    const result = acceptProposal(validated, pending, p.id, { moderator, fields: ['cp'] });
    expect(result).toMatchObject({ ok: true, status: 'partially-accepted' });
    expect(readRows(validated)[0]!.values).toMatchObject({ commune: 'Lille', cp: '59800' });
  });

  it('a partial acceptance keeps the reason given for each refused field, for the contributor', () => {
    const { validated, pending, rowIds } = setup();
    const p = proposeChange(
      pending,
      rowIds[0]!,
      {},
      { commune: 'Lille-Centre', cp: '59800', nom: 'Mairie annexe' },
    );
    const result = acceptProposal(validated, pending, p.id, {
      moderator,
      fields: ['cp'],
      // A reason for an accepted field and a blank one are not kept.
      refusedReasons: { commune: '  La commune reste Lille.  ', nom: ' ', cp: 'not refused' },
    });
    expect(result).toMatchObject({ ok: true, status: 'partially-accepted' });
    const decision = getProposal(pending, p.id)!.decision!;
    expect(decision.fields).toEqual(['cp']);
    expect(decision.refusedReasons).toEqual({ commune: 'La commune reste Lille.' });
  });

  it('a value changed since the contributor saw it is a conflict with its three values, not overwritten', () => {
    const { validated, pending, rowIds } = setup();
    const id = rowIds[0]!;
    const p = proposeChange(pending, id, { commune: 'Lille' }, { commune: 'Lille-Centre' });
    setCell(validated, id, 'commune', 'Lille-Sud', bob);
    const result = acceptProposal(validated, pending, p.id, { moderator });
    expect(result).toEqual({
      ok: false,
      code: 'conflict',
      conflicts: [{ field: 'commune', base: 'Lille', current: 'Lille-Sud', proposed: 'Lille-Centre' }],
    });
    expect(readCell(validated, id, 'commune')).toBe('Lille-Sud');
    expect(getProposal(pending, p.id)!.status).toBe('pending');
    expect(acceptProposal(validated, pending, p.id, { moderator, force: true })).toMatchObject({ ok: true });
    expect(readCell(validated, id, 'commune')).toBe('Lille-Centre');
  });

  it('a rejected proposal keeps its reason and changes nothing', () => {
    const { validated, pending, rowIds } = setup();
    const p = addProposal(pending, {
      datasetId: 'lieux',
      kind: 'delete',
      rowId: rowIds[1]!,
      proposed: {},
    });
    expect(rejectProposal(pending, p.id, { moderator, reason: 'toujours ouvert' })).toEqual({
      ok: true,
      status: 'rejected',
    });
    expect(getProposal(pending, p.id)!.decision).toMatchObject({
      status: 'rejected',
      reason: 'toujours ouvert',
    });
    expect(readRows(validated)).toHaveLength(3);
    expect(acceptProposal(validated, pending, p.id, { moderator })).toEqual({
      ok: false,
      code: 'already-decided',
    });
  });

  it('an accepted new record appears in the rows; undoing it removes it again', () => {
    const { validated, pending } = setup();
    const index = new RowIndex(validated);
    const p = addProposal(pending, {
      datasetId: 'lieux',
      kind: 'create',
      proposed: { nom: 'Gare', commune: 'Lille' },
    });
    const result = acceptProposal(validated, pending, p.id, {
      moderator,
      edits: { commune: 'Lille-Flandres' },
    });
    if (!result.ok) throw new Error('not accepted');
    expect(index.get(result.rowId!)!.values).toMatchObject({ nom: 'Gare', commune: 'Lille-Flandres' });
    expect(undoDecision(validated, pending, p.id, moderator)).toMatchObject({ ok: true, status: 'pending' });
    expect(index.get(result.rowId!)).toBeUndefined();
    expect(getProposal(pending, p.id)!.status).toBe('pending');
  });

  it('undo puts old values back only where the value it wrote is still there', () => {
    const { validated, pending, rowIds } = setup();
    const id = rowIds[0]!;
    const p = proposeChange(
      pending,
      id,
      { commune: 'Lille', cp: '59000' },
      { commune: 'Lille-Centre', cp: '59800' },
    );
    acceptProposal(validated, pending, p.id, { moderator });
    setCell(validated, id, 'cp', '59777', bob);
    const undo = undoDecision(validated, pending, p.id, moderator);
    expect(undo).toMatchObject({
      ok: true,
      conflicts: [{ field: 'cp', base: '59000', current: '59777', proposed: '59800' }],
    });
    expect(readRows(validated)[0]!.values).toMatchObject({ commune: 'Lille', cp: '59777' });
    expect(readChangelog(validated, { rowId: id }).at(-1)).toMatchObject({
      kind: 'undo',
      field: 'commune',
      new: 'Lille',
    });
    expect(undoDecision(validated, pending, p.id, moderator)).toEqual({ ok: false, code: 'not-decided' });
  });

  it('an accepted deletion hides the row; a proposal on a missing row says row-missing', () => {
    const { validated, pending, rowIds } = setup();
    const del = addProposal(pending, { datasetId: 'lieux', kind: 'delete', rowId: rowIds[2]!, proposed: {} });
    expect(acceptProposal(validated, pending, del.id, { moderator })).toMatchObject({ ok: true });
    expect(readRows(validated).map((r) => r.id)).toEqual(rowIds.slice(0, 2));
    const change = proposeChange(pending, rowIds[2]!, {}, { nom: 'x' });
    expect(acceptProposal(validated, pending, change.id, { moderator })).toEqual({
      ok: false,
      code: 'row-missing',
    });
    expect(acceptProposal(validated, pending, 'nope', { moderator })).toEqual({
      ok: false,
      code: 'not-found',
    });
  });

  it('a field outside the schema or the proposal is refused by name', () => {
    const { validated, pending, rowIds } = setup();
    const p = proposeChange(pending, rowIds[0]!, {}, { couleur: 'bleu' });
    expect(acceptProposal(validated, pending, p.id, { moderator })).toEqual({
      ok: false,
      code: 'unknown-field',
      fields: ['couleur'],
    });
  });

  it('adding a proposal again with the same id (a replay) keeps the amended one', () => {
    const { pending, rowIds } = setup();
    const p = proposeChange(pending, rowIds[0]!, {}, { cp: '1' });
    amendProposal(pending, p.id, { proposed: { cp: '2' } });
    const again = addProposal(pending, {
      id: p.id,
      datasetId: 'lieux',
      kind: 'change',
      proposed: { cp: '1' },
    });
    expect(again).toMatchObject({ revision: 2, proposed: { cp: '2' } });
    expect(getProposal(pending, p.id)).toMatchObject({ revision: 2, proposed: { cp: '2' } });
  });

  it('undo skips a cell someone already put back, without calling it a conflict', () => {
    const { validated, pending, rowIds } = setup();
    const p = proposeChange(pending, rowIds[0]!, { cp: '59000' }, { cp: '59800' });
    acceptProposal(validated, pending, p.id, { moderator });
    setCell(validated, rowIds[0]!, 'cp', '59000', bob);
    expect(undoDecision(validated, pending, p.id, moderator)).toEqual({
      ok: true,
      status: 'pending',
      changeIds: [],
      conflicts: [],
    });
  });

  it('a contributor can amend or withdraw only while the proposal is pending', () => {
    const { pending, rowIds } = setup();
    const p = proposeChange(pending, rowIds[0]!, {}, { cp: '1' });
    const amended = amendProposal(pending, p.id, { proposed: { cp: '59000' }, comment: 'typo' });
    expect(amended).toMatchObject({
      ok: true,
      proposal: { revision: 2, proposed: { cp: '59000' }, comment: 'typo' },
    });
    expect(withdrawProposal(pending, p.id, alice)).toMatchObject({
      ok: true,
      proposal: { status: 'withdrawn' },
    });
    expect(amendProposal(pending, p.id, { comment: 'x' })).toEqual({ ok: false, code: 'already-decided' });
    expect(amendProposal(pending, 'nope', { comment: 'x' })).toEqual({ ok: false, code: 'not-found' });
  });
});
