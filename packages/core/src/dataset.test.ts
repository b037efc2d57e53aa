import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendRows, createDataset, isDataset, readMeta, readSchema, setMeta } from './dataset.ts';
import { readChangelog } from './edits.ts';
import { CHUNK_SIZE, chunksArray } from './layout.ts';
import { readRows } from './row-index.ts';
import { alice, bob, loadCopy, placesDataset, placesRows, placesSchema } from './test-fixtures.ts';

describe('a dataset', () => {
  it('reads back its metadata, schema and rows in import order', () => {
    const { doc, rowIds } = placesDataset();
    expect(isDataset(doc)).toBe(true);
    expect(readMeta(doc)).toMatchObject({
      datasetId: 'lieux',
      title: 'Lieux publics',
      licence: 'etalab-2.0',
    });
    expect(readMeta(doc).createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(readSchema(doc)).toEqual(placesSchema);
    const rows = readRows(doc);
    expect(rows.map((r) => r.id)).toEqual(rowIds);
    expect(rows.map((r) => r.values)).toEqual(placesRows);
  });

  it('keeps row ids stable when another peer loads the document', () => {
    const { doc, rowIds } = placesDataset();
    expect(readRows(loadCopy(doc)).map((r) => r.id)).toEqual(rowIds);
  });

  it('gives every row a distinct id, also across import batches', () => {
    const { doc, rowIds } = placesDataset();
    const more = appendRows(doc, placesRows, bob);
    const all = [...rowIds, ...more];
    expect(new Set(all).size).toBe(all.length);
    expect(readRows(doc).map((r) => r.id)).toEqual(all);
  });

  it('stores a big import in chunks of at most CHUNK_SIZE rows, with one changelog entry', () => {
    const doc = new Y.Doc();
    const rows = Array.from({ length: 2 * CHUNK_SIZE + 5 }, (_, i) => ({ nom: `lieu ${i}`, lat: i }));
    createDataset(doc, { meta: { datasetId: 'big', title: 'Big' }, schema: placesSchema, rows }, alice);
    expect(chunksArray(doc).length).toBe(3);
    const log = readChangelog(doc);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ kind: 'create', count: rows.length, by: alice });
    const read = readRows(doc);
    expect(read).toHaveLength(rows.length);
    expect(read[2 * CHUNK_SIZE + 4]!.values).toMatchObject({
      nom: `lieu ${2 * CHUNK_SIZE + 4}`,
      lat: 2 * CHUNK_SIZE + 4,
      cp: null,
    });
  });

  it('refuses a value that is not a cell value', () => {
    const { doc } = placesDataset();
    const invalid = expect.objectContaining({ code: 'invalid-value' });
    expect(() => appendRows(doc, [{ nom: { x: 1 } as never }], alice)).toThrowError(invalid);
    expect(() => appendRows(doc, [{ lat: Number.NaN }], alice)).toThrowError(invalid);
    expect(readRows(doc)).toHaveLength(placesRows.length);
  });

  it('cannot be created twice in one document', () => {
    const { doc } = placesDataset();
    expect(() =>
      createDataset(doc, { meta: { datasetId: 'x', title: 'x' }, schema: placesSchema }, alice),
    ).toThrowError(expect.objectContaining({ code: 'already-created' }));
  });

  it('lets an owner change the title and remove the description', () => {
    const { doc } = placesDataset();
    setMeta(doc, { title: 'Lieux', description: 'd' }, bob);
    setMeta(doc, { description: undefined }, bob);
    const meta = readMeta(doc);
    expect(meta.title).toBe('Lieux');
    expect(meta.description).toBeUndefined();
    expect(meta.datasetId).toBe('lieux');
  });
});
