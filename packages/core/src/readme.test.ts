// The example at the top of ../README.md, run as written (console output aside), so it cannot rot.
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { acceptProposal, addProposal, createDataset, RowIndex, setCell } from './index.ts';

it('the README example runs and does what its comments say', () => {
  const owner = { id: 'u1', name: 'Awa', hub: 'hub-lille' };
  const validated = new Y.Doc(); // room ds/lieux/validated
  const pending = new Y.Doc(); //   room ds/lieux/pending
  const { rowIds } = createDataset(
    validated,
    {
      meta: { datasetId: 'lieux', title: 'Lieux publics', licence: 'etalab-2.0' },
      schema: {
        fields: [
          { name: 'nom', type: 'string' },
          { name: 'cp', type: 'string' },
        ],
      },
      rows: [{ nom: 'Mairie', cp: '59000' }],
    },
    owner,
  );
  const id = rowIds[0]!;
  setCell(validated, id, 'nom', 'Hôtel de ville', owner);

  const index = new RowIndex(validated);
  const changes: string[][] = [];
  index.onChange((changed) => changes.push([...changed]));

  const p = addProposal(pending, {
    datasetId: 'lieux',
    kind: 'change',
    rowId: id,
    base: { cp: '59000' },
    proposed: { cp: '59800' },
  });
  const result = acceptProposal(validated, pending, p.id, { moderator: owner, fields: ['cp'] });
  expect(result).toEqual({ ok: true, status: 'accepted', changeIds: [expect.any(String)] });
  expect(index.get(id)).toEqual({ id, values: { nom: 'Hôtel de ville', cp: '59800' } });
  expect(changes).toEqual([[id]]);
});
