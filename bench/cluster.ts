/**
 * Cluster benchmark. 1) BENCH_CLIENTS (50) clients on one room, BENCH_RATE (200) updates/s in
 * total for BENCH_SECONDS (20), spread round-robin over 1, 2 and 3 `datapatch serve` processes on
 * PostgreSQL + Redis, beside the embedded SQLite process in the same run: fan-out p50/p99 (from
 * a writer to every other client, across processes), server CPU summed over the processes and
 * per update written, updates lost. 2) Catch-up after a Redis restart: a writer on one process
 * (50 updates/s), a reader on another, a private redis-server killed for 3 s then restarted.
 * Run: npx tsx bench/cluster.ts  (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test;
 * BENCH_REDIS_URL, default redis://127.0.0.1:6379; BENCH_SETUPS=sqlite,1,2,3). Prints; never fails on a figure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { startPrivateRedis } from '../sync-server/src/testing/cluster.ts';
import { createTestSchema, pingRedis, testKeyPrefix } from '../sync-server/src/testing/services.ts';
import {
  type Child,
  countPostgresRows,
  measure,
  type Result,
  spawnChild,
  stop,
  yWebsocketClient,
} from './relay.ts';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SETUPS = (process.env.BENCH_SETUPS ?? 'sqlite,1,2,3').split(',');
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Cluster {
  servers: Child[];
  /** Rows in the update log after the servers stopped. */
  finish(): Promise<number | null>;
}

function serveArgs(dataDir: string, extra: string[] = []): string[] {
  return [
    'sync-server/src/cli/main.ts',
    'serve',
    '--port',
    '0',
    '--data',
    dataDir,
    '--no-demo',
    '--app',
    join(dataDir, 'no-app'),
    ...extra,
  ];
}

async function startCluster(count: number | 'sqlite', redisUrl = REDIS_URL): Promise<Cluster> {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
    dirs.push(dir);
    return dir;
  };
  if (count === 'sqlite') {
    const server = await spawnChild(serveArgs(folder()));
    return {
      servers: [server],
      async finish() {
        await stop(server);
        for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
        return null;
      },
    };
  }
  const schema = await createTestSchema(DATABASE_URL);
  const env = { DATAPATCH_REDIS_PREFIX: testKeyPrefix() };
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      spawnChild(serveArgs(folder(), ['--database-url', schema.url, '--redis-url', redisUrl]), env),
    ),
  );
  return {
    servers,
    async finish() {
      await Promise.all(servers.map(stop));
      const rows = await countPostgresRows(schema.url);
      await schema.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      return rows;
    },
  };
}

async function fanOut(): Promise<void> {
  const results: { result: Result; rows: number | null; processes: string }[] = [];
  for (const setup of SETUPS) {
    const count = setup === 'sqlite' ? 'sqlite' : Number(setup);
    const cluster = await startCluster(count);
    const name =
      count === 'sqlite'
        ? 'SQLite, 1 process'
        : `PostgreSQL + Redis, ${count} process${count > 1 ? 'es' : ''}`;
    const result = await measure(name, cluster.servers, yWebsocketClient);
    results.push({ result, rows: await cluster.finish(), processes: String(cluster.servers.length) });
    console.log(`${name} done`);
  }
  console.log('');
  console.log(
    '| setup | fan-out p50 | p99 | max | received / expected | converged | server CPU, all processes (% of one core) | CPU per update |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { result: r } of results) {
    console.log(
      `| ${r.name} | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${r.max.toFixed(1)} ms | ${r.received} / ${r.expected} | ${r.converged ? 'yes' : 'NO'} | ${r.cpu.toFixed(1)} % (${r.userCpu.toFixed(1)} user, ${r.systemCpu.toFixed(1)} system) | ${r.cpuPerUpdateMs.toFixed(2)} ms |`,
    );
  }
  for (const { result, rows } of results)
    if (rows !== null)
      console.log(`${result.name}: ${rows} rows in the PostgreSQL update log after shutdown.`);
}

/** A writer on one process, a reader on another; Redis dies for 3 s and comes back. */
async function catchUpAfterRedisRestart(): Promise<void> {
  const redis = await startPrivateRedis();
  const cluster = await startCluster(2, redis.url);
  try {
    const writer = yWebsocketClient(cluster.servers[0]!.url, new Y.Doc());
    const reader = yWebsocketClient(cluster.servers[1]!.url, new Y.Doc());
    while (!writer.synced() || !reader.synced()) await sleep(20);
    const sentAt: number[] = [];
    const arrivals: { n: number; at: number }[] = [];
    const counter = reader.doc.getMap<number>('cells');
    counter.observe(() => {
      const n = counter.get('n');
      if (n !== undefined) arrivals.push({ n, at: performance.now() });
    });
    let writing = true;
    const writeLoop = (async () => {
      for (let n = 0; writing; n++) {
        sentAt[n] = performance.now();
        writer.doc.getMap<number>('cells').set('n', n);
        await sleep(20);
      }
    })();
    await sleep(3_000);
    const killedAt = performance.now();
    await redis.kill();
    await sleep(3_000);
    await redis.restart();
    const restartedAt = performance.now();
    await sleep(4_000);
    writing = false;
    await writeLoop;
    const last = sentAt.length - 1;
    const deadline = Date.now() + 10_000;
    while (counter.get('n') !== last && Date.now() < deadline) await sleep(20);
    const lag = (a: { n: number; at: number }) => a.at - sentAt[a.n]!;
    const during = arrivals.filter((a) => a.at > killedAt && a.at < restartedAt);
    const back = arrivals.find((a) => a.at > restartedAt && sentAt[a.n]! > restartedAt && lag(a) < 50);
    const before = arrivals
      .filter((a) => a.at < killedAt)
      .map(lag)
      .sort((x, y) => x - y);
    console.log('');
    console.log(
      `Redis restart (private redis-server, 2 processes, 50 updates/s): before the outage the reader got each update in ${before[Math.floor(before.length / 2)]?.toFixed(1)} ms (median); during the 3 s outage the once-a-second PostgreSQL check brought it up to date ${during.length} time(s) (the newest value then at most ${during.length > 0 ? Math.max(...during.map(lag)).toFixed(0) : '-'} ms old); the first update through Redis again arrived ${back ? (back.at - restartedAt).toFixed(0) : 'never'} ms after the restart; the reader ended on the writer's last value: ${counter.get('n') === last ? 'yes' : 'NO'} (${last + 1} written).`,
    );
    writer.destroy();
    reader.destroy();
  } finally {
    await cluster.finish();
    await redis.stop();
  }
}

// Without PostgreSQL and Redis there is nothing to measure: say so, as the data benchmarks do.
const probe = await createTestSchema(DATABASE_URL).then(
  (schema) => schema.drop().then(() => null),
  (error: Error) => error.message,
);
const redisAnswers = await pingRedis(REDIS_URL);
if (probe !== null || !redisAnswers) {
  console.log(
    `bench/cluster needs PostgreSQL at ${DATABASE_URL} and Redis at ${REDIS_URL} (${probe ?? 'Redis does not answer'}): measured nothing.`,
  );
  process.exit(0);
}
console.log(
  `bench/cluster: ${process.env.BENCH_CLIENTS ?? 50} clients on one room, ${process.env.BENCH_RATE ?? 200} updates/s in total for ${process.env.BENCH_SECONDS ?? 20} s, loopback, Node ${process.version}; data folders under ${tmpdir()}`,
);
await fanOut();
await catchUpAfterRedisRestart();
process.exit(0);
