import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ImportResult, importFile, refusedRepairs, repairWarnings } from './index.ts';

const io = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const schemaFixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../schema/fixtures/${name}`, import.meta.url)));

function ok(result: ImportResult) {
  if (!result.ok) throw new Error(`import failed: ${result.error.code}`);
  return result;
}

describe('an unclosed quote (La Poste excerpt with one quote added, fixtures/README.md)', () => {
  it('no longer swallows the following lines: every row is read, the repair named with its line', async () => {
    const { table, report } = ok(await importFile(io('laposte-unclosed-quote.csv')));
    // papaparse read 4 rows: the quote on line 5 took the 33 lines after it into one cell.
    expect(table.rows).toHaveLength(37);
    expect(table.rows[3]).toMatchObject({
      Code_commune_INSEE: '97306',
      Nom_commune: '"MANA',
      Code_postal: '97360',
    });
    expect(table.rows[4]).toMatchObject({ Nom_commune: 'ROURA' });
    expect(report.repairs).toEqual([{ row: 4, line: 5, kind: 'unclosed-quote' }]);
  });

  it('refuses the file unless the repair is accepted; strict refuses it even then', async () => {
    const { report } = ok(await importFile(io('laposte-unclosed-quote.csv')));
    expect(refusedRepairs(report)?.error.code).toBe('csv-unclosed-quote');
    expect(refusedRepairs(report)?.error.message.en).toContain('line 5');
    expect(refusedRepairs(report, { acceptRepairs: true })).toBeNull();
    expect(refusedRepairs(report, { acceptRepairs: true, strict: true })?.error.code).toBe('repairs-refused');
  });
});

describe('repairs of real files, said with their lines', () => {
  it('DAE: ", " separator and no final newline are no repair; the header name with two spaces is', async () => {
    const { table, report } = ok(await importFile(schemaFixture('dae/exemple_invalide.csv')));
    expect(report.separator).toBe(', ');
    expect(table.rows).toHaveLength(4);
    expect(repairWarnings(report)).toEqual([
      {
        kind: 'header-trimmed',
        line: 1,
        row: null,
        column: { position: 26, from: ' fab_rais', to: 'fab_rais' },
      },
    ]);
    expect(refusedRepairs(report)).toBeNull();
    expect(refusedRepairs(report, { strict: true })?.error.code).toBe('repairs-refused');
  });

  it('eucircos: each short row padded, with its row and its line', async () => {
    const { report } = ok(await importFile(io('eucircos-excerpt-short-rows.csv')));
    expect(repairWarnings(report)).toEqual(
      [101, 102, 103].map((row) => ({ kind: 'short-row-padded', line: row + 1, row, detail: '13/14' })),
    );
    expect(refusedRepairs(report)).toBeNull();
    expect(refusedRepairs(report, { strict: true })?.error.code).toBe('repairs-refused');
  });

  it('names the renamed empty headers of the Doubs file', async () => {
    const { report } = ok(await importFile(io('doubs-bom-semicolon-empty-headers.csv')));
    const empty = repairWarnings(report).filter((w) => w.kind === 'header-empty');
    expect(empty).toHaveLength(4);
    expect(empty[0]).toMatchObject({
      line: 1,
      column: { from: '', to: expect.stringMatching(/^column_\d+$/) },
    });
  });

  it('lets a clean real file through, strict or not', async () => {
    const { report } = ok(await importFile(io('laposte-negative-coordinates.csv')));
    expect(repairWarnings(report)).toEqual([]);
    expect(refusedRepairs(report, { strict: true })).toBeNull();
  });
});
