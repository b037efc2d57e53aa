// Import and validation figures on real files: `npx tsx bench/import.ts`.
// Each case runs in its own child process so its peak RSS is its own. Prints, never fails on a time.
// Targets (DESIGN/issue 3): import <= 3 x the raw papaparse parse; validation >= 200,000 rows/s.

import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exportTable, importFile } from '@datapatch/io';
import { compileSchema, inferSchema } from '@datapatch/schema';
import Papa from 'papaparse';

const data =
  process.env.DATAPATCH_SHARED_DATA ?? fileURLToPath(new URL('../../shared/data/', import.meta.url));
const files = {
  laposte: `${data}geo-reference/laposte_hexasmal.csv`,
  generic: `${data}acceslibre/data/generic.csv`,
};
const rounds = 5;

type Case = 'raw' | 'import' | 'validate' | 'xlsx';

function best(run: () => void): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

async function bestAsync(run: () => Promise<void>): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

async function child(kind: Case, path: string): Promise<void> {
  const bytes = new Uint8Array(readFileSync(path));
  let rows = 0;
  let ms = 0;
  if (kind === 'raw') {
    // The floor: decode the bytes and let papaparse split them, separator given, no objects built.
    ms = best(() => {
      const text = new TextDecoder().decode(bytes);
      rows = Papa.parse<string[]>(text, { delimiter: ';', newline: '\n' }).data.length - 2;
    });
  } else if (kind === 'import') {
    ms = await bestAsync(async () => {
      const result = await importFile(bytes, { filename: path });
      if (!result.ok) throw new Error(result.error.code);
      rows = result.table.rows.length;
    });
  } else if (kind === 'xlsx') {
    // The same rows as an XLSX workbook (made by exportTable, not timed), imported once.
    const csv = await importFile(bytes, { filename: path });
    if (!csv.ok) throw new Error(csv.error.code);
    const workbook = await exportTable(csv.table, { format: 'xlsx' });
    const start = performance.now();
    const result = await importFile(workbook, { filename: 'laposte.xlsx' });
    ms = performance.now() - start;
    if (!result.ok) throw new Error(result.error.code);
    rows = result.table.rows.length;
  } else {
    const result = await importFile(bytes, { filename: path });
    if (!result.ok) throw new Error(result.error.code);
    const validator = compileSchema(inferSchema(result.table));
    const table = result.table.rows;
    rows = table.length;
    ms = best(() => {
      for (let i = 0; i < table.length; i++) validator.validateRow(table[i]!, i + 1);
    });
    const whole = best(() => validator.validateTable(table));
    process.send?.({
      extra: `validateTable (with unique/labels) ${Math.round((rows / whole) * 1000).toLocaleString('en')} rows/s`,
    });
  }
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.send?.({ rows, ms, peakRssMb });
}

function runChild(
  kind: Case,
  path: string,
): Promise<{ rows: number; ms: number; peakRssMb: number; extra?: string }> {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), [kind, path], { execArgv: ['--import', 'tsx'] });
    let extra: string | undefined;
    proc.on('message', (message: { extra?: string; rows?: number; ms?: number; peakRssMb?: number }) => {
      if (message.extra) extra = message.extra;
      else resolve({ rows: message.rows!, ms: message.ms!, peakRssMb: message.peakRssMb!, extra });
    });
    proc.on('error', reject);
    proc.on('exit', (code) => code !== 0 && reject(new Error(`${kind} exited ${code}`)));
  });
}

async function main(): Promise<void> {
  if (!existsSync(data)) {
    console.log(`bench/import: ${data} is missing (it holds the real files); nothing measured.`);
    return;
  }
  console.log(`bench/import — node ${process.version}, best of ${rounds} runs, peak RSS per child process`);
  for (const [name, path] of Object.entries(files)) {
    const raw = await runChild('raw', path);
    const imported = await runChild('import', path);
    const rate = (r: { rows: number; ms: number }) => Math.round((r.rows / r.ms) * 1000).toLocaleString('en');
    console.log(`\n${name} (${imported.rows.toLocaleString('en')} rows)`);
    console.log(
      `  papaparse raw parse : ${raw.ms.toFixed(0)} ms, ${rate(raw)} rows/s, peak RSS ${raw.peakRssMb} MB`,
    );
    console.log(
      `  importFile          : ${imported.ms.toFixed(0)} ms, ${rate(imported)} rows/s, peak RSS ${imported.peakRssMb} MB` +
        ` — ${(imported.ms / raw.ms).toFixed(2)} × raw (target <= 3)`,
    );
  }
  const xlsx = await runChild('xlsx', files.laposte);
  console.log(`\nlaposte as XLSX (written by exportTable), one importFile run`);
  console.log(
    `  importFile xlsx     : ${xlsx.ms.toFixed(0)} ms, ${Math.round((xlsx.rows / xlsx.ms) * 1000).toLocaleString('en')} rows/s, ` +
      `peak RSS ${xlsx.peakRssMb} MB (includes the CSV import and export that made it)`,
  );
  const validation = await runChild('validate', files.generic);
  console.log(`\ngeneric.csv validation against its inferred schema`);
  console.log(
    `  validateRow × ${validation.rows.toLocaleString('en')}: ${validation.ms.toFixed(0)} ms, ` +
      `${Math.round((validation.rows / validation.ms) * 1000).toLocaleString('en')} rows/s (target >= 200,000)`,
  );
  if (validation.extra) console.log(`  ${validation.extra}`);
}

const [kind, path] = process.argv.slice(2);
if (kind && path) await child(kind as Case, path);
else await main();
