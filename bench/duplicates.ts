/**
 * Likely duplicates at the size of an instance (issue 18): one new record checked against
 * ~33,000 records of four datasets (Acceslibre generic.csv, France services, BFC, Doubs), and
 * the whole Acceslibre file checked against itself.
 * Run: npx tsx bench/duplicates.ts   (BENCH_QUERIES sets the queries, 2000; BENCH_SEED the seed)
 * It measures, it never fails on a figure; it exits 0 with a message when ../shared/data is missing.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '@datapatch/io';
import { importFilePath } from '@datapatch/io/node';
import { DuplicateIndex, deriveFieldRoles, type FieldRoles } from '@datapatch/quality';
import { median } from './stats.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.DATAPATCH_SHARED_DATA ?? resolve(repoRoot, '../shared/data');
const files: Record<string, string> = {
  acceslibre: 'acceslibre/data/generic.csv',
  'france-services': 'france-services/liste-fs-20221201.csv',
  'bfc-ternum': 'datami-bfc-ternum/csv/bfc-ternum-dataset.csv',
  'doubs-inclusion': 'datami-doubs-inclusion/csv/geocoding/geocoded.csv',
};
const missing = Object.values(files).filter((f) => !existsSync(resolve(dataDir, f)));
if (missing.length > 0) {
  console.log(
    `bench/duplicates: skipped, ${missing.join(', ')} missing from ${dataDir} (the shared data folder is not on this machine).`,
  );
  process.exit(0);
}

type Values = Record<string, string | number | boolean | null>;
interface Dataset {
  id: string;
  roles: FieldRoles;
  rows: Values[];
}

const datasets: Dataset[] = [];
for (const [id, file] of Object.entries(files)) {
  const result = await importFilePath(resolve(dataDir, file));
  if (!result.ok) throw new Error(`${file}: ${result.error.code}`);
  const roles = deriveFieldRoles(result.table.fields.map((name) => ({ name })));
  datasets.push({ id, roles, rows: result.table.rows });
}
const total = datasets.reduce((n, d) => n + d.rows.length, 0);

function buildIndex(only?: string): DuplicateIndex {
  const index = new DuplicateIndex();
  for (const d of datasets) {
    if (only && d.id !== only) continue;
    for (const [i, row] of d.rows.entries())
      index.add({ datasetId: d.id, recordId: String(i) }, row, d.roles);
  }
  return index;
}

const seed = Number(process.env.BENCH_SEED ?? 18);
const random = mulberry32(seed);

/** A record a citizen might propose: an existing one retyped without accents and moved a little. */
function newRecord(d: Dataset, row: Values): Values {
  const out: Values = { ...row };
  const name = d.roles.name;
  if (name)
    out[name] = String(row[name] ?? '')
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase();
  for (const role of ['latitude', 'longitude'] as const) {
    const field = d.roles[role];
    const value = field ? Number(row[field]) : Number.NaN;
    if (field && Number.isFinite(value)) out[field] = value + (random() - 0.5) * 0.0008;
  }
  return out;
}

console.log(
  `bench/duplicates: ${total} records in ${datasets.length} datasets (${datasets.map((d) => `${d.id} ${d.rows.length}`).join(', ')}), seed ${seed}`,
);

const builds: number[] = [];
let index = new DuplicateIndex();
for (let run = 0; run < 3; run++) {
  const start = performance.now();
  index = buildIndex();
  builds.push(performance.now() - start);
}
console.log(
  `index build, all ${index.size} records: median ${median(builds).toFixed(0)} ms (runs ${builds.map((b) => b.toFixed(0)).join(', ')})`,
);

const queries = Number(process.env.BENCH_QUERIES ?? 2000);
const queriesCpu = process.cpuUsage();
const times: number[] = [];
let withCandidates = 0;
let candidates = 0;
for (let q = 0; q < queries + 200; q++) {
  const d = datasets[Math.floor(random() * datasets.length)]!;
  const row = d.rows[Math.floor(random() * d.rows.length)]!;
  const values = newRecord(d, row);
  const start = performance.now();
  const found = index.candidates(values, d.roles);
  const took = performance.now() - start;
  if (q < 200) continue; // warm-up
  times.push(took);
  if (found.length > 0) withCandidates++;
  candidates += found.length;
}
const queryCpu = process.cpuUsage(queriesCpu);
times.sort((a, b) => a - b);
const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
console.log(
  `one new record against ${index.size}: p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms wall over ${queries} queries (target p99 ≤ 50 ms); mean CPU ${((queryCpu.user + queryCpu.system) / 1000 / (queries + 200)).toFixed(2)} ms; ${withCandidates} queries found candidates, ${(candidates / queries).toFixed(2)} per query`,
);

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const cpuStart = process.cpuUsage();
const start = performance.now();
const acceslibre = buildIndex('acceslibre');
const built = performance.now() - start;
const pairsStart = performance.now();
let pairs = 0;
const byReason = new Map<string, number>();
const examples: string[] = [];
const rows = datasets.find((d) => d.id === 'acceslibre')!;
for (const [a, c] of acceslibre.likelyPairs()) {
  pairs++;
  const key = c.reasons.map((r) => r.code).join('+');
  byReason.set(key, (byReason.get(key) ?? 0) + 1);
  if (examples.length < 8 && random() < 0.02) {
    const name = (i: string) => rows.rows[Number(i)]![rows.roles.name!];
    examples.push(`  ${c.score} ${name(a.recordId)} ~ ${name(c.ref.recordId)} (${key})`);
  }
}
const checked = performance.now() - pairsStart;
const cpu = cpuMs(cpuStart);
console.log(
  `Acceslibre against itself (${acceslibre.size} records): index ${built.toFixed(0)} ms, pairs ${checked.toFixed(0)} ms, total ${(built + checked).toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU; ${pairs} likely pairs`,
);
for (const [key, n] of [...byReason].sort((x, y) => y[1] - x[1]).slice(0, 6)) console.log(`  ${n} × ${key}`);
console.log('a few pairs found:');
for (const line of examples) console.log(line);
