/**
 * The citizen app on the real 29,290-row acceslibre dataset, in Debian's Chromium against a real
 * `datapatch serve`: time from opening the dataset page to its first rows on screen, cold (the
 * device has no copy: everything comes over the network) and warm (the copy y-indexeddb kept),
 * the JS heap after load, scroll frame times, search and sort latency, the gzipped JavaScript of the
 * first load. Prints figures; never fails on a time. Needs `pnpm build` first and
 * ../shared/data; skips with a message without them. `BENCH_RUNS` (default 3) sets the runs per
 * case; `BENCH_PROFILE=1` also prints where a warm open spends its CPU time;
 * `BENCH_NO_SERVICE_WORKER=1` opens the pages without the app's service worker (to see its cost);
 * `BENCH_VIEWPORT=360x740` opens them phone-sized (cards; the scroll figure then needs the table).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import { repoRoot, startServer } from '../e2e/server.ts';

const CSV = join(repoRoot, '../shared/data/acceslibre/data/generic.csv');
const DATASET = 'acceslibre-generic';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** `BENCH_VIEWPORT=360x740` measures a phone-sized page (the cards view) instead of 1280×800. */
const [WIDTH, HEIGHT] = (process.env.BENCH_VIEWPORT ?? '1280x800').split('x').map(Number) as [number, number];
/** How long the bench leaves an opening page alone before reading its marks. */
const QUIET_MS = 3000;

if (!existsSync(CSV)) {
  console.log(
    'skipped: ../shared/data/acceslibre/data/generic.csv is missing (the large real files are not in a clone)',
  );
  process.exit(0);
}
if (!existsSync(join(repoRoot, 'app/build/index.html'))) {
  console.log('skipped: app/build is missing; run `pnpm build` first (this measures the built app)');
  process.exit(0);
}

// Installed before any page script: notes (relative to navigation start) when the first data
// row is on screen, in the table or as a card, and when the count names every row.
const WATCH = `(() => {
  const seen = () => {
    if (window.__firstRows === undefined && document.querySelector('.scroller tbody tr a, .cards .card a')) {
      window.__firstRows = performance.now();
    }
    const count = document.querySelector('.count');
    if (window.__allRows === undefined && count && /29\\s?290 fiches sur 29\\s?290/.test(count.textContent.replace(/\\u202f|\\u00a0/g, ' '))) {
      window.__allRows = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] ?? Number.NaN);
};
const fmt = (xs: number[]) =>
  `median ${Math.round(median(xs))} ms (runs: ${xs.map((x) => Math.round(x)).join(', ')})`;

const { server, stop } = await startServer({
  prepare: (dataDir) => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'sync-server/src/cli/main.ts',
        'import',
        CSV,
        '--dataset',
        DATASET,
        '--title',
        'Acceslibre',
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
const datasetUrl = `${server.url}/datasets/${DATASET}`;

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: WIDTH, height: HEIGHT },
    locale: 'fr-FR',
    ...(process.env.BENCH_NO_SERVICE_WORKER === '1' ? { serviceWorkers: 'block' as const } : {}),
  });
  await context.addInitScript(WATCH);
  return context;
}

/** Opens the dataset page in a fresh tab; times are from navigation start. */
async function open(
  context: BrowserContext,
  scripts?: Map<string, number>,
): Promise<{ page: Page; first: number; all: number; read: number; opened: number; paint: number }> {
  const page = await context.newPage();
  const read = scripts === undefined ? null : recordScripts(page, scripts);
  await page.goto(datasetUrl);
  // Nothing is evaluated in the page for the first seconds: Playwright's first evaluation injects
  // its own script (~35 ms on the page's main thread), which landed while the first screen was
  // being rasterized and delayed its paint. The marks are kept by the page meanwhile.
  await page.waitForTimeout(QUIET_MS);
  await page.waitForFunction('window.__firstRows !== undefined && window.__allRows !== undefined', null, {
    timeout: 180_000,
    polling: 100,
  });
  // The session marks when the device's copy was read (before the websocket opens).
  // First rows are timed when they enter the page; the browser paints them a little later (the
  // app draws nothing before, so its first contentful paint is the first screen).
  const [first, all, copyRead, opened, paint] = (await page.evaluate(
    `[window.__firstRows, window.__allRows, ...['datapatch:local-copy-read', 'datapatch:session-opened', 'first-contentful-paint'].map(
      (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN)]`,
  )) as [number, number, number, number, number];
  await read?.();
  return { page, first, all, read: copyRead, opened, paint };
}

try {
  // First load: every JavaScript file the home page fetched, gzipped.
  const probe = await newContext();
  const scripts = new Map<string, number>();
  const home = await probe.newPage();
  const homeRead = recordScripts(home, scripts);
  await home.goto(server.url, { waitUntil: 'networkidle' });
  await homeRead();
  const homeJs = [...scripts.values()].reduce((a, b) => a + b, 0);
  const datasetScripts = new Map<string, number>();
  await probe.close();

  const cold = { first: [] as number[], all: [] as number[] };
  const warm = {
    first: [] as number[],
    paint: [] as number[],
    all: [] as number[],
    read: [] as number[],
    opened: [] as number[],
  };
  // The same warm open without the kept first screen (as before lib/first-screen), back to back.
  const bare = { first: [] as number[], paint: [] as number[], read: [] as number[] };
  let heapMiB = 0;
  let context: BrowserContext | null = null;
  for (let run = 0; run < RUNS; run++) {
    await context?.close();
    context = await newContext();
    const c = await open(context, run === 0 ? datasetScripts : undefined);
    cold.first.push(c.first);
    cold.all.push(c.all);
    // Let y-indexeddb finish writing what arrived before the tab closes, and the session keep
    // the dataset's first screen (a few seconds after the rows settled).
    await c.page.waitForTimeout(1500);
    await c.page.waitForFunction(`localStorage.getItem('datapatch:firstScreen:${DATASET}') !== null`, null, {
      timeout: 60_000,
      polling: 200,
    });
    await c.page.close();
    const w = await open(context);
    warm.first.push(w.first);
    warm.paint.push(w.paint);
    warm.all.push(w.all);
    warm.read.push(w.read);
    warm.opened.push(w.opened);
    if (run === RUNS - 1) {
      await w.page.waitForTimeout(2000);
      const cdp = await context.newCDPSession(w.page);
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      heapMiB = usedSize / 1024 / 1024;
    }
    await w.page.evaluate(`localStorage.removeItem('datapatch:firstScreen:${DATASET}')`);
    await w.page.close();
    const b = await open(context);
    bare.first.push(b.first);
    bare.paint.push(b.paint);
    bare.read.push(b.read);
    await b.page.close();
  }

  // Scroll and search on a warm page.
  if (context === null) throw new Error('no run');
  const { page } = await open(context);
  // The first screen may still be the kept one (100 rows): scroll the real rows.
  await page.waitForFunction(`performance.getEntriesByName('datapatch:local-copy-read').length > 0`);
  await page.waitForTimeout(1000);
  // A phone-sized page opens on cards: the scroll and sort figures are the table's.
  if (WIDTH < 640) {
    await page.getByRole('button', { name: 'Tableau', exact: true }).click();
    await page.locator('.scroller').waitFor();
  }
  const frames = (await page.evaluate(`new Promise((done) => {
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
  })`)) as number[];
  const sorted = frames.slice().sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

  const search = page.getByLabel('Rechercher dans les fiches');
  const searchTimes: string[] = [];
  for (const query of ['mairie', 'boulangerie lyon', 'ecole paris']) {
    const before = await page.locator('.count').textContent();
    const t0 = Date.now();
    await search.fill(query);
    await page
      .locator('.count')
      .filter({ hasNotText: before ?? '' })
      .waitFor();
    searchTimes.push(`${query} ${Date.now() - t0} ms`);
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
  await page.close();

  let profile = '';
  if (process.env.BENCH_PROFILE === '1') profile = await profileWarmOpen(context);
  await context.close();

  console.log(
    `dataset: acceslibre generic.csv, 29,290 rows x 10 fields; Chromium ${WIDTH}x${HEIGHT}${WIDTH < 640 ? ' (cards)' : ''}, over loopback`,
  );
  console.log(
    `first load (home page), JavaScript gzipped: ${(homeJs / 1024).toFixed(1)} KiB in ${scripts.size} files`,
  );
  const datasetJs = [...datasetScripts.values()].reduce((a, b) => a + b, 0);
  console.log(
    `dataset page opened directly, JavaScript gzipped: ${(datasetJs / 1024).toFixed(1)} KiB in ${datasetScripts.size} files`,
  );
  console.log(`cold open (no local copy) -> first rows: ${fmt(cold.first)}`);
  console.log(`cold open -> count of every row shown:   ${fmt(cold.all)}`);
  console.log(`warm open (y-indexeddb copy) -> first rows: ${fmt(warm.first)}`);
  console.log(`warm open -> first contentful paint: ${fmt(warm.paint)}`);
  console.log(`warm open -> dataset session opened (app booted): ${fmt(warm.opened)}`);
  console.log(`warm open -> device copy read (y-indexeddb): ${fmt(warm.read)}`);
  console.log(`warm open -> count of every row shown:      ${fmt(warm.all)}`);
  console.log(`warm open without the kept first screen -> first rows: ${fmt(bare.first)}`);
  console.log(`warm open without the kept first screen -> first contentful paint: ${fmt(bare.paint)}`);
  console.log(`warm open without the kept first screen -> device copy read: ${fmt(bare.read)}`);
  console.log(`JS heap after a warm open (after GC): ${heapMiB.toFixed(1)} MiB`);
  console.log(
    `scroll the table to the end, ${sorted.length} frames of 3000 px: p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${pct(100).toFixed(1)} ms`,
  );
  console.log(`search (type -> count shown): ${searchTimes.join(', ')}`);
  console.log(`sort by the second column (click -> sorted): ${sortMs} ms`);
  if (profile) console.log(profile);
} finally {
  await browser.close();
  await stop();
}

/**
 * Every JavaScript file the page fetches, gzipped (level 9), by path. Bodies arrive after the
 * responses: await the returned function before reading the sizes.
 */
function recordScripts(page: Page, into: Map<string, number>): () => Promise<unknown> {
  const reading: Promise<void>[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.endsWith('.js')) return;
    reading.push(
      response.body().then(
        (body) => void into.set(url.pathname, gzipSync(body, { level: 9 }).length),
        () => {
          // No body (a redirect): nothing was downloaded.
        },
      ),
    );
  });
  return () => Promise.all(reading);
}

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};

/** A CPU profile of one warm open, summed by function: the 25 with the most self time. */
async function profileWarmOpen(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.goto(datasetUrl);
  await page.waitForFunction('window.__allRows !== undefined', null, { timeout: 180_000, polling: 100 });
  await page.waitForTimeout(500);
  const { profile } = (await cdp.send('Profiler.stop')) as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  await page.close();
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (self.get(node.id) ?? 0) / 1000);
  }
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25);
  // Who called the heaviest functions: each node's callers, up to five frames.
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const stacks = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = (self.get(node.id) ?? 0) / 1000;
    if (ms === 0 || node.callFrame.url === '') continue;
    const frames: string[] = [];
    for (
      let at: ProfileNode | undefined = node;
      at !== undefined && frames.length < 6;
      at = parent.get(at.id)
    ) {
      frames.push(`${at.callFrame.functionName || '(anonymous)'}:${at.callFrame.lineNumber + 1}`);
    }
    const key = frames.join(' < ');
    stacks.set(key, (stacks.get(key) ?? 0) + ms);
  }
  const heavy = [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 15);
  return `warm open, CPU self time by function (ms):\n${top.map(([k, ms]) => `  ${ms.toFixed(0).padStart(6)}  ${k}`).join('\n')}\nheaviest stacks (ms):\n${heavy.map(([k, ms]) => `  ${ms.toFixed(0).padStart(6)}  ${k}`).join('\n')}`;
}
