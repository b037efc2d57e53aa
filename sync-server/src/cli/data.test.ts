import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, temporaryDataDir } from '../testing/clients.ts';
import { cliDataMessages } from './data-messages.ts';
import { runExport } from './export.ts';
import { datasetIdFromFile, runImport } from './import.ts';
import { runValidate } from './validate.ts';

const repo = new URL('../../../', import.meta.url).pathname;
const cli = join(repo, 'sync-server/src/cli/main.ts');
const COVOIT = join(repo, 'packages/schema/fixtures/lieux-covoiturage');
const INCLUSION = join(repo, 'packages/schema/fixtures/inclusion-numerique');
const LAPOSTE = join(repo, 'packages/io/fixtures/laposte-latlon-head.csv');
const UNCLOSED = join(repo, 'packages/io/fixtures/laposte-unclosed-quote.csv');

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function datapatch(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: repo,
      env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', DATAPATCH_DATA_DIR: '', ...env },
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

/** The same commands in this process (spawning tsx costs seconds each on a busy machine). */
async function run(args: string[]): Promise<Run> {
  const [command, ...rest] = args;
  const out: Buffer[] = [];
  let stderr = '';
  const io = {
    out: (text: string) => void out.push(Buffer.from(text)),
    err: (text: string) => {
      stderr += `${text}\n`;
    },
    outBytes: (bytes: Uint8Array) => void out.push(Buffer.from(bytes)),
  };
  const m = cliDataMessages({ LANG: 'en' });
  const env = { DATAPATCH_DATA_DIR: '' };
  const code =
    command === 'import'
      ? await runImport(rest, env, m, io)
      : command === 'export'
        ? await runExport(rest, env, m, io)
        : await runValidate(rest, m, io);
  return { code, stdout: Buffer.concat(out), stderr };
}

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function tempDir(): string {
  const dir = temporaryDataDir();
  cleanups.push(dir.remove);
  return dir.dir;
}

describe('datapatch validate', () => {
  it('exits 0 on a valid file, 1 with the per-cell report on an invalid one, 2 on bad flags (two runs go through cli.ts)', async () => {
    const schema = join(COVOIT, 'schema.json');
    const [valid, invalid, asJson, noSchema, badFormat] = await Promise.all([
      // lieux-covoiturage's own "valid" example has horaires = "true", which its opening-hours
      // custom check refuses; inclusion-numerique's valid example passes its phone and hours checks.
      run(['validate', join(INCLUSION, 'exemple-valide.csv'), '--schema', join(INCLUSION, 'schema.json')]),
      datapatch(['validate', join(COVOIT, 'exemple-invalide.csv'), '--schema', schema]),
      run(['validate', join(COVOIT, 'exemple-invalide.csv'), '--schema', schema, '--format', 'json']),
      run(['validate', join(COVOIT, 'exemple-valide.csv')]),
      datapatch(['validate', join(COVOIT, 'exemple-valide.csv'), '--schema', schema, '--format', 'xml']),
    ]);
    expect(valid.code).toBe(0);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout.toString()).toContain('row 2, field "date_maj": type-error');
    expect(asJson.code).toBe(1);
    const report = JSON.parse(asJson.stdout.toString()) as {
      valid: boolean;
      errors: { row: number; field: string; code: string }[];
    };
    expect(report.valid).toBe(false);
    expect(report.errors).toContainEqual(
      expect.objectContaining({ row: 2, field: 'date_maj', code: 'type-error' }),
    );
    // The server validates with the opening-hours custom check (@datapatch/schema/server).
    expect(report.errors).toContainEqual(
      expect.objectContaining({ field: 'horaires', code: 'custom-check-error' }),
    );
    expect(noSchema.code).toBe(2);
    expect(badFormat.code).toBe(2);
  }, 60_000);
});

describe('datapatch validate: schema kinds and Datami custom props', () => {
  const SCHEMAS = join(repo, 'packages/schema/fixtures');
  const PING = join(SCHEMAS, 'datami-ping-tiers-lieux');

  it('validates JSON records against a JSON Schema (data·inclusion), cell by cell', async () => {
    const dir = tempDir();
    const file = join(dir, 'structures.json');
    writeFileSync(
      file,
      JSON.stringify([
        { source: 'dora', id: 'dora--1', nom: 'Centre social', date_maj: '2025-02-14' },
        { source: 'dora', id: 'dora--2', nom: 'CS', date_maj: '14/02/2025', site_web: 'javascript:alert(1)' },
      ]),
    );
    const result = await run([
      'validate',
      file,
      '--schema',
      join(SCHEMAS, 'data-inclusion-schema/v1/structure.json'),
      '--format',
      'json',
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout.toString()) as {
      errors: { row: number; field: string; code: string }[];
    };
    expect(report.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [2, 'date_maj', 'type-error'],
      [2, 'nom', 'constraint-error'],
      [2, 'site_web', 'type-error'],
    ]);
  });

  it('refuses {} and a draft-04 JSON Schema with exit 2 and a code naming the schema file', async () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.json');
    const draft4 = join(dir, 'draft4.json');
    writeFileSync(empty, '{}');
    writeFileSync(
      draft4,
      '{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "properties": {}}',
    );
    const csv = join(SCHEMAS, 'lieux-covoiturage/exemple-valide.csv');
    const [a, b] = await Promise.all([
      run(['validate', csv, '--schema', empty]),
      run(['validate', csv, '--schema', draft4]),
    ]);
    expect([a.code, b.code]).toEqual([2, 2]);
    expect(a.stderr).toContain('schema_invalid');
    expect(a.stderr).toContain(empty);
    expect(b.stderr).toContain('schema_kind_unsupported');
  });

  it("--custom-props: the PiNG file's 162 OUI/NON pass as booleans", async () => {
    const csv = join(PING, 'Ping-tiers-lieux-dataset.csv');
    const schema = join(PING, 'Ping-tiers-lieux-schema.json');
    const props = join(PING, 'Ping-tiers-lieux-fields-custom-props.json');
    const [without, withProps, badProps] = await Promise.all([
      run(['validate', csv, '--schema', schema, '--format', 'json']),
      run(['validate', csv, '--schema', schema, '--custom-props', props, '--format', 'json']),
      run(['validate', csv, '--schema', schema, '--custom-props', csv]),
    ]);
    const count = (r: Run, field: string) =>
      (JSON.parse(r.stdout.toString()) as { errors: { field: string }[] }).errors.filter(
        (e) => e.field === field,
      ).length;
    expect(count(without, 'FABRIQUE_DE_TERRITOIRE')).toBe(162);
    expect(count(withProps, 'FABRIQUE_DE_TERRITOIRE')).toBe(0);
    expect(count(withProps, 'TYPOLOGIE')).toBe(0);
    expect(badProps.code).toBe(2);
    expect(badProps.stderr).toContain('custom_props_invalid');
  });

  it('import --custom-props judges the 162 OUI/NON as the owners meant', async () => {
    const data = tempDir();
    const result = await run([
      'import',
      join(PING, 'Ping-tiers-lieux-dataset.csv'),
      '--schema',
      join(PING, 'Ping-tiers-lieux-schema.json'),
      '--custom-props',
      join(PING, 'Ping-tiers-lieux-fields-custom-props.json'),
      '--dataset',
      'ping',
      '--data',
      data,
    ]);
    expect(result.code).toBe(0);
    // 8 schema columns the file lacks, 2 en-dash tags, 20 departments, 22 links: not the 162 OUI/NON.
    expect(result.stdout.toString()).toContain('Invalid: 52 errors in 162 rows.');
  });
});

describe('datapatch import and export', () => {
  it('import, export CSV, import again: the same rows; the server then serves the dataset', async () => {
    const data = tempDir();
    const out = join(tempDir(), 'export.csv');
    const first = await run([
      'import',
      LAPOSTE,
      '--dataset',
      'laposte',
      '--title',
      'La Poste',
      '--data',
      data,
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout.toString()).toContain('300 rows');
    const exported = await run(['export', '--dataset', 'laposte', '--out', out, '--data', data]);
    expect(exported.code).toBe(0);
    expect((await run(['import', out, '--dataset', 'again', '--data', data])).code).toBe(0);
    const [a, b] = await Promise.all(
      ['laposte', 'again'].map((id) => run(['export', '--dataset', id, '--format', 'json', '--data', data])),
    );
    const rows = JSON.parse(a?.stdout.toString() ?? '') as unknown[];
    expect(rows).toHaveLength(300);
    expect(JSON.parse(b?.stdout.toString() ?? '')).toEqual(rows);

    const server = await startTestServer({ dataDir: data });
    cleanups.push(() => server.close());
    const listed = (await (await fetch(`${server.url}/api/datasets`)).json()) as {
      datasets: { id: string; title: string; rowCount: number }[];
    };
    expect(listed.datasets).toContainEqual(
      expect.objectContaining({ id: 'laposte', title: 'La Poste', rowCount: 300 }),
    );
    const page = (await (await fetch(`${server.url}/api/datasets/laposte/rows?q=vernay`)).json()) as {
      total: number;
    };
    expect(page.total).toBeGreaterThan(0);
  }, 120_000);

  it('exports the values as imported ("+2Foot", negative coordinates); --for excel guards formulas only', async () => {
    const data = tempDir();
    const reunion = join(repo, 'packages/io/fixtures/laposte-negative-coordinates.csv');
    const acceslibre = join(repo, 'packages/io/fixtures/acceslibre-exemple-plus-sign.csv');
    expect((await run(['import', reunion, '--dataset', 'reunion', '--data', data])).code).toBe(0);
    expect((await run(['import', acceslibre, '--dataset', 'acces', '--data', data])).code).toBe(0);
    const [poste, acces, excel, wrong] = await Promise.all([
      run(['export', '--dataset', 'reunion', '--separator', ';', '--data', data]),
      run(['export', '--dataset', 'acces', '--data', data]),
      run(['export', '--dataset', 'acces', '--for', 'excel', '--data', data]),
      run(['export', '--dataset', 'acces', '--for', 'excel', '--format', 'json', '--data', data]),
    ]);
    expect(poste.stdout.toString()).toBe(readFileSync(reunion, 'utf8').replaceAll('\n', '\r\n'));
    expect(acces.stdout.toString()).toContain(',+2Foot,');
    const forExcel = excel.stdout.toString();
    expect([...excel.stdout.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(forExcel).toContain(";'+2Foot;");
    expect(forExcel).toContain(';4.129724800586701;');
    expect(wrong.code).toBe(2);
  }, 60_000);

  it('exports for spreadsheets (BOM, ;) and as a data package', async () => {
    const data = tempDir();
    expect(
      (
        await run([
          'import',
          join(COVOIT, 'exemple-valide.csv'),
          '--schema',
          join(COVOIT, 'schema.json'),
          '--data',
          data,
        ])
      ).code,
    ).toBe(0);
    const [csv, pkg] = await Promise.all([
      datapatch(['export', '--dataset', 'exemple-valide', '--bom', '--separator', ';', '--data', data]),
      run(['export', '--dataset', 'exemple-valide', '--format', 'datapackage', '--data', data]),
    ]);
    expect([...csv.stdout.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.stdout.toString().split('\r\n')[0]).toMatch(/^\uFEFFid_local;nom_lieu;/);
    expect(pkg.stdout.subarray(0, 2).toString()).toBe('PK');
  }, 60_000);

  it('writes nothing for a refused file and says so; bad flags exit 2', async () => {
    const data = tempDir();
    const empty = join(tempDir(), 'empty.csv');
    writeFileSync(empty, '');
    const refused = await run(['import', empty, '--data', data]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('file-empty');
    const strict = await run([
      'import',
      join(COVOIT, 'exemple-invalide.csv'),
      '--schema',
      join(COVOIT, 'schema.json'),
      '--strict',
      '--data',
      data,
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('rows_invalid');
    const [gone, gone2, badFlag, badFormat, badId] = await Promise.all([
      run(['export', '--dataset', 'empty', '--data', data]),
      run(['export', '--dataset', 'exemple-invalide', '--data', data]),
      run(['import', empty, '--frobnicate']),
      run(['export', '--dataset', 'x', '--format', 'pdf', '--data', data]),
      run(['import', empty, '--dataset', 'a/b']),
    ]);
    expect(gone.code).toBe(1);
    expect(gone2.code).toBe(1);
    // Nothing was written: not even a database.
    expect(gone.stderr).toContain('no Data Patch data');
    expect([badFlag.code, badFormat.code, badId.code]).toEqual([2, 2, 2]);
    expect(readFileSync(empty, 'utf8')).toBe('');
  }, 60_000);

  it('a refused import leaves no datapatch.sqlite behind', async () => {
    const data = join(tempDir(), 'fresh');
    const empty = join(tempDir(), 'empty.csv');
    writeFileSync(empty, '');
    expect((await run(['import', empty, '--data', data])).code).toBe(1);
    expect((await run(['import', UNCLOSED, '--data', data])).code).toBe(1);
    expect(existsSync(join(data, 'datapatch.sqlite'))).toBe(false);
    expect(existsSync(data)).toBe(false);
  });

  it('names a missing or binary --schema as the schema, without echoing its bytes', async () => {
    const data = tempDir();
    const binary = join(tempDir(), 'schema.json');
    writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x53, 0x45, 0x43, 0x52, 0x45, 0x54]));
    const missing = join(tempDir(), 'absent.json');
    const [gone, bin, validateGone, validateBin] = await Promise.all([
      run(['import', LAPOSTE, '--schema', missing, '--data', data]),
      run(['import', LAPOSTE, '--schema', binary, '--data', data]),
      run(['validate', LAPOSTE, '--schema', missing]),
      run(['validate', LAPOSTE, '--schema', binary]),
    ]);
    for (const r of [gone, validateGone]) {
      expect(r.stderr).toContain(`the schema ${missing} (schema-missing)`);
      expect(r.stderr).not.toContain(LAPOSTE);
    }
    for (const r of [bin, validateBin]) {
      expect(r.stderr).toContain(`the schema ${binary} (schema-binary)`);
      expect(r.stderr).not.toContain('SECRET');
      expect(r.stderr).not.toContain('PK');
    }
    expect([gone.code, bin.code, validateGone.code, validateBin.code]).toEqual([1, 1, 2, 2]);
    expect(existsSync(join(data, 'datapatch.sqlite'))).toBe(false);
  });

  it('an unclosed quote is refused with its line unless --accept-repairs; every repair is listed', async () => {
    const data = tempDir();
    const refused = await run(['import', UNCLOSED, '--dataset', 'poste', '--data', data]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refused (csv-unclosed-quote)');
    expect(refused.stderr).toContain('line 5, row 4: unclosed-quote');
    const accepted = await run([
      'import',
      UNCLOSED,
      '--dataset',
      'poste',
      '--accept-repairs',
      '--data',
      data,
    ]);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout.toString()).toContain('37 rows');
    expect(accepted.stdout.toString()).toContain('1 repair:\n  line 5, row 4: unclosed-quote');
    const strict = await run([
      'import',
      UNCLOSED,
      '--dataset',
      'x',
      '--accept-repairs',
      '--strict',
      '--data',
      data,
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('repairs-refused');
  });

  it('validate lists the padded rows and renamed headers with their lines; --strict refuses them', async () => {
    const schema = join(repo, 'packages/schema/fixtures/dae/schema.json');
    const dae = join(repo, 'packages/schema/fixtures/dae/exemple_invalide.csv');
    const [plain, strict, unclosed, accepted] = await Promise.all([
      run(['validate', dae, '--schema', schema]),
      run(['validate', dae, '--schema', schema, '--strict', '--format', 'json']),
      run(['validate', UNCLOSED, '--schema', schema]),
      run(['validate', UNCLOSED, '--schema', schema, '--accept-repairs', '--format', 'json']),
    ]);
    expect(plain.stdout.toString()).toContain(
      '1 repair:\n  line 1, header, column 26 " fab_rais" → "fab_rais": header-trimmed',
    );
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout.toString())).toMatchObject({
      ok: false,
      error: { code: 'repairs-refused' },
    });
    expect(unclosed.code).toBe(1);
    expect(unclosed.stderr).toContain('csv-unclosed-quote');
    expect(JSON.parse(accepted.stdout.toString())).toMatchObject({
      ok: true,
      rows: 37,
      repairs: [{ kind: 'unclosed-quote', line: 5, row: 4 }],
    });
  });

  it('names a dataset after its file', () => {
    expect(datasetIdFromFile('/tmp/Lieux publics (2024).csv')).toBe('Lieux-publics-2024');
    expect(datasetIdFromFile('écoles.xlsx')).toBe('ecoles');
  });
});
