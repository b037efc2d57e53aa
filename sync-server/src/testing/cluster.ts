/**
 * Several `datapatch serve` child processes on one PostgreSQL schema and one Redis key prefix
 * (open access), and a private `redis-server` a test may kill and restart without touching the
 * shared one. Each helper returns what it opened so the test can remove it all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { type ChildServer, spawnServer } from './child-server.ts';
import { temporaryDataDir } from './clients.ts';
import { pingRedis } from './services.ts';

export interface ClusterSettings {
  databaseUrl: string;
  redisUrl: string;
  keyPrefix: string;
  /** Extra `serve` flags, e.g. a low --compact-after. */
  args?: string[];
  /** Extra environment, e.g. proposal limits. */
  env?: NodeJS.ProcessEnv;
  /** Runs on each process's fresh data folder before it starts. */
  prepare?: (dataDir: string) => Promise<void> | void;
}

export interface ClusterProcess extends ChildServer {
  dataDir: string;
  removeData(): void;
}

export async function spawnClusterProcess(settings: ClusterSettings): Promise<ClusterProcess> {
  const data = temporaryDataDir();
  await settings.prepare?.(data.dir);
  const server = await spawnServer(
    data.dir,
    ['--database-url', settings.databaseUrl, '--redis-url', settings.redisUrl, ...(settings.args ?? [])],
    { DATAPATCH_INSECURE_OPEN_ACCESS: '1', DATAPATCH_REDIS_PREFIX: settings.keyPrefix, ...settings.env },
  );
  return { ...server, dataDir: data.dir, removeData: data.remove };
}

/** Starts `count` processes at once (starting one takes seconds on a busy machine). */
export function spawnCluster(count: number, settings: ClusterSettings): Promise<ClusterProcess[]> {
  return Promise.all(Array.from({ length: count }, () => spawnClusterProcess(settings)));
}

export async function stopClusterProcess(server: ClusterProcess): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGKILL');
  await server.exited;
  server.removeData();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  url: string;
  /** kill -9, as a crashed Redis: every subscriber loses its connection. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of this test's own, on a free port, keeping nothing on disk. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100 && !(await pingRedis(url, 200)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await pingRedis(url, 500))) throw new Error(`the private redis-server on ${port} did not start`);
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const gone = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await gone;
  };
  await start();
  return { url, kill, restart: start, stop: kill };
}
