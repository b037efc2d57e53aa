// Seeded random CSV files (separators, quoting, line ends, BOM, awkward cells) must import to
// exactly the table they were written from. Replay a failure with DATAPATCH_SEED=<seed>;
// DATAPATCH_EXTENSIVE=1 runs many more files.
import Papa from 'papaparse';
import { expect, it } from 'vitest';
import { importFile } from './index.ts';
import { mulberry32, testSeed } from './seededRandom.ts';

const seed = testSeed();
const files = process.env.DATAPATCH_EXTENSIVE ? 2000 : 150;
const pieces = [
  'a',
  'Zoé',
  'ç',
  '12',
  '-3,5',
  ' ',
  ',',
  ';',
  '\t',
  '|',
  '"',
  '\n',
  '\r\n',
  'œuvre',
  '€',
  'x y',
  '',
];

it(`random CSV files import to the table they were written from (seed ${seed}, ${files} files)`, async () => {
  console.log(`[csv random round trip] DATAPATCH_SEED=${seed}`);
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let file = 0; file < files; file++) {
    const width = 2 + Math.floor(random() * 6);
    const height = 1 + Math.floor(random() * 30);
    const fields = Array.from(
      { length: width },
      (_, i) => `champ_${i}_${pick(['nom', 'ville', 'prix', 'été'])}`,
    );
    const cell = () => Array.from({ length: Math.floor(random() * 4) }, () => pick(pieces)).join('');
    const rows = Array.from({ length: height }, () => fields.map(() => cell()));
    const delimiter = pick([',', ';', '\t', '|']);
    const newline = pick(['\n', '\r\n', '\r']);
    const text = Papa.unparse({ fields, data: rows }, { delimiter, newline, quotes: random() < 0.3 });
    const bom = random() < 0.3 ? '\uFEFF' : '';
    const finalNewline = random() < 0.5 ? newline : '';
    const bytes = new TextEncoder().encode(bom + text + finalNewline);
    const result = await importFile(bytes);
    const context = `seed ${seed}, file ${file}, delimiter ${JSON.stringify(delimiter)}, newline ${JSON.stringify(newline)}`;
    expect(result.ok, context).toBe(true);
    if (!result.ok) return;
    expect(result.report.separator, context).toBe(delimiter);
    expect(result.table.fields, context).toEqual(fields);
    // A row whose cells are all empty is written as separators only, never as a blank line.
    expect(result.table.rows, context).toEqual(
      rows.map((r) => Object.fromEntries(fields.map((f, i) => [f, r[i]]))),
    );
  }
});
