import { createDataset, readRows, readSchema } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeSchema } from './schema-change.ts';

const owner = { id: 'owner', name: 'Owner' };

describe('applying a schema change', () => {
  it('the dataset reads the new schema, its records unchanged, and a peer gets the same', () => {
    const doc = new Y.Doc();
    createDataset(
      doc,
      {
        meta: { datasetId: 'lieux', title: 'Lieux' },
        schema: { primaryKey: 'nom', fields: [{ name: 'nom' }, { name: 'places', type: 'string' }] },
        rows: [{ nom: 'Gare', places: '4' }],
      },
      owner,
    );
    const next = {
      primaryKey: 'nom',
      fields: [{ name: 'nom' }, { name: 'places', type: 'integer' }, { name: 'ville' }],
    };
    expect(writeSchema(doc, next, owner)).toBe(true);
    expect(readSchema(doc)).toEqual(next);
    expect(readRows(doc).map((r) => r.values)).toEqual([{ nom: 'Gare', places: '4' }]);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    expect(readSchema(peer)).toEqual(next);
  });

  it('refuses a schema without fields and writes nothing', () => {
    const doc = new Y.Doc();
    createDataset(doc, { meta: { datasetId: 'x', title: 'x' }, schema: { fields: [{ name: 'a' }] } }, owner);
    const before = Y.encodeStateVector(doc);
    expect(writeSchema(doc, { fields: [] }, owner)).toBe(false);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});
