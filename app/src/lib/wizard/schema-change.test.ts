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

  it('two owners changing two fields at once both keep their change (no field repeated)', () => {
    const a = new Y.Doc();
    const schema = { fields: [{ name: 'nom' }, { name: 'places', type: 'string' }, { name: 'ville' }] };
    createDataset(a, { meta: { datasetId: 'x', title: 'x' }, schema }, owner);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    writeSchema(
      a,
      { fields: [{ name: 'nom' }, { name: 'places', type: 'integer' }, { name: 'ville' }] },
      owner,
    );
    writeSchema(
      b,
      { fields: [{ name: 'nom' }, { name: 'places', type: 'string' }, { name: 'ville', title: 'Ville' }] },
      owner,
    );
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const expected = [
      { name: 'nom' },
      { name: 'places', type: 'integer' },
      { name: 'ville', title: 'Ville' },
    ];
    expect(readSchema(a).fields).toEqual(expected);
    expect(readSchema(b).fields).toEqual(expected);
  });

  it('refuses a schema without fields and writes nothing', () => {
    const doc = new Y.Doc();
    createDataset(doc, { meta: { datasetId: 'x', title: 'x' }, schema: { fields: [{ name: 'a' }] } }, owner);
    const before = Y.encodeStateVector(doc);
    expect(writeSchema(doc, { fields: [] }, owner)).toBe(false);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});
