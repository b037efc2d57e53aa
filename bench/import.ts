// Import and validation figures on real files: `npx tsx bench/import.ts`.
// Each case runs in its own child process so its peak RSS is its own. Prints, never fails on a time.
// Targets: import <= 1.5 x the raw papaparse parse (issue 19; was 3 in issue 3); validation >=
// 200,000 rows/s. The ratio that counts is the paired one: raw and import alternate in one process,
// round by round, so the machine's load drifts the same for both (BENCH_ROUNDS, default 9).

import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exportTable, importFile } from '@datapatch/io';
import { compileSchema, inferSchema } from '@datapatch/schema';
import Papa from 'papaparse';
import { median } from './stats.ts';

const data =
  process.env.DATAPATCH_SHARED_DATA ?? fileURLToPath(new URL('../../shared/data/', import.meta.url));
const files = {
  laposte: `${data}geo-reference/laposte_hexasmal.csv`,
  generic: `${data}acceslibre/data/generic.csv`,
};
const rounds = 5;

type Case = 'raw' | 'import' | 'validate' | 'xlsx' | 'paired';
const pairedRounds = Number(process.env.BENCH_ROUNDS ?? 9);

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
  if (kind === 'paired') {
    // One raw parse, one import, alternating (which goes first alternates too); the ratio per round.
    const rawParse = () => {
      const text = new TextDecoder().decode(bytes);
      return Papa.parse<string[]>(text, { delimiter: ';', newline: '\n' }).data.length;
    };
    const ratios: number[] = [];
    for (let round = 0; round < pairedRounds + 1; round++) {
      let rawMs = 0;
      let importMs = 0;
      for (const step of round % 2 === 0 ? ['raw', 'import'] : ['import', 'raw']) {
        // Each step starts on a clean heap, so neither pays for the other's garbage.
        (globalThis as { gc?: () => void }).gc?.();
        const start = performance.now();
        if (step === 'raw') rawParse();
        else if (!(await importFile(bytes, { filename: path })).ok) throw new Error('import failed');
        if (step === 'raw') rawMs = performance.now() - start;
        else importMs = performance.now() - start;
      }
      if (round > 0) ratios.push(importMs / rawMs); // round 0 warms both up
    }
    const extra = `paired, ${pairedRounds} rounds: importFile / raw median ${median(ratios).toFixed(2)} × (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`;
    // Run alone (`node --expose-gc --import tsx bench/import.ts paired FILE`), it prints.
    if (process.send) process.send({ extra });
    else console.log(extra);
  } else if (kind === 'raw') {
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
    const proc = fork(fileURLToPath(import.meta.url), [kind, path], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
    });
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
        ` — ${(imported.ms / raw.ms).toFixed(2)} × raw, best against best`,
    );
    const paired = await runChild('paired', path);
    console.log(`  ${paired.extra} (target <= 1.5)`);
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
