import { createDataset, deleteRow, readRows, setCell } from '@datapatch/core';
import { type DuplicatesAnswer, DuplicatesErrorCode, roomName } from '@datapatch/protocol';
import type { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dataRelayHarness } from '../testing/data-relay.ts';
import type { DataAccess } from './data-routes.ts';
import { duplicateRoutes } from './duplicate-routes.ts';

const owner = { id: 'u1', name: 'Awa' };
let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** "prive" is private but readable by the caller; "secret" the caller may not read at all. */
const access: DataAccess = {
  read: (c, id) =>
    id === 'secret' ? c.json({ error: { code: 'dataset_not_found' } }, 404) : { public: id !== 'prive' },
  importInto: () => ({ actor: owner }),
};

const lieu = {
  nom: 'France services Amancey',
  adresse: '13 rue du Four',
  commune: 'Amancey',
  tel: '03 81 86 79 80',
  lat: 47.0376,
  lon: 6.0706,
};

async function harness() {
  const { relay, registry, close } = dataRelayHarness();
  cleanups.push(close);
  const docs = new Map<string, Y.Doc>();
  async function dataset(id: string, fields: string[], rows: Record<string, string | number>[]) {
    const doc = new Y.Doc();
    createDataset(
      doc,
      {
        meta: { datasetId: id, title: `Lieux ${id}` },
        schema: { fields: fields.map((name) => ({ name, type: 'string' })) },
        rows,
      },
      owner,
    );
    await relay.applyServerUpdate(roomName(id, 'validated'), Y.encodeStateAsUpdate(doc));
    await registry.upsert({
      id,
      title: `Lieux ${id}`,
      description: '',
      rowCount: rows.length,
      updatedAt: new Date().toISOString(),
    });
    docs.set(id, doc);
  }
  const app: Hono = duplicateRoutes({ relay, registry, access });
  const ask = async (id: string, body: unknown) => {
    const response = await app.request(`/api/datasets/${id}/duplicates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as DuplicatesAnswer & { error?: { code: string } },
    };
  };
  return { dataset, ask, relay, docs };
}

describe('POST /api/datasets/:id/duplicates', () => {
  it('answers likely duplicates from the dataset and from another public dataset, with reasons and a label', async () => {
    const h = await harness();
    await h.dataset(
      'doubs',
      ['nom', 'adresse', 'commune', 'tel', 'lat', 'lon'],
      [lieu, { ...lieu, nom: 'Bibliothèque Amancey', tel: '03 81 86 75 72' }],
    );
    await h.dataset(
      'bfc',
      ['nom_structure', 'adresse', 'ville', 'contact_tel', 'latitude', 'longitude'],
      [
        {
          nom_structure: 'MFS Amancey',
          adresse: '13 rue du Four',
          ville: 'AMANCEY',
          contact_tel: '03 81 86 79 80',
          latitude: 47.03764,
          longitude: 6.070628,
        },
      ],
    );
    const { status, body } = await h.ask('doubs', {
      values: { ...lieu, nom: 'France Services - Amancey', lat: 47.0377 },
    });
    expect(status).toBe(200);
    expect(body.candidates.map((c) => c.datasetId).sort()).toEqual(['bfc', 'doubs']);
    const own = body.candidates.find((c) => c.datasetId === 'doubs')!;
    expect(own.label).toEqual({
      name: 'France services Amancey',
      address: '13 rue du Four',
      city: 'Amancey',
    });
    expect(own.reasons.map((r) => r.code)).toEqual(['same-name', 'nearby', 'same-address', 'same-phone']);
    expect(body.candidates.find((c) => c.datasetId === 'bfc')!.datasetTitle).toBe('Lieux bfc');
  });

  it('never answers from a private dataset, even one the caller may read, nor from one it may not', async () => {
    const h = await harness();
    await h.dataset(
      'doubs',
      ['nom', 'adresse', 'commune', 'tel', 'lat', 'lon'],
      [{ ...lieu, nom: 'Mairie', tel: '' }],
    );
    await h.dataset('prive', ['nom', 'adresse', 'commune', 'tel', 'lat', 'lon'], [lieu]);
    await h.dataset('secret', ['nom', 'adresse', 'commune', 'tel', 'lat', 'lon'], [lieu]);
    const { body } = await h.ask('doubs', { values: lieu });
    expect(body.candidates).toEqual([]);
    expect((await h.ask('secret', { values: lieu })).status).toBe(404);
  });

  it('sees an edit and a deletion made since the last question', async () => {
    const h = await harness();
    await h.dataset(
      'doubs',
      ['nom', 'adresse', 'commune', 'tel', 'lat', 'lon'],
      [{ ...lieu, nom: 'Bibliothèque', tel: '' }],
    );
    expect((await h.ask('doubs', { values: lieu })).body.candidates).toEqual([]);
    const doc = h.docs.get('doubs')!;
    const before = Y.encodeStateVector(doc);
    setCell(doc, readRows(doc)[0]!.id, 'nom', 'France services Amancey', owner);
    await h.relay.applyServerUpdate(roomName('doubs', 'validated'), Y.encodeStateAsUpdate(doc, before));
    expect((await h.ask('doubs', { values: lieu })).body.candidates).toHaveLength(1);

    // A row deleted since is no longer answered.
    const beforeDelete = Y.encodeStateVector(doc);
    deleteRow(doc, readRows(doc)[0]!.id, owner);
    await h.relay.applyServerUpdate(roomName('doubs', 'validated'), Y.encodeStateAsUpdate(doc, beforeDelete));
    expect((await h.ask('doubs', { values: lieu })).body.candidates).toEqual([]);
  });

  it('refuses a body that is not {values}, too large, or names an unknown dataset', async () => {
    const h = await harness();
    await h.dataset('doubs', ['nom'], [{ nom: 'Mairie' }]);
    for (const bad of ['not json', { values: [1] }, { values: { nom: { nested: true } } }, {}]) {
      const { status, body } = await h.ask('doubs', bad);
      expect(status).toBe(400);
      expect(body.error?.code).toBe(DuplicatesErrorCode.badBody);
    }
    expect((await h.ask('doubs', { values: { nom: 'x'.repeat(70_000) } })).status).toBe(413);
    expect((await h.ask('inconnu', { values: { nom: 'Mairie' } })).status).toBe(404);
  });
});
