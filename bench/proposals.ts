/**
 * Proposals benchmark, against a real `datapatch serve` child process on loopback:
 * 1. anonymous proposals per second sustained by C concurrent contributors, each 202 sent only
 *    once the proposal is committed to SQLite (synchronous=FULL) and in the pending document's
 *    durable log;
 * 2. time from a moderator's HTTP accept to the change visible in a connected y-websocket
 *    reader of the validated room (p50, p99), accepts one after another.
 * Run: npx tsx bench/proposals.ts   (env BENCH_CONCURRENCY=32 BENCH_SECONDS=10 BENCH_ACCEPTS=200)
 * With BENCH_DATABASE_URL=postgres://… the server runs with --database-url (update log and
 * proposals on PostgreSQL, in a schema of its own, dropped after).
 * Targets (issue 4): >= 500 proposals/s; accept-to-visible p99 <= 100 ms; (issue 15) >= 1,000
 * durable proposals/s on PostgreSQL from one process. At the end every acknowledged proposal is
 * looked up in the store: "lost" must be 0. Prints, never fails.
 * Also prints the server's CPU time per proposal (from /proc, Linux): on a loaded machine the
 * rate mostly measures the neighbours, the CPU time much less so.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { roomName } from '@datapatch/protocol';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { summarizeDataset } from '../sync-server/src/data/dataset-summaries.ts';
import { openPostgres } from '../sync-server/src/store/postgres/postgres-database.ts';
import { PostgresDatasetRegistry } from '../sync-server/src/store/postgres/postgres-dataset-registry.ts';
import { PostgresProposalStore } from '../sync-server/src/store/postgres/postgres-proposal-store.ts';
import { PostgresUpdateStore } from '../sync-server/src/store/postgres/postgres-update-store.ts';
import type { ProposalStore } from '../sync-server/src/store/proposal-store.ts';
import { openDatabase } from '../sync-server/src/store/sqlite/sqlite-database.ts';
import { SqliteDatasetRegistry } from '../sync-server/src/store/sqlite/sqlite-dataset-registry.ts';
import { SqliteProposalStore } from '../sync-server/src/store/sqlite/sqlite-proposal-store.ts';
import { SqliteUpdateStore } from '../sync-server/src/store/sqlite/sqlite-update-store.ts';
import { spawnServer } from '../sync-server/src/testing/child-server.ts';
import { temporaryDataDir } from '../sync-server/src/testing/clients.ts';
import { smallDataset } from '../sync-server/src/testing/http-server.ts';
import { createTestSchema, type TestSchema } from '../sync-server/src/testing/services.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ACCEPTS = Number(process.env.BENCH_ACCEPTS ?? 200);
const ADMIN = { email: 'bench@example.org', password: 'benchmark password 1' };
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? null;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** User + system CPU time of a process in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

async function seed(dir: string, schema: TestSchema | null): Promise<void> {
  const doc = smallDataset('lieux', 'Lieux');
  const update = { room: roomName('lieux', 'validated'), update: Y.encodeStateAsUpdate(doc) };
  const summary = summarizeDataset(doc)!;
  if (schema) {
    const db = await openPostgres(schema.url, { maxConnections: 1 });
    const updates = new PostgresUpdateStore(db);
    await updates.appendUpdates([update]);
    await new PostgresDatasetRegistry(db).upsert(summary);
    await updates.close();
    return;
  }
  const db = openDatabase(dir);
  const updates = new SqliteUpdateStore(db);
  await updates.appendUpdates([update]);
  await new SqliteDatasetRegistry(db).upsert(summary);
  await updates.close();
}

/** The store the server wrote to, read after it stopped. */
async function storeOf(dir: string, schema: TestSchema | null): Promise<ProposalStore> {
  return schema
    ? new PostgresProposalStore(await openPostgres(schema.url, { maxConnections: 2 }))
    : new SqliteProposalStore(openDatabase(dir));
}

const data = temporaryDataDir();
const schema = DATABASE_URL ? await createTestSchema(DATABASE_URL) : null;
await seed(data.dir, schema);
console.log(`proposals bench on ${schema ? 'PostgreSQL (one process)' : 'SQLite'}`);
const acknowledged = new Set<string>();
const server = await spawnServer(data.dir, schema ? ['--database-url', schema.url] : [], {
  DATAPATCH_ADMIN_EMAIL: ADMIN.email,
  DATAPATCH_ADMIN_PASSWORD: ADMIN.password,
  DATAPATCH_PROPOSALS_PER_ADDRESS: '100000000',
  DATAPATCH_PROPOSALS_PER_DATASET: '100000000',
  DATAPATCH_MAX_PENDING_PER_ADDRESS: '100000000',
});

try {
  let counter = 0;
  const post = async () => {
    const i = counter++;
    const started = performance.now();
    const response = await fetch(`${server.url}/api/datasets/lieux/proposals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'create',
        proposed: { nom: `Lieu ${i}`, horaires: '9h-18h', places: i % 50 },
        idempotencyKey: `bench-${String(i).padStart(10, '0')}-${process.pid}`,
      }),
    });
    const answer = (await response.json()) as { proposalId?: string };
    if (response.status !== 202) throw new Error(`proposal answered ${response.status}`);
    acknowledged.add(answer.proposalId!);
    return performance.now() - started;
  };

  // Warm-up: V8, the pending room, SQLite pages.
  await Promise.all(Array.from({ length: CONCURRENCY }, () => post()));

  const latencies: number[] = [];
  const cpuBefore = cpuMs(server.process.pid);
  const start = performance.now();
  const end = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) latencies.push(await post());
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const serverCpu = cpuMs(server.process.pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  console.log(
    `proposals: ${latencies.length} in ${elapsed.toFixed(1)} s with ${CONCURRENCY} concurrent clients = ` +
      `${(latencies.length / elapsed).toFixed(0)}/s (target >= ${schema ? '1,000' : '500'}/s); 202 latency p50 ${ms(percentile(latencies, 50))}, ` +
      `p99 ${ms(percentile(latencies, 99))}; server CPU ${ms(serverCpu / latencies.length)} per proposal ` +
      `(${((serverCpu / 1000 / elapsed) * 100).toFixed(0)} % of one core; load average ${loadavg()[0]?.toFixed(1)})`,
  );

  // Accept-to-visible.
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...ADMIN, kind: 'bearer' }),
  });
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const listed = await fetch(`${server.url}/api/datasets/lieux/proposals?status=pending&limit=${ACCEPTS}`, {
    headers: auth,
  });
  const { proposals } = (await listed.json()) as { proposals: { id: string }[] };

  const doc = new Y.Doc();
  const reader = new WebsocketProvider(
    `${server.url.replace(/^http/, 'ws')}/sync`,
    roomName('lieux', 'validated'),
    doc,
    {
      // biome-ignore lint/suspicious/noExplicitAny: ws is the Node WebSocket the provider expects.
      WebSocketPolyfill: WebSocket as any,
      disableBc: true,
    },
  );
  await new Promise<void>((resolve) => {
    if (reader.synced) resolve();
    else reader.once('sync', () => resolve());
  });
  const changelog = doc.getArray('changelog');
  const visible: number[] = [];
  for (const { id } of proposals) {
    const before = changelog.length;
    const started = performance.now();
    const seen = new Promise<number>((resolve) => {
      const check = () => {
        if (changelog.length > before) {
          doc.off('update', check);
          resolve(performance.now() - started);
        }
      };
      doc.on('update', check);
    });
    const response = await fetch(`${server.url}/api/datasets/lieux/proposals/${id}/accept`, {
      method: 'POST',
      headers: auth,
      body: '{}',
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`accept answered ${response.status}`);
    visible.push(await seen);
  }
  reader.destroy();
  // The provider's awareness keeps a 3 s interval (and the bench alive) until its document goes.
  doc.destroy();
  visible.sort((a, b) => a - b);
  console.log(
    `accept -> visible to a y-websocket reader: ${visible.length} accepts, p50 ${ms(percentile(visible, 50))}, ` +
      `p99 ${ms(percentile(visible, 99))}, max ${ms(visible[visible.length - 1] ?? Number.NaN)} (target p99 <= 100 ms)`,
  );
} catch (error) {
  console.error(server.output().slice(-3000));
  throw error;
} finally {
  server.process.kill('SIGTERM');
  await server.exited;
  const store = await storeOf(data.dir, schema);
  let lost = 0;
  for (const id of acknowledged) if (!(await store.get(id))) lost += 1;
  await store.close();
  console.log(`acknowledged (202) proposals: ${acknowledged.size}, lost: ${lost}`);
  await schema?.drop();
  data.remove();
}
