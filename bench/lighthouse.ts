/**
 * Lighthouse 12 (mobile emulation: a mid-range phone, slow 4G and a 4× slower CPU, simulated) on
 * the three pages a citizen opens first — home, the demo dataset, one of its records — against a
 * real `datapatch serve` on port 0 with its demo data, in Debian's Chromium. Prints the
 * performance, accessibility and best-practices scores, LCP and TBT of each run and the median
 * per page; never fails on a figure. Builds nothing: needs `pnpm build` first.
 * `BENCH_RUNS` (default 3) sets the audits per page; `CHROMIUM` the browser (default /usr/bin/chromium).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { repoRoot, startServer } from '../e2e/server.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

if (!existsSync(join(repoRoot, 'app/build/index.html'))) {
  console.log('skipped: app/build is missing; run `pnpm build` first (this audits the built app)');
  process.exit(0);
}
if (!existsSync(CHROMIUM)) {
  console.log(`skipped: no Chromium at ${CHROMIUM} (set CHROMIUM)`);
  process.exit(0);
}

/** A Chromium with its DevTools port open (port 0: the browser picks one and prints it). */
async function launchChromium(): Promise<{ port: number; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'datapatch-lighthouse-'));
  const child: ChildProcess = spawn(
    CHROMIUM,
    [...FLAGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  const port = await new Promise<number>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`Chromium did not start:\n${output}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(output);
      if (found) {
        clearTimeout(timer);
        ready(Number(found[1]));
      }
    });
    child.once('exit', (code) => fail(new Error(`Chromium exited (${code}):\n${output}`)));
  });
  return {
    port,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

type Audit = { performance: number; accessibility: number; bestPractices: number; lcp: number; tbt: number };

async function audit(url: string, port: number): Promise<Audit> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices'],
  });
  if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
  const { categories, audits } = result.lhr;
  const score = (key: string) => Math.round((categories[key]?.score ?? 0) * 100);
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    lcp: audits['largest-contentful-paint']?.numericValue ?? Number.NaN,
    tbt: audits['total-blocking-time']?.numericValue ?? Number.NaN,
  };
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};
const line = (a: Audit) =>
  `performance ${a.performance}, accessibility ${a.accessibility}, best practices ${a.bestPractices}, ` +
  `LCP ${(a.lcp / 1000).toFixed(2)} s, TBT ${Math.round(a.tbt)} ms`;

const { server, stop } = await startServer();
const browser = await launchChromium();
try {
  const datasets = (await (await fetch(`${server.url}/api/datasets`)).json()) as {
    datasets: { id: string }[];
  };
  const dataset = datasets.datasets[0]?.id;
  if (dataset === undefined) throw new Error('the server lists no dataset: the demo dataset is missing');
  const rows = (await (await fetch(`${server.url}/api/datasets/${dataset}/rows?limit=1`)).json()) as {
    rows: { id: string }[];
  };
  const record = rows.rows[0]?.id;
  if (record === undefined) throw new Error('the demo dataset has no record');
  const pages = {
    home: '/',
    dataset: `/datasets/${dataset}`,
    record: `/datasets/${dataset}/records/${record}`,
  };
  console.log(
    `Lighthouse 12, mobile emulation, ${RUNS} runs per page; load averages at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );
  for (const [name, path] of Object.entries(pages)) {
    const runs: Audit[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await audit(`${server.url}${path}`, browser.port);
      runs.push(run);
      console.log(`  ${name} run ${i + 1}: ${line(run)}`);
    }
    const mid: Audit = {
      performance: median(runs.map((r) => r.performance)),
      accessibility: median(runs.map((r) => r.accessibility)),
      bestPractices: median(runs.map((r) => r.bestPractices)),
      lcp: median(runs.map((r) => r.lcp)),
      tbt: median(runs.map((r) => r.tbt)),
    };
    console.log(`${name} (${path}) median: ${line(mid)}`);
  }
  console.log(
    `load averages at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );
} finally {
  await browser.close();
  await stop();
}
