import { acceptProposal, addProposal, readRows } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dataRelayHarness } from '../testing/data-relay.ts';
import { dataRoutes } from './data-routes.ts';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const places = JSON.stringify([
  { nom: 'Mairie de Besançon', ville: 'Besançon' },
  { nom: 'Gare de Dole', ville: 'Dole' },
]);

/** Two imported places; the second one's town corrected by an accepted proposal. */
async function placesWithProposal() {
  const { relay, registry, close } = dataRelayHarness();
  cleanups.push(close);
  const app = dataRoutes({ relay, registry });
  const form = new FormData();
  form.set('file', new File([places], 'places.json'));
  expect((await app.request('/api/datasets/lieux/import', { method: 'POST', body: form })).status).toBe(201);
  const room = roomName('lieux', 'validated');
  const edit = await relay.readDocument(room, (doc) => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(copy);
    const rowId = readRows(copy)[1]?.id ?? '';
    const pending = new Y.Doc();
    const p = addProposal(pending, {
      id: 'p-1',
      datasetId: 'lieux',
      kind: 'change',
      rowId,
      proposed: { ville: 'Dole (Jura)' },
    });
    acceptProposal(copy, pending, p.id, { moderator: { id: 'm', name: 'Camille', hub: 'Hub Bourgogne' } });
    return Y.encodeStateAsUpdate(copy, before);
  });
  await relay.applyServerUpdate(room, edit);
  return app;
}

describe('GET /api/datasets/:id/rows?provenance=1', () => {
  it('adds <field>__source and <field>__date columns to the CSV, after each field', async () => {
    const app = await placesWithProposal();
    const text = await (await app.request('/api/datasets/lieux/rows?format=csv&provenance=1')).text();
    const [header, first, second] = text.split('\r\n');
    expect(header).toBe('nom,nom__source,nom__date,ville,ville__source,ville__date');
    const cells = (line: string | undefined) => (line ?? '').split(',');
    expect(cells(first).slice(0, 2)).toEqual(['Mairie de Besançon', 'import']);
    expect(cells(second).slice(3, 5)).toEqual(['Dole (Jura)', 'proposal:p-1']);
    expect(Number.isNaN(Date.parse(cells(second)[5] ?? ''))).toBe(false);
    expect(text).not.toContain('Camille');
  });

  it('gives JSON rows a provenance object by field, and leaves exports without the flag as they were', async () => {
    const app = await placesWithProposal();
    const body = (await (await app.request('/api/datasets/lieux/rows?provenance=1')).json()) as {
      rows: {
        values: Record<string, unknown>;
        provenance: Record<string, { source: string; date: string }>;
      }[];
    };
    expect(body.rows[1]?.provenance.ville?.source).toBe('proposal:p-1');
    expect(body.rows[1]?.provenance.nom?.source).toBe('import');
    expect(Object.keys(body.rows[0]?.values ?? {})).toEqual(['nom', 'ville']);
    const plain = (await (await app.request('/api/datasets/lieux/rows')).json()) as { rows: object[] };
    expect(plain.rows[0]).not.toHaveProperty('provenance');
    const csv = await (await app.request('/api/datasets/lieux/rows?format=csv')).text();
    expect(csv.split('\r\n')[0]).toBe('nom,ville');
  });
});
