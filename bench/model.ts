/**
 * Benchmark of the validated document's row layout on a real file (acceslibre, 29,290 rows):
 * encoded size, load time and heap after load, each beside JSON.parse of the same rows (the floor).
 * Run: node --expose-gc --import tsx bench/model.ts   (without --expose-gc, heap figures are skipped)
 * It measures, it never fails on a figure; it exits 0 with a message when ../shared/data is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CellValue, createDataset, foldIn, RowIndex, setCell } from '@datapatch/core';
import Papa from 'papaparse';
import * as Y from 'yjs';
import { median } from './stats.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.DATAPATCH_SHARED_DATA ?? resolve(repoRoot, '../shared/data');
const csvPath = resolve(dataDir, 'acceslibre/data/generic.csv');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

if (!existsSync(csvPath)) {
  console.log(`bench/model: skipped, ${csvPath} is missing (the shared data folder is not on this machine).`);
  process.exit(0);
}

const gc = (globalThis as { gc?: () => void }).gc;
const actor = { id: 'bench' };

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/** Heap retained by what `fn` returns, in bytes (NaN without --expose-gc). */
function retainedHeap<T>(fn: () => T): { bytes: number; value: T } {
  if (!gc) return { bytes: Number.NaN, value: fn() };
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const value = fn();
  gc();
  gc();
  return { bytes: process.memoryUsage().heapUsed - before, value };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

// --- input
const csvBytes = readFileSync(csvPath);
const parsed = Papa.parse<Record<string, string>>(csvBytes.toString('utf8'), {
  header: true,
  delimiter: ';',
  skipEmptyLines: true,
});
const rows = parsed.data as Record<string, CellValue>[];
const fieldNames = parsed.meta.fields ?? [];
console.log(
  `input: ${csvPath.slice(dataDir.length + 1)}, ${rows.length} rows × ${fieldNames.length} columns, ${mb(csvBytes.length)}`,
);

// --- build
const built = time(() => {
  const doc = new Y.Doc();
  createDataset(
    doc,
    {
      meta: { datasetId: 'acceslibre', title: 'acceslibre generic' },
      schema: { fields: fieldNames.map((name) => ({ name, type: 'string' })) },
      rows,
    },
    actor,
  );
  return doc;
});
const update = Y.encodeStateAsUpdate(built.value);
console.log(`build: createDataset ${built.ms.toFixed(0)} ms`);

// --- the floor: the same rows as a JSON array of objects
const json = JSON.stringify(rows);
const jsonBytes = Buffer.byteLength(json);
const floorTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  gc?.(); // each timed run starts from a collected heap, for the floor as for the layout
  floorTimes.push(time(() => JSON.parse(json)).ms);
}
const floorHeap = retainedHeap(() => JSON.parse(json) as unknown[]);

// --- load: decode the update, then build the RowIndex the app reads
function load(): { doc: Y.Doc; index: RowIndex } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const index = new RowIndex(doc);
  index.size; // row order is computed lazily; the app needs it at once
  return { doc, index };
}
const loadTimes: number[] = [];
const decodeTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  gc?.();
  decodeTimes.push(time(() => Y.applyUpdate(new Y.Doc(), update)).ms);
  gc?.();
  loadTimes.push(time(load).ms);
}
const loadHeap = retainedHeap(load);
const { index } = loadHeap.value;
const materialise = time(() => {
  let n = 0;
  for (const row of index.rows()) n += row.id.length > 0 ? 1 : 0;
  return n;
});

const floorMs = median(floorTimes);
const loadMs = median(loadTimes);
console.log('');
console.log('figure                      Yjs layout      floor (JSON)    ratio   target');
console.log(
  `encoded size                ${mb(update.length).padEnd(15)} ${`CSV ${mb(csvBytes.length)}`.padEnd(15)} ${ratio(update.length, csvBytes.length).padEnd(7)} ≤ 1.5× CSV   (JSON text: ${mb(jsonBytes)})`,
);
console.log(
  `load time (median of ${RUNS})     ${`${loadMs.toFixed(0)} ms`.padEnd(15)} ${`${floorMs.toFixed(0)} ms`.padEnd(15)} ${ratio(loadMs, floorMs).padEnd(7)} ≤ 3×   (decode alone ${median(decodeTimes).toFixed(0)} ms)`,
);
if (gc) {
  console.log(
    `heap after load             ${mb(loadHeap.bytes).padEnd(15)} ${mb(floorHeap.bytes).padEnd(15)} ${ratio(loadHeap.bytes, floorHeap.bytes).padEnd(7)} ≤ 3×`,
  );
} else {
  console.log('heap after load             skipped: run with node --expose-gc --import tsx bench/model.ts');
}
console.log(
  `rows(): materialising all ${materialise.value} rows as objects took ${materialise.ms.toFixed(0)} ms`,
);

// --- edits and fold-in on the loaded document
const { doc } = loadHeap.value;
const ids = index.ids();
const edits = time(() => {
  for (let i = 0; i < 1000; i++) {
    const rowId = ids[(i * 7919) % ids.length]!;
    setCell(doc, rowId, fieldNames[i % fieldNames.length]!, `edit ${i}`, actor);
  }
});
const afterEdits = Y.encodeStateAsUpdate(doc).length;
const folded = time(() => foldIn(doc));
const afterFold = Y.encodeStateAsUpdate(doc).length;
console.log(
  `1000 setCell: ${edits.ms.toFixed(0)} ms (${((edits.ms * 1000) / 1000).toFixed(0)} µs each); size ${mb(afterEdits)}; ` +
    `foldIn absorbed ${folded.value.absorbedCells} cells in ${folded.ms.toFixed(0)} ms; size after ${mb(afterFold)}`,
);
floorHeap.value.length; // keep the floor alive until its heap was measured
