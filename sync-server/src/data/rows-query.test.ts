import { createDataset, deleteRow, markVerified, setCell } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { datasetRows, normaliseText, parseRowsQuery, RowsErrorCode } from './rows-query.ts';

const actor = { id: 'u1' };

function dataset() {
  const doc = new Y.Doc();
  const { rowIds } = createDataset(
    doc,
    {
      meta: { datasetId: 'lieux', title: 'Lieux' },
      schema: { fields: [{ name: 'nom' }, { name: 'ville' }] },
      rows: [
        { nom: 'Crèche Les Lutins', ville: 'Besançon' },
        { nom: 'Médiathèque', ville: 'Dole' },
        { nom: 'Piscine', ville: 'Dole' },
      ],
    },
    actor,
  );
  return { doc, rowIds };
}

function query(search: string, fields = ['nom', 'ville']) {
  const parsed = parseRowsQuery(new URLSearchParams(search), fields);
  if (!parsed.ok) throw new Error(parsed.error.code);
  return parsed.query;
}

describe('rows query', () => {
  it('normalises case and accents', () => {
    expect(normaliseText('Élysée CRÈCHE')).toBe('elysee creche');
  });

  it('refuses unknown fields, bad paging and formats with their codes', () => {
    const codes = ['filter.commune=x', 'limit=0', 'limit=abc', 'limit=1001', 'format=xml'].map((search) => {
      const parsed = parseRowsQuery(new URLSearchParams(search), ['nom']);
      return parsed.ok ? 'ok' : parsed.error.code;
    });
    expect(codes).toEqual([
      RowsErrorCode.unknownField,
      RowsErrorCode.badPaging,
      RowsErrorCode.badPaging,
      RowsErrorCode.badPaging,
      RowsErrorCode.badFormat,
    ]);
    expect(query('format=csv').limit).toBeNull();
    expect(query('').limit).toBe(100);
  });

  it('keeps one view per document and follows edits without rebuilding', () => {
    const { doc, rowIds } = dataset();
    const view = datasetRows(doc);
    expect(datasetRows(doc)).toBe(view);
    expect(view.page(query('q=creche besancon')).total).toBe(1);
    const before = view.version;
    setCell(doc, rowIds[1] ?? '', 'nom', 'Crèche du centre', actor);
    expect(view.version).not.toBe(before);
    expect(view.page(query('q=CRECHE')).rows.map((row) => row.values.nom)).toEqual([
      'Crèche Les Lutins',
      'Crèche du centre',
    ]);
    deleteRow(doc, rowIds[2] ?? '', actor);
    expect(view.page(query('filter.ville=Dole')).total).toBe(1);
  });

  it('pages: the next offset until the last page', () => {
    const { doc } = dataset();
    const view = datasetRows(doc);
    expect(view.page(query('limit=2'))).toMatchObject({ total: 3, nextOffset: 2 });
    expect(view.page(query('limit=2&offset=2'))).toMatchObject({ total: 3, nextOffset: null });
  });

  it('freshness: rows not verified since a date (never verified included), least recently verified first', () => {
    const { doc, rowIds } = dataset();
    const [creche, media, piscine] = rowIds as [string, string, string];
    markVerified(doc, creche, ['nom'], '2026-11-01T00:00:00.000Z');
    markVerified(doc, media, ['nom', 'ville'], '2025-01-01T00:00:00.000Z');
    const view = datasetRows(doc);
    const ids = (search: string) => view.page(query(search)).rows.map((r) => r.id);
    expect(ids('verifiedBefore=2025-12-06')).toEqual([media, piscine]);
    expect(ids('sort=verified')).toEqual([piscine, media, creche]);
    expect(ids('sort=verified&verifiedBefore=2025-12-06&limit=1')).toEqual([piscine]);
    for (const bad of ['verifiedBefore=last-year', 'sort=name']) {
      const parsed = parseRowsQuery(new URLSearchParams(bad), ['nom']);
      expect(parsed.ok ? undefined : parsed.error.code).toBe(RowsErrorCode.badFormat);
    }
  });
});
