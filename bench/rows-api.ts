// The rows API on a big dataset: `npx tsx bench/rows-api.ts`. Prints milliseconds per request,
// never fails on a time. Needs ../shared/data (La Poste, 39,192 rows); says so and exits 0 without.
// Shows that the row view is built once per document: first request vs the ones after it.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DatasetRegistry } from '@datapatch/sync-server';
import * as Y from 'yjs';
import { documentState, importUpdate, prepareImport } from '../sync-server/src/data/dataset-import.ts';
import { dataRoutes } from '../sync-server/src/http/data-routes.ts';

const file = fileURLToPath(new URL('../../shared/data/geo-reference/laposte_hexasmal.csv', import.meta.url));
if (!existsSync(file)) {
  console.log(`bench/rows-api: ${file} is missing (no ../shared/data); nothing measured.`);
  process.exit(0);
}

const doc = new Y.Doc();
const prepared = await prepareImport(
  { bytes: new Uint8Array(readFileSync(file)), filename: 'laposte.csv' },
  null,
);
if (!prepared.ok) throw new Error(prepared.error.code);
Y.applyUpdate(
  doc,
  importUpdate(documentState(doc), prepared, { datasetId: 'laposte' }, { id: 'bench' }).update,
);

const registry: DatasetRegistry = {
  list: async () => [],
  get: async (id) => ({ id, title: id, description: '', rowCount: 0, updatedAt: '' }),
  upsert: async () => undefined,
};
const app = dataRoutes({
  registry,
  relay: {
    readDocument: async (_room, read) => read(doc),
    applyServerUpdate: async (_room, update) => Y.applyUpdate(doc, update),
    roomsInMemory: () => ['ds/laposte/validated'],
  },
});

async function timed(label: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  const start = performance.now();
  const response = await app.request(path, { headers });
  const bytes = (await response.arrayBuffer()).byteLength;
  const ms = performance.now() - start;
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${response.status}  ${bytes} bytes`);
  return response;
}

console.log(`La Poste: ${prepared.table.rows.length} rows, node ${process.version}`);
const first = await timed('json page 1 (builds the row view)', '/api/datasets/laposte/rows?limit=100');
await timed('json page 1 again', '/api/datasets/laposte/rows?limit=100');
await timed('json offset 39000', '/api/datasets/laposte/rows?limit=100&offset=39000');
await timed('q=st etienne (builds search texts)', '/api/datasets/laposte/rows?q=st%20etienne');
await timed('q=st etienne again', '/api/datasets/laposte/rows?q=st%20etienne');
await timed('q=ST ÉTIENNE loire', '/api/datasets/laposte/rows?q=ST%20%C3%89TIENNE%20loire');
await timed('filter.Code_postal=42000', '/api/datasets/laposte/rows?filter.Code_postal=42000');
await timed('If-None-Match on page 1 (304)', '/api/datasets/laposte/rows?limit=100', {
  'If-None-Match': first.headers.get('etag') ?? '',
});
await timed('csv, every row', '/api/datasets/laposte/rows?format=csv');
await timed('geojson, every row', '/api/datasets/laposte/rows?format=geojson');
const post = performance.now();
const form = new FormData();
form.set('file', new File([readFileSync(file)], 'laposte.csv'));
const imported = await app.request('/api/datasets/laposte/import', { method: 'POST', body: form });
console.log(
  `${'POST import, appending 39,192 rows'.padEnd(44)} ${(performance.now() - post).toFixed(1).padStart(8)} ms  ${imported.status}`,
);
console.log(`RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
