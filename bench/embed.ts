/**
 * The embed (`/embed.js`, issue 17 §1): its JavaScript gzipped before and after the map is
 * opened, and the time from navigation to the first records on screen on a page of ANOTHER
 * origin, in Debian's Chromium against a real `datapatch serve` with its demo dataset. Each run
 * is a fresh browser context (nothing cached). Prints figures; never fails on a time. Needs
 * `pnpm build` first; `BENCH_RUNS` (default 7) sets the runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { repoRoot, startServer } from '../e2e/server.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dist = join(repoRoot, 'app/dist/embed');
if (!existsSync(join(dist, 'embed.js')) || !existsSync(join(repoRoot, 'app/build/index.html'))) {
  console.log('skipped: app/dist/embed or app/build is missing; run `pnpm build` first');
  process.exit(0);
}

const gz = (name: string) => gzipSync(readFileSync(join(dist, name)), { level: 9 }).byteLength;
const entry = gz('embed.js');
const chunks = readdirSync(dist).filter((name) => name !== 'embed.js' && name.endsWith('.js'));
const later = chunks.reduce((sum, name) => sum + gz(name), 0);
console.log(`embed.js gzipped: ${(entry / 1024).toFixed(1)} KB (budget 60 KB before the map)`);
console.log(
  `map chunk(s) gzipped, loaded when the map is opened: ${(later / 1024).toFixed(1)} KB (${chunks.join(', ')})`,
);

const { server, stop } = await startServer();
const list = (await (await fetch(`${server.url}/api/datasets`)).json()) as {
  datasets: { id: string; rowCount: number }[];
};
const dataset = list.datasets[0];
if (!dataset) throw new Error('the server lists no dataset');

const page = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Hub</title>
<script src="${server.url}/embed.js" type="module"></script></head>
<body><datapatch-dataset dataset="${dataset.id}"></datapatch-dataset></body></html>`;
const site = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(page);
});
await new Promise<void>((listening) => site.listen(0, '127.0.0.1', listening));
const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const times: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(siteUrl);
    const at = await tab.waitForFunction(
      "document.querySelector('datapatch-dataset')?.shadowRoot?.querySelector('tr.row') ? performance.now() : null",
      undefined,
      { polling: 'raf' },
    );
    times.push(Number(await at.jsonValue()));
    await context.close();
  }
} finally {
  await browser.close();
  site.close();
  await stop();
}
const sorted = times.slice().sort((a, b) => a - b);
const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
console.log(
  `first records on a page of another origin (${dataset.id}, ${dataset.rowCount} rows, first 200 asked): median ${Math.round(median)} ms after navigation start (runs: ${times.map((t) => Math.round(t)).join(', ')})`,
);
