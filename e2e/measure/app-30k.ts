/**
 * Measures the citizen app in Debian's Chromium against a real server, on a real 29,290-row
 * dataset (acceslibre, ../shared/data): first-load JS+CSS (gzipped), time until the table of
 * every row is shown, scroll frame times, search latency, heap. Prints figures; never fails on
 * a time. Run: `pnpm build && npx tsx e2e/measure/app-30k.ts` (from the repo root).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importFile } from '@datapatch/io';
import { chromium } from '@playwright/test';
import { repoRoot, startServer } from '../server.ts';

const CSV = join(repoRoot, '../shared/data/acceslibre/data/generic.csv');
const DATASET = 'acceslibre-generic';
const TITLE = 'Acceslibre (établissements)';

if (!existsSync(CSV)) {
  console.log(
    `skipped: ${CSV} is missing (the large real files live in ../shared/data, absent from a clone)`,
  );
  process.exit(0);
}

const imported = await importFile(new Uint8Array(readFileSync(CSV)), { filename: 'generic.csv' });
if (!imported.ok) throw new Error(`the CSV does not import: ${JSON.stringify(imported)}`);
const { fields, rows } = imported.table;
const total = new RegExp(`${rows.length.toLocaleString('fr').replace(/\s/g, '\\s?')} fiches sur`);

// The dataset is imported into the data folder by the CLI before the server starts, as an
// instance's operator would.
const { server, stop } = await startServer({
  prepare: (dataDir) => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'sync-server/src/cli.ts',
        'import',
        CSV,
        '--dataset',
        DATASET,
        '--title',
        TITLE,
        '--data',
        dataDir,
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`import failed: ${run.stdout}${run.stderr}`);
  },
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });

  // First load of the home page: every JS and CSS file it fetched, gzipped.
  const assets = new Map<string, number>();
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (!/\.(js|css)$/.test(url.pathname)) return;
    assets.set(url.pathname, gzipSync(await response.body(), { level: 9 }).length);
  });
  await page.goto(server.url, { waitUntil: 'networkidle' });
  const homeBytes = [...assets.values()].reduce((a, b) => a + b, 0);

  const opened = Date.now();
  await page.goto(`${server.url}/datasets/${DATASET}`);
  await page.locator('.count').filter({ hasText: total }).waitFor({ timeout: 120_000 });
  const tableMs = Date.now() - opened;
  const datasetBytes = [...assets.values()].reduce((a, b) => a + b, 0);

  // Scroll the whole table in 3,000 px steps, one per frame, and record each frame's duration.
  const frames = await page.evaluate(`new Promise((done) => {
    const scroller = document.querySelector('.scroller');
    const times = [];
    let last = performance.now();
    const step = () => {
      const now = performance.now();
      times.push(now - last);
      last = now;
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1 || times.length > 600) {
        done(times.slice(1));
        return;
      }
      scroller.scrollTop += 3000;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  })`);
  const sorted = (frames as number[]).slice().sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const renderedRows = await page.locator('tbody tr:not(.spacer)').count();

  // Search: from typing two words to the new count on screen.
  const search = page.getByLabel('Rechercher dans les fiches');
  const searchTimes: number[] = [];
  for (const query of ['mairie', 'boulangerie lyon', 'ecole paris', 'pharmacie']) {
    const before = await page.locator('.count').textContent();
    const t0 = Date.now();
    await search.fill(query);
    await page
      .locator('.count')
      .filter({ hasNotText: before ?? '' })
      .waitFor();
    searchTimes.push(Date.now() - t0);
    await search.fill('');
    await page
      .locator('.count')
      .filter({ hasText: /29\s?290 fiches sur/ })
      .waitFor();
  }
  const sortStart = Date.now();
  await page.getByRole('columnheader').nth(1).getByRole('button').click();
  await page.getByRole('columnheader').nth(1).and(page.locator('[aria-sort=ascending]')).waitFor();
  const sortMs = Date.now() - sortStart;
  const heap = (await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : 0')) as number;

  console.log(`dataset: ${rows.length} rows x ${fields.length} fields (acceslibre generic.csv)`);
  console.log(`home first load, JS+CSS gzipped: ${(homeBytes / 1024).toFixed(1)} KiB (${assets.size} files)`);
  console.log(`home + dataset page, JS+CSS gzipped: ${(datasetBytes / 1024).toFixed(1)} KiB`);
  console.log(
    `dataset page opened -> table of every row shown: ${tableMs} ms (no local copy, over loopback)`,
  );
  console.log(
    `scroll to the end, ${sorted.length} frames of 3000 px: p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${pct(100).toFixed(1)} ms; ${renderedRows} rows in the page`,
  );
  console.log(`search (type -> count shown): ${searchTimes.map((t) => `${t} ms`).join(', ')}`);
  console.log(`sort by a column (click -> sorted): ${sortMs} ms`);
  console.log(`JS heap used after load: ${(heap / 1024 / 1024).toFixed(1)} MiB`);
} finally {
  await browser.close();
  await stop();
}
