import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importFile } from '@datapatch/io';
import { describe, expect, it } from 'vitest';
import { compileSchema, inferSchema } from './index.ts';

describe('inferSchema', () => {
  const table = {
    fields: ['cp', 'nb', 'prix', 'ouvert', 'maj', 'type', 'nom', 'site', 'vide'],
    rows: [
      {
        cp: '01000',
        nb: '3',
        prix: '2.5',
        ouvert: 'true',
        maj: '2024-01-02',
        type: 'mairie',
        nom: 'A',
        site: 'https://a.fr',
        vide: '',
      },
      {
        cp: '75001',
        nb: '12',
        prix: '3',
        ouvert: 'false',
        maj: '2024-02-03',
        type: 'école',
        nom: 'B',
        site: '',
        vide: '',
      },
      {
        cp: '69001',
        nb: '',
        prix: '-1',
        ouvert: 'true',
        maj: '2024-03-04',
        type: 'mairie',
        nom: 'C',
        site: 'https://c.fr',
        vide: '',
      },
      {
        cp: '13001',
        nb: '7',
        prix: '0',
        ouvert: 'false',
        maj: '2024-04-05',
        type: 'école',
        nom: 'D',
        site: 'https://d.fr',
        vide: '',
      },
    ],
  };
  const schema = inferSchema(table);
  const byName = Object.fromEntries(schema.fields.map((f) => [f.name, f]));

  it('keeps codes with leading zeros as text', () => {
    expect(byName.cp?.type).toBe('string');
  });

  it('finds numbers, booleans, dates and URLs, and required columns', () => {
    expect(byName.nb).toEqual({ name: 'nb', type: 'integer' });
    expect(byName.prix).toMatchObject({ type: 'number', constraints: { required: true } });
    expect(byName.ouvert?.type).toBe('boolean');
    expect(byName.maj?.type).toBe('date');
    expect(byName.site).toMatchObject({ type: 'string', format: 'uri' });
    expect(byName.vide).toEqual({ name: 'vide', type: 'string' });
  });

  it('reads French decimal commas as numbers, and leaves "lat,lon" pairs as text', () => {
    const inferred = inferSchema({
      fields: ['prix', 'gps'],
      rows: [
        { prix: '3,5', gps: '46.16,4.52' },
        { prix: '12', gps: '48.85,2.35' },
      ],
    });
    expect(inferred.fields).toEqual([
      { name: 'prix', type: 'number', decimalChar: ',', constraints: { required: true } },
      { name: 'gps', type: 'string', constraints: { required: true } },
    ]);
  });

  it('proposes an enum for a small closed set of repeated values, not for names', () => {
    expect(byName.type?.constraints?.enum).toEqual(['mairie', 'école']);
    expect(byName.nom?.constraints?.enum).toBeUndefined();
  });

  it('the table it was inferred from is valid against it', () => {
    expect(compileSchema(schema).validateTable(table.rows).errors).toEqual([]);
  });
});

// Every real dataset must pass the schema inferred from it, or the owner starts from a schema that
// rejects their own data.
const shared = new URL('../../../../shared/data/', import.meta.url).pathname;
const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const useShared = existsSync(shared);
if (!useShared) console.log(`[inferSchema] ${shared} is absent: using the committed fixtures only`);

function csvFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return csvFiles(path);
    return name.endsWith('.csv') ? [path] : [];
  });
}

describe('every dataset passes the schema inferred from it', () => {
  const root = useShared ? shared : fixtures;
  it.each(csvFiles(root).map((path) => [relative(root, path), path]))('%s', async (_, path) => {
    const imported = await importFile(new Uint8Array(readFileSync(path)));
    if (!imported.ok) throw new Error(imported.error.code);
    const schema = inferSchema(imported.table);
    const report = compileSchema(schema).validateTable(imported.table.rows, {
      labels: imported.table.fields,
    });
    expect(report.errors.slice(0, 5)).toEqual([]);
  });
});
