/**
 * Relay benchmark: N clients on one room, a fixed total rate of small updates over loopback,
 * against the Data Patch relay and against Hocuspocus 3.4.4 (Database extension on better-sqlite3),
 * each server in its own child process so the CPU and RSS printed are the server's alone.
 * Run: npx tsx bench/relay.ts   (env BENCH_CLIENTS=50 BENCH_RATE=200 BENCH_SECONDS=20)
 * BENCH_DATABASE_URL=postgres://… puts Data Patch's update log on PostgreSQL (a schema of its
 * own, dropped after). It measures and prints; it never fails on a figure. Needs no shared data.
 * bench/cluster.ts reuses `measure` for several processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Database as HocuspocusDatabase } from '@hocuspocus/extension-database';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { Server as HocuspocusServer } from '@hocuspocus/server';
import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { openPostgres } from '../sync-server/src/store/postgres/postgres-database.ts';
import { createTestSchema } from '../sync-server/src/testing/services.ts';
import { median } from './stats.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** Same workload before measuring, so neither server (nor the clients) is measured while V8 warms up. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const ROOM = 'ds/bench/validated';
/** BENCH_SERVERS=datapatch or =hocuspocus runs one side only (for profiling); both by default. */
const SERVERS = (process.env.BENCH_SERVERS ?? 'datapatch,hocuspocus').split(',');
/**
 * BENCH_ROUNDS=n measures each server n times, alternating which goes first, and prints the
 * median of each figure: on this shared 2-core VM one run's CPU moves by several points.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error(`BENCH_ROUNDS must be a whole number of at least 1, not "${process.env.BENCH_ROUNDS}"`);
  process.exit(2);
}
const CLOCK_TICKS_PER_SECOND = 100;
/** PostgreSQL for Data Patch's update log; unset: SQLite in its data folder. */
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? null;

// ---------------------------------------------------------------------------------------------
// Child mode: the Hocuspocus server, persisting through its Database extension on better-sqlite3
// with the same SQLite settings as Data Patch (WAL, synchronous FULL).

async function runHocuspocusServer(dataDir: string): Promise<void> {
  const db = new Database(join(dataDir, 'hocuspocus.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)');
  const select = db.prepare<[string], { data: Buffer }>('SELECT data FROM documents WHERE name = ?');
  const upsert = db.prepare<[string, Uint8Array]>(
    'INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data',
  );
  const server = new HocuspocusServer({
    port: 0,
    address: '127.0.0.1',
    quiet: true,
    extensions: [
      new HocuspocusDatabase({
        fetch: async ({ documentName }) => select.get(documentName)?.data ?? null,
        store: async ({ documentName, state }) => {
          upsert.run(documentName, state);
        },
      }),
    ],
  });
  await server.listen();
  console.log(`listening on ws://127.0.0.1:${server.address.port}`);
  process.on('SIGTERM', () => {
    void server.destroy().then(() => {
      db.close();
      process.exit(0);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Parent mode.

export interface Child {
  process: ChildProcess;
  url: string;
  exited: Promise<void>;
}

export async function spawnChild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Child> {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof") is passed to both server processes, for profiling.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...args], {
    cwd: repoRoot,
    // Open access: the benchmark's anonymous clients must be allowed to write (no accounts here).
    env: { ...process.env, DATAPATCH_INSECURE_OPEN_ACCESS: '1', LANG: 'C', LC_ALL: 'C', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on ((?:http|ws):\/\/\S+)/.exec(output);
      if (match) done(match[1]!);
    });
    void exited.then(() => fail(new Error(`server exited before listening: ${output}`)));
  });
  return { process: child, url, exited };
}

/** utime and stime of a process, in seconds: JavaScript and libraries vs the kernel (syscalls, disk). */
export function cpuSeconds(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    user: Number(fields[11]) / CLOCK_TICKS_PER_SECOND,
    system: Number(fields[12]) / CLOCK_TICKS_PER_SECOND,
  };
}

/** CPU seconds per thread (by thread id, with its name), to see where a server spends it. */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const label = tid === String(pid) ? 'main' : name;
      out.set(`${label}#${tid}`, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND);
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return out;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

interface BenchClient {
  doc: Y.Doc;
  synced: () => boolean;
  destroy: () => void;
}

type ClientFactory = (url: string, doc: Y.Doc) => BenchClient;

export const yWebsocketClient: ClientFactory = (url, doc) => {
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, ROOM, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws stands in for the browser WebSocket.
    WebSocketPolyfill: WebSocket as any,
    disableBc: true,
  });
  return { doc, synced: () => provider.synced, destroy: () => provider.destroy() };
};

const hocuspocusClient: ClientFactory = (url, doc) => {
  // WebSocketPolyfill is passed through to the provider's own websocket (3.4.4 omits it from the type).
  const options = { url, name: ROOM, document: doc, WebSocketPolyfill: WebSocket };
  const provider = new HocuspocusProvider(options);
  return { doc, synced: () => provider.isSynced, destroy: () => provider.destroy() };
};

// Each y-websocket provider adds a process 'exit' listener; 50 of them are expected here.
process.setMaxListeners(0);

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Writes `total` updates round-robin at RATE per second. Writer `w` writes key `c<w>` with
 * `n` = w, w + CLIENTS, w + 2 × CLIENTS…; `sentAt[n]` is its send time. Warm-up writes n = -1.
 */
async function sendUpdates(
  clients: BenchClient[],
  total: number,
  sentAt: Float64Array | null,
): Promise<void> {
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000));
    for (; sent < due; sent++) {
      const writer = sent % CLIENTS;
      if (sentAt) sentAt[sent] = performance.now();
      clients[writer]!.doc.getMap('cells').set(`c${writer}`, { n: sentAt ? sent : -1 });
    }
    await sleep(1);
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const DATA_PATCH = 'Data Patch relay';
const HOCUSPOCUS = 'Hocuspocus 3.4.4';

export interface Result {
  name: string;
  p50: number;
  p99: number;
  max: number;
  received: number;
  expected: number;
  cpu: number;
  /** The part of `cpu` spent in the process itself, and in the kernel on its behalf. */
  userCpu: number;
  systemCpu: number;
  peakRss: number;
  converged: boolean;
  /** Server CPU (every process's) per update written, in milliseconds. */
  cpuPerUpdateMs: number;
  /** Busiest threads of the server over the window, as % of one core. */
  threads: string[];
}

/** Several servers: clients spread round-robin over them, CPU and RSS summed over them. */
export async function measure(
  name: string,
  servers: Child | readonly Child[],
  makeClient: ClientFactory,
): Promise<Result> {
  const children = Array.isArray(servers) ? servers : [servers as Child];
  const pids = children.map((child) => child.process.pid!);
  const pid = pids[0]!;
  const clients = Array.from({ length: CLIENTS }, (_, i) =>
    makeClient(children[i % children.length]!.url, new Y.Doc()),
  );
  await waitFor(() => clients.every((c) => c.synced()), `${name}: ${CLIENTS} clients to sync`);
  await sendUpdates(clients, RATE * WARMUP_SECONDS, null);
  await sleep(1000);

  const total = RATE * SECONDS;
  const sentAt = new Float64Array(total);
  const latencies = new Float64Array(total * CLIENTS);
  const arrivals = new Float64Array(latencies.length);
  let received = 0;
  clients.forEach((client) => {
    const cells = client.doc.getMap<{ n: number }>('cells');
    // Per writer, the last n this client saw. A value that arrives counts, with its send time,
    // every earlier value of that key this client had not seen yet: a server may deliver a
    // key's successive values in one message (the later one then hides the earlier), and they
    // have all arrived by now. Without this, merged deliveries would drop their oldest samples.
    const lastSeen = new Float64Array(CLIENTS).fill(-1);
    cells.observe((event) => {
      if (event.transaction.local) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const n = cells.get(key)?.n ?? -1;
        if (n < 0) continue;
        const writer = n % CLIENTS;
        const first = lastSeen[writer]! < 0 ? writer : lastSeen[writer]! + CLIENTS;
        for (let m = first; m <= n && received < latencies.length; m += CLIENTS) {
          arrivals[received] = now;
          latencies[received++] = now - sentAt[m]!;
        }
        lastSeen[writer] = Math.max(lastSeen[writer]!, n);
      }
    });
  });

  const totalRss = () => pids.reduce((sum, id) => sum + rssMiB(id), 0);
  const totalCpu = () =>
    pids
      .map(cpuSeconds)
      .reduce((sum, cpu) => ({ user: sum.user + cpu.user, system: sum.system + cpu.system }));
  let peakRss = totalRss();
  const rssSampler = setInterval(() => {
    peakRss = Math.max(peakRss, totalRss());
  }, 250);
  const cpuBefore = totalCpu();
  const threadsBefore = threadCpu(pid);
  const start = performance.now();
  await sendUpdates(clients, total, sentAt);
  const expected = total * (CLIENTS - 1);
  // Let the last updates arrive; a lost one shows as received < expected.
  const drainStart = Date.now();
  while (received < expected && Date.now() - drainStart < 10_000) await sleep(20);
  const cpuAfter = totalCpu();
  const user = cpuAfter.user - cpuBefore.user;
  const system = cpuAfter.system - cpuBefore.system;
  const elapsed = (performance.now() - start) / 1000;
  const threads = [...threadCpu(pid)]
    .map(([thread, seconds]) => [thread, seconds - (threadsBefore.get(thread) ?? 0)] as const)
    .filter(([, seconds]) => seconds > 0)
    .sort((x, y) => y[1] - x[1])
    .map(([thread, seconds]) => `${thread.replace(/#\d+$/, '')} ${((seconds / elapsed) * 100).toFixed(1)} %`);
  clearInterval(rssSampler);

  const reference = JSON.stringify(
    clients[0]!.doc.getMap('cells').toJSON(),
    Object.keys(clients[0]!.doc.getMap('cells').toJSON()).sort(),
  );
  const converged = clients.every(
    (c) =>
      JSON.stringify(c.doc.getMap('cells').toJSON(), Object.keys(c.doc.getMap('cells').toJSON()).sort()) ===
      reference,
  );
  for (const c of clients) c.destroy();
  if (process.env.BENCH_DEBUG) {
    for (let second = 0; second < SECONDS + 2; second++) {
      const window = [...latencies.slice(0, received)].filter((_, i) => {
        const at = (arrivals[i]! - start) / 1000;
        return at >= second && at < second + 1;
      });
      window.sort((a, b) => a - b);
      console.log(
        `  ${name} second ${second}: ${window.length} arrivals, p50 ${window[Math.floor(window.length / 2)]?.toFixed(1)} ms, p99 ${window[Math.floor(window.length * 0.99)]?.toFixed(1)} ms, max ${window[window.length - 1]?.toFixed(1)} ms`,
      );
    }
  }
  const sorted = latencies.slice(0, received).sort();
  return {
    name,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
    received,
    expected,
    cpu: ((user + system) / elapsed) * 100,
    userCpu: (user / elapsed) * 100,
    systemCpu: (system / elapsed) * 100,
    peakRss,
    converged,
    cpuPerUpdateMs: ((user + system) * 1000) / total,
    threads,
  };
}

export async function stop(child: Child): Promise<void> {
  child.process.kill('SIGTERM');
  await Promise.race([child.exited, sleep(10_000)]);
  child.process.kill('SIGKILL');
}

/** Rows of the update log in a PostgreSQL schema. */
export async function countPostgresRows(url: string): Promise<number> {
  const db = await openPostgres(url);
  try {
    const result = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM updates');
    return Number(result.rows[0]?.n);
  } finally {
    await db.close();
  }
}

function countRows(file: string, sql: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  console.log(
    `bench/relay: ${CLIENTS} clients on one room, ${RATE} updates/s in total for ${SECONDS} s, loopback, Node ${process.version}`,
  );
  // Both servers keep their SQLite file here: on tmpfs (TMPDIR=/dev/shm) an fsync writes nothing.
  console.log(`Data folders under ${tmpdir()} (TMPDIR moves them).`);
  const results: Result[] = [];
  const rounds: Result[][] = [];
  const notes = new Set<string>();
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? SERVERS : [...SERVERS].reverse();
    const first = results.length;
    for (const server of order) {
      if (server === 'datapatch') await runDataPatch(results, notes);
      if (server === 'hocuspocus') await runHocuspocus(results, notes);
    }
    rounds.push(results.slice(first));
    if (ROUNDS > 1) console.log(`round ${round} of ${ROUNDS} done`);
  }
  printResults(results, notes);
  printPairs(rounds);
}

/**
 * Per-round comparison: the machine's state drifts between rounds (the same server has measured
 * 17 % and 31 %), so what each round says about the two servers side by side is the firmer figure.
 */
function printPairs(rounds: readonly Result[][]): void {
  const pairs = rounds.flatMap((inRound) => {
    const dp = inRound.find((r) => r.name.startsWith(DATA_PATCH));
    const hp = inRound.find((r) => r.name === HOCUSPOCUS);
    return dp && hp ? [{ dp, hp }] : [];
  });
  if (pairs.length < 2) return;
  const lower = (pick: (r: Result) => number) => pairs.filter(({ dp, hp }) => pick(dp) < pick(hp)).length;
  const gap = (pick: (r: Result) => number) => median(pairs.map(({ dp, hp }) => pick(dp) - pick(hp)));
  console.log('');
  console.log(
    `Same round, ${DATA_PATCH} against ${HOCUSPOCUS}: CPU lower in ${lower((r) => r.cpu)} of ${pairs.length} rounds (median difference ${gap((r) => r.cpu).toFixed(1)} points), p99 lower in ${lower((r) => r.p99)} of ${pairs.length} (median difference ${gap((r) => r.p99).toFixed(2)} ms).`,
  );
}

async function runDataPatch(results: Result[], notes: Set<string>): Promise<void> {
  const dpDir = mkdtempSync(join(tmpdir(), 'bench-relay-datapatch-'));
  const schema = DATABASE_URL ? await createTestSchema(DATABASE_URL) : null;
  try {
    const server = await spawnChild([
      'sync-server/src/cli/main.ts',
      'serve',
      '--port',
      '0',
      '--data',
      dpDir,
      '--no-demo',
      '--app',
      join(dpDir, 'no-app'),
      ...(schema ? ['--database-url', schema.url] : []),
    ]);
    results.push(await measure(schema ? `${DATA_PATCH} (PostgreSQL)` : DATA_PATCH, server, yWebsocketClient));
    await stop(server);
    const rows = schema
      ? await countPostgresRows(schema.url)
      : countRows(join(dpDir, 'datapatch.sqlite'), 'SELECT count(*) AS n FROM updates');
    notes.add(
      `Data Patch: ${rows} rows in its update log (${schema ? 'PostgreSQL' : 'SQLite'}) after shutdown (each update appended before broadcast, compacted every 500).`,
    );
  } finally {
    rmSync(dpDir, { recursive: true, force: true });
    await schema?.drop();
  }
}

async function runHocuspocus(results: Result[], notes: Set<string>): Promise<void> {
  const hpDir = mkdtempSync(join(tmpdir(), 'bench-relay-hocuspocus-'));
  try {
    const server = await spawnChild(['bench/relay.ts', '--hocuspocus-server', hpDir]);
    results.push(await measure(HOCUSPOCUS, server, hocuspocusClient));
    await stop(server);
    notes.add(
      `Hocuspocus: ${countRows(join(hpDir, 'hocuspocus.sqlite'), 'SELECT count(*) AS n FROM documents')} document row; its Database extension stores a whole-document snapshot debounced (2 s, at most every 10 s), not each update before broadcast.`,
    );
  } finally {
    rmSync(hpDir, { recursive: true, force: true });
  }
}

function printResults(results: Result[], notes: Set<string>): void {
  console.log('');
  console.log(
    '| server | fan-out p50 | p99 | max | received / expected | converged | server CPU (% of one core) | server peak RSS |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${r.max.toFixed(1)} ms | ${r.received} / ${r.expected} | ${r.converged ? 'yes' : 'NO'} | ${r.cpu.toFixed(1)} % (${r.userCpu.toFixed(1)} user, ${r.systemCpu.toFixed(1)} system) | ${r.peakRss.toFixed(0)} MiB |`,
    );
  }
  if (ROUNDS > 1) {
    console.log('');
    console.log(`Medians over ${ROUNDS} rounds:`);
    console.log('');
    console.log('| server | fan-out p50 | p99 | max | server CPU (% of one core) | server peak RSS |');
    console.log('|---|---|---|---|---|---|');
    for (const name of new Set(results.map((r) => r.name))) {
      const mine = results.filter((r) => r.name === name);
      const of = (pick: (r: Result) => number) => median(mine.map(pick));
      console.log(
        `| ${name} | ${of((r) => r.p50).toFixed(2)} ms | ${of((r) => r.p99).toFixed(2)} ms | ${of((r) => r.max).toFixed(1)} ms | ${of((r) => r.cpu).toFixed(1)} % (${of((r) => r.userCpu).toFixed(1)} user, ${of((r) => r.systemCpu).toFixed(1)} system) | ${of((r) => r.peakRss).toFixed(0)} MiB |`,
      );
    }
  }
  console.log('');
  for (const r of results) console.log(`${r.name} CPU by thread: ${r.threads.slice(0, 6).join(', ')}`);
  for (const note of notes) console.log(note);
}

if (process.argv[2] === '--hocuspocus-server') await runHocuspocusServer(process.argv[3]!);
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
  // Destroyed providers can leave reconnect timers behind; the figures are printed, stop here.
  process.exit(0);
}
