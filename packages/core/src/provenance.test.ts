import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AUTO_APPROVER } from './auto-approval.ts';
import { undoBatch } from './batches.ts';
import { appendRows } from './dataset.ts';
import { addRow, readChangelog, setCell } from './edits.ts';
import { acceptProposal, undoDecision } from './moderation.ts';
import { addProposal } from './proposals.ts';
import { fieldProvenance, provenanceIndex } from './provenance.ts';
import { alice, bob, moderator, placesDataset } from './test-fixtures.ts';
import type { Actor } from './types.ts';

const hubBourgogne: Actor = { id: 'mod-b', name: 'Camille', hub: 'Hub Bourgogne' };

function proposeAndAccept(doc: Y.Doc, rowId: string, proposed: Record<string, string>, by = hubBourgogne) {
  const pending = new Y.Doc();
  const p = addProposal(pending, { datasetId: 'lieux', kind: 'change', rowId, proposed });
  const result = acceptProposal(doc, pending, p.id, { moderator: by });
  expect(result.ok).toBe(true);
  return { pending, id: p.id };
}

describe('fieldProvenance', () => {
  it('gives every field of an imported record its import, then an accepted proposal its moderator', () => {
    const { doc, rowIds } = placesDataset();
    const row = rowIds[1]!;
    const before = fieldProvenance(readChangelog(doc), row, ['nom', 'commune']);
    expect(before.nom).toMatchObject({ kind: 'import', by: alice });
    expect(before.commune?.changeId).toBe(before.nom?.changeId);

    const { id } = proposeAndAccept(doc, row, { commune: 'Wattrelos' });
    const after = fieldProvenance(readChangelog(doc), row, ['nom', 'commune']);
    expect(after.nom?.kind).toBe('import');
    expect(after.commune).toMatchObject({ kind: 'proposal', proposalId: id, by: { hub: 'Hub Bourgogne' } });
    expect(after.commune?.auto).toBeUndefined();
  });

  it('tells a second import from the first by its row ids, and an editor’s edit from a proposal', () => {
    const { doc, rowIds } = placesDataset();
    const later = appendRows(doc, [{ nom: 'Gare' }, { nom: 'Stade' }], bob);
    const log = () => readChangelog(doc);
    expect(fieldProvenance(log(), rowIds[2]!, ['nom']).nom?.by).toEqual(alice);
    expect(fieldProvenance(log(), later[1]!, ['nom']).nom).toMatchObject({ kind: 'import', by: bob });
    setCell(doc, later[1]!, 'cp', '59000', moderator);
    expect(fieldProvenance(log(), later[1]!).cp).toMatchObject({ kind: 'edit', by: moderator });
  });

  it('names a release of the official source, and gives fields back their import when the release is undone', () => {
    const { doc, rowIds } = placesDataset();
    const row = rowIds[0]!;
    const batch = { id: 'release-2', origin: 'upstream' as const };
    let added = '';
    doc.transact(() => {
      setCell(doc, row, 'cp', '59800', moderator, { batch });
      added = addRow(doc, { nom: 'Gare', cp: '59000' }, moderator, { batch });
    });
    const index = provenanceIndex(readChangelog(doc));
    expect(index.of(row, ['cp', 'nom'])).toMatchObject({ cp: { kind: 'upstream' }, nom: { kind: 'import' } });
    expect(index.of(added)).toMatchObject({ nom: { kind: 'upstream' }, cp: { kind: 'upstream' } });

    expect(undoBatch(doc, 'release-2', moderator)).toMatchObject({ ok: true, undone: 2 });
    expect(fieldProvenance(readChangelog(doc), row, ['cp']).cp?.kind).toBe('import');
  });

  it('after an undone decision, the field has the provenance of the change before it', () => {
    const { doc, rowIds } = placesDataset();
    const row = rowIds[0]!;
    setCell(doc, row, 'cp', '59001', moderator);
    const { pending, id } = proposeAndAccept(doc, row, { cp: '59002' });
    expect(fieldProvenance(readChangelog(doc), row, ['cp']).cp?.kind).toBe('proposal');
    expect(undoDecision(doc, pending, id, moderator).ok).toBe(true);
    expect(fieldProvenance(readChangelog(doc), row, ['cp']).cp).toMatchObject({
      kind: 'edit',
      by: moderator,
    });
  });

  it('marks a proposal accepted automatically', () => {
    const { doc, rowIds } = placesDataset();
    proposeAndAccept(doc, rowIds[0]!, { cp: '59003' }, AUTO_APPROVER);
    expect(fieldProvenance(readChangelog(doc), rowIds[0]!, ['cp']).cp).toMatchObject({
      kind: 'proposal',
      auto: true,
    });
  });

  it('gives nothing for a record the changelog does not know in a dataset without import', () => {
    expect(fieldProvenance([], 'nope', ['nom'])).toEqual({});
  });
});
