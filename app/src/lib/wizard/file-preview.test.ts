import { importFile } from '@datapatch/io';
import { describe, expect, it } from 'vitest';
import { PREVIEW_BYTES, previewOf, readPreview } from './file-preview.ts';

const csv = (text: string) => new File([text], 'lieux.csv', { type: 'text/csv' });

describe('previewOf', () => {
  it('keeps the first rows and up to three distinct non-empty samples per column', () => {
    const preview = previewOf({
      fields: ['nom', 'code_postal'],
      rows: [
        { nom: 'Mairie', code_postal: '75001' },
        { nom: '', code_postal: '75001' },
        { nom: 'Poste', code_postal: null },
        { nom: 'Gare', code_postal: '75010' },
        { nom: 'École', code_postal: '75011' },
        { nom: 'Parc', code_postal: '75012' },
        { nom: 'Musée', code_postal: '75013' },
      ],
    });
    expect(preview.rows).toHaveLength(5);
    expect(preview.rows[0]).toEqual({ nom: 'Mairie', code_postal: '75001' });
    expect(preview.samples).toEqual({
      nom: ['Mairie', 'Poste', 'Gare'],
      code_postal: ['75001', '75010', '75011'],
    });
  });

  it('shortens a long sample', () => {
    const long = 'x'.repeat(100);
    const [sample] = previewOf({ fields: ['a'], rows: [{ a: long }] }).samples.a ?? [];
    expect(sample?.length).toBe(40);
    expect(sample?.endsWith('…')).toBe(true);
  });
});

describe('readPreview', () => {
  it('reads a CSV file with the import reader, column names as the server names them', async () => {
    const preview = await readPreview(csv('nom;code postal \nMairie;75001\nGare;75010\n'));
    const direct = await importFile(new TextEncoder().encode('nom;code postal \nMairie;75001\n'), {
      filename: 'lieux.csv',
    });
    expect(direct.ok).toBe(true);
    expect(preview?.fields).toEqual(direct.ok ? direct.table.fields : []);
    expect(preview?.rows.map((r) => r.nom)).toEqual(['Mairie', 'Gare']);
  });

  it('reads a large text file from its first bytes and drops the row the cut may have split', async () => {
    const line = `${'a'.repeat(60)},${'b'.repeat(60)}\n`;
    const rows = Math.ceil((PREVIEW_BYTES * 2) / line.length);
    const preview = await readPreview(csv(`x,y\n${line.repeat(rows)}`));
    expect(preview?.fields).toEqual(['x', 'y']);
    expect(preview?.rows[0]).toEqual({ x: 'a'.repeat(60), y: 'b'.repeat(60) });
  });

  it('gives no preview for a file it cannot read', async () => {
    expect(await readPreview(new File([new Uint8Array([0, 1, 2, 0, 0, 255])], 'x.csv'))).toBeNull();
  });
});
