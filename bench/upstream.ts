// Taking in a new upstream release, on real files: `npx tsx bench/upstream.ts`.
// The France services list (2,683 places, key id_fs) and Acceslibre's generic.csv (29,290 places,
// key id), each against the hubs' copy with 1,000 local corrections. Prints, never fails on a time.
// The ratio that counts is paired: the plain import and the merge alternate in one process, round by
// round, so the machine's load drifts the same for both (BENCH_ROUNDS, default 9).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Cell, importFile, mulberry32, type Table } from '@datapatch/io';
import { dryRun, type HubRecord, mergeUpstream } from '@datapatch/upstream';
import { median } from './stats.ts';

const data =
  process.env.DATAPATCH_SHARED_DATA ?? fileURLToPath(new URL('../../shared/data/', import.meta.url));
const cases = [
  { name: 'france-services', path: `${data}france-services/liste-fs-20221201.csv`, key: ['id_fs'] },
  { name: 'acceslibre generic', path: `${data}acceslibre/data/generic.csv`, key: ['id'] },
];
const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const corrections = 1_000;

/**
 * The hubs' copy (the release with `corrections` fields changed on distinct records) and the next
 * release (1 % of the records with a field changed, 0.5 % removed, 0.5 % new), as plain data.
 */
function scenario(base: Table, key: string[]): { ours: HubRecord[]; next: Table } {
  const random = mulberry32(17); // the same edits on every run
  const editable = base.fields.filter((f) => !key.includes(f));
  const field = () => editable[Math.floor(random() * editable.length)]!;
  const ours: HubRecord[] = base.rows.map((values, i) => ({ id: `r${i}`, values: { ...values } }));
  const order = ours.map((_, i) => i).sort(() => random() - 0.5);
  for (const i of order.slice(0, corrections)) {
    const record = ours[i]!;
    const f = field();
    record.values[f] = `${record.values[f] ?? ''} (corrigé)`;
  }
  const next: Table = { fields: base.fields, rows: [] };
  const onePercent = Math.max(1, Math.round(base.rows.length / 100));
  base.rows.forEach((row, i) => {
    const draw = random();
    if (draw < 0.005) return;
    if (draw < 0.015) {
      const f = field();
      next.rows.push({ ...row, [f]: `${row[f] ?? ''} (mis à jour)` });
    } else next.rows.push(row);
    if (i < onePercent / 2) {
      const added: Record<string, Cell> = { ...row };
      for (const k of key) added[k] = `new-${i}`;
      next.rows.push(added);
    }
  });
  return { ours, next };
}

async function measure(name: string, path: string, key: string[]): Promise<void> {
  const bytes = new Uint8Array(readFileSync(path));
  const first = await importFile(bytes, { filename: path });
  if (!first.ok) throw new Error(`${name}: ${first.error.code}`);
  const base = first.table;
  const { ours, next } = scenario(base, key);
  const summary = dryRun(mergeUpstream({ base, upstream: next, ours, key })).counts;
  console.log(
    `${name}: ${base.rows.length} rows, ${ours.length} hub records, next release ${next.rows.length} rows`,
  );
  console.log(`  plan: ${JSON.stringify(summary)}`);

  const importMs: number[] = [];
  const mergeMs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds + 1; round++) {
    let imported = 0;
    let merged = 0;
    for (const step of round % 2 === 0 ? ['import', 'merge'] : ['merge', 'import']) {
      (globalThis as { gc?: () => void }).gc?.();
      const start = performance.now();
      if (step === 'import') {
        if (!(await importFile(bytes, { filename: path })).ok) throw new Error('import failed');
        imported = performance.now() - start;
      } else {
        mergeUpstream({ base, upstream: next, ours, key });
        merged = performance.now() - start;
      }
    }
    if (round === 0) continue; // warms both up
    importMs.push(imported);
    mergeMs.push(merged);
    ratios.push(merged / imported);
  }
  console.log(
    `  plain import (importFile) median ${median(importMs).toFixed(1)} ms; merge (mergeUpstream) median ${median(mergeMs).toFixed(1)} ms (min ${Math.min(...mergeMs).toFixed(1)}, max ${Math.max(...mergeMs).toFixed(1)})`,
  );
  console.log(
    `  merge / plain import, paired over ${rounds} rounds: median ${median(ratios).toFixed(2)} × (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`,
  );
}

let measured = 0;
for (const { name, path, key } of cases) {
  if (!existsSync(path)) {
    console.log(
      `${name}: ${path} is missing (../shared/data is absent from a fresh clone): nothing measured`,
    );
    continue;
  }
  await measure(name, path, key);
  measured++;
}
if (measured === 0) console.log('bench/upstream.ts measured nothing: ../shared/data is missing');
