/**
 * Issue 14: does the server keep answering while it is abused? A real `datapatch serve` child
 * process (accounts on, default limits); a health check every 50 ms measures the latency an
 * honest client sees while each abusive load runs, and the server's RSS (threads included) is
 * sampled every 100 ms. Loads: 8 anonymous 100 MB imports at once; a 1,000,000-row XLSX dry run
 * from a signed-in account with no role; an XLSX zip bomb whose directory lies about its sizes;
 * 1,000 idle websockets plus 200 slow HTTP clients (slowloris). Target: health p99 ≤ 100 ms.
 * Prints figures; never fails on one. `npx tsx bench/abuse.ts`
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { spawnServer } from '../sync-server/src/testing/child-server.ts';
import { temporaryDataDir } from '../sync-server/src/testing/clients.ts';
import { lyingZipBomb, manyRowsXlsx } from '../sync-server/src/testing/hostile-files.ts';
import { median } from './stats.ts';

const MIB = 1024 * 1024;
const ADMIN = { email: 'owner@example.org', password: 'correct horse battery staple' };
const NOBODY = { email: 'nobody@example.org', password: 'another long passphrase' };
const cli = fileURLToPath(new URL('../sync-server/src/cli/main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/**
 * The health checks run on a thread of their own (plain JavaScript, its own event loop), so the
 * loads this process drives (1,000 websocket clients, uploads) do not delay the measurement.
 */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
let running = true;
const latencies = [];
let failed = 0;
parentPort.on('message', () => { running = false; });
(async () => {
  while (running) {
    const start = performance.now();
    try {
      const response = await fetch(workerData.url + '/api/health');
      await response.arrayBuffer();
      latencies.push(performance.now() - start);
    } catch {
      failed++;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  parentPort.postMessage({ latencies, failed });
})();
`;

/** Health latency (measured from another thread) and RSS peak while `load` runs. */
async function measure(name: string, url: string, pid: number, load: () => Promise<string>) {
  let peak = rssMb(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 100);
  const probe = new Worker(PROBE, { eval: true, workerData: { url } });
  const result = new Promise<{ latencies: number[]; failed: number }>((resolve) =>
    probe.once('message', resolve),
  );
  const started = performance.now();
  const outcome = await load();
  const seconds = (performance.now() - started) / 1000;
  probe.postMessage('stop');
  const { latencies, failed } = await result;
  await probe.terminate();
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const p99 = quantile(latencies, 0.99);
  console.log(
    `${name.padEnd(46)} health p50 ${median(latencies).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(latencies.at(-1) ?? Number.NaN).toFixed(1)} ms (${latencies.length} checks, ${failed} failed, ${seconds.toFixed(1)} s) | RSS peak ${peak.toFixed(0)} MB | load ${loadavg()[0]?.toFixed(1)} | ${p99 <= 100 ? 'p99 within' : 'p99 OVER'} 100 ms | ${outcome}`,
  );
  // Let the server settle (a terminated worker, closing sockets) before the next load.
  await sleep(3000);
}

async function login(url: string, who: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...who, kind: 'bearer' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`cannot sign in as ${who.email}: ${response.status}`);
  return body.token;
}

/** Sends `bytes` of body (declared up front) until the server answers; resolves with the status and bytes sent. */
function bigUpload(url: string, path: string, bytes: number): Promise<{ status: number; sent: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: 'POST',
        path,
        headers: { 'content-length': String(bytes), 'content-type': 'text/csv' },
      },
      (res) => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      },
    );
    req.on('error', () => resolve({ status: 0, sent }));
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const pump = () => {
      while (!answered && sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (sent >= bytes) req.end();
    };
    pump();
  });
}

async function dryRun(url: string, token: string, file: Uint8Array, name: string): Promise<string> {
  const started = performance.now();
  const response = await fetch(`${url}/api/datasets/abuse-draft/import?dryRun=1&filename=${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: file,
  });
  const body = (await response.json()) as { error?: { code: string }; rowsRead?: number };
  const took = ((performance.now() - started) / 1000).toFixed(1);
  return `${response.status} ${body.error?.code ?? `rowsRead ${body.rowsRead}`} after ${took} s`;
}

async function idleWebsocketsAndSlowClients(url: string, datasetId: string): Promise<string> {
  const sockets: WebSocket[] = [];
  const wsUrl = `${url.replace(/^http/, 'ws')}/sync/ds/${datasetId}/validated`;
  let open = 0;
  let refused = 0;
  await Promise.all(
    Array.from(
      { length: 1000 },
      () =>
        new Promise<void>((resolve) => {
          const socket = new WebSocket(wsUrl);
          sockets.push(socket);
          socket.on('open', () => {
            open++;
            resolve();
          });
          socket.on('error', () => {
            refused++;
            resolve();
          });
          socket.on('close', () => resolve());
        }),
    ),
  );
  // 200 slowloris clients: one header byte every second, never the end of the headers.
  const { hostname, port } = new URL(url);
  const slow: Socket[] = [];
  let cut = 0;
  for (let i = 0; i < 200; i++) {
    const socket = connect(Number(port), hostname);
    socket.on('error', () => undefined);
    socket.on('close', () => cut++);
    socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
    slow.push(socket);
  }
  const drip = setInterval(() => {
    for (const socket of slow) if (!socket.destroyed) socket.write('X');
  }, 1000);
  await sleep(25_000);
  clearInterval(drip);
  const stillOpen = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  for (const socket of sockets) socket.terminate();
  for (const socket of slow) socket.destroy();
  return `${open} websockets opened (${refused} refused), ${stillOpen} still open after 25 s; slow clients cut by the server within 25 s: ${cut}/200`;
}

async function main() {
  // The hostile files first: making them blocks this process for a while, which would stall
  // the health checks and let kept-alive sockets expire under the client.
  let started = performance.now();
  const xlsx = manyRowsXlsx(1_000_000);
  console.log(
    `(generated the 1,000,000-row XLSX: ${(xlsx.length / MIB).toFixed(1)} MiB in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  started = performance.now();
  const bomb = lyingZipBomb(300 * MIB);
  console.log(
    `(generated the lying zip bomb: ${(bomb.length / 1024).toFixed(0)} KiB → 300 MiB, in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const data = temporaryDataDir();
  const server = await spawnServer(data.dir, [], {
    DATAPATCH_ADMIN_EMAIL: ADMIN.email,
    DATAPATCH_ADMIN_PASSWORD: ADMIN.password,
  });
  const pid = server.process.pid as number;
  try {
    // After the start: the first owner is created only while there is no account.
    const added = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        'user',
        'add',
        '--email',
        NOBODY.email,
        '--password-stdin',
        '--data',
        data.dir,
      ],
      { cwd: repoRoot, input: `${NOBODY.password}\n`, env: { ...process.env, LANG: 'C' }, encoding: 'utf8' },
    );
    if (added.status !== 0) throw new Error(`user add failed: ${added.stderr}`);
    const { url } = server;
    const owner = await login(url, ADMIN);
    const nobody = await login(url, NOBODY);
    // A small public dataset for the idle websockets.
    await fetch(`${url}/api/datasets/lieux/import?filename=lieux.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}` },
      body: 'nom,places\nMairie,3\nPiscine,0\n',
    });
    await fetch(`${url}/api/datasets/lieux/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ visibility: 'public' }),
    });
    console.log(
      `bench/abuse: server pid ${pid}, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    await measure('idle', url, pid, async () => {
      await sleep(5000);
      return 'nothing running';
    });
    await measure('8 anonymous 100 MB imports at once, for 10 s', url, pid, async () => {
      // Eight clients, each sending one 100 MB import after the other for 10 s.
      const until = performance.now() + 10_000;
      const answers: { status: number; sent: number }[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          while (performance.now() < until)
            answers.push(await bigUpload(url, `/api/datasets/anon-${i}/import?filename=a.csv`, 100 * MIB));
        }),
      );
      const counts = new Map<string, number>();
      for (const { status } of answers) {
        const key = status === 0 ? 'reset before an answer' : String(status);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const statuses = [...counts].map(([key, count]) => `${key} ×${count}`).join(', ');
      const sent = Math.max(...answers.map((a) => a.sent)) / MIB;
      return `${answers.length} imports: ${statuses}; at most ${sent.toFixed(1)} MiB written before an answer`;
    });
    await measure('1,000,000-row XLSX dry run (no role)', url, pid, () =>
      dryRun(url, nobody, xlsx, 'big.xlsx'),
    );
    await measure('XLSX zip bomb, sizes falsified (no role)', url, pid, () =>
      dryRun(url, nobody, bomb, 'bomb.xlsx'),
    );
    await measure('1,000 idle websockets + 200 slow HTTP clients', url, pid, () =>
      idleWebsocketsAndSlowClients(url, 'lieux'),
    );
  } finally {
    server.process.kill('SIGTERM');
    await server.exited;
    data.remove();
  }
}

await main();
