import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { importFilePath } from './node.ts';

const dir = mkdtempSync(join(tmpdir(), 'datapatch-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reads a file from disk, its name choosing the format', async () => {
  const path = join(dir, 'lieux.tsv');
  writeFileSync(path, 'nom\tville\nMairie\tDole\n');
  const result = await importFilePath(path);
  expect(result).toMatchObject({
    ok: true,
    report: { format: 'tsv' },
    table: { rows: [{ nom: 'Mairie', ville: 'Dole' }] },
  });
});

it('refuses a file larger than the cap from its size on disk', async () => {
  const path = join(dir, 'gros.csv');
  writeFileSync(path, 'a,b\n'.repeat(1000));
  expect(await importFilePath(path, { maxBytes: 100 })).toMatchObject({
    ok: false,
    error: { code: 'file-too-large' },
  });
});
