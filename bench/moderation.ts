/**
 * Moderator throughput in Debian's Chromium against a real `datapatch serve`: the time from an
 * anonymous proposal's POST (answered 202) to its display in a moderator's open queue, and from
 * the moderator's "accept" key to the new value on a reader's record page in another browser.
 * Times are taken in the pages themselves (a MutationObserver and a keydown listener on the
 * machine's one clock), not by Playwright's polling. Prints p50 / p99 / max; asserts nothing.
 * Needs `pnpm build` first (skips with a message without it). `BENCH_ROUNDS` (default 40).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from '@playwright/test';
import { demoDatasetId, openDataset } from '../e2e/fixtures.ts';
import { namedRecord } from '../e2e/places.ts';
import { E2E_ADMIN, repoRoot, startServer } from '../e2e/server.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

if (!existsSync(join(repoRoot, 'app/build/index.html'))) {
  console.log('skipped: app/build is missing; run `pnpm build` first (this measures the built app)');
  process.exit(0);
}

// In the moderator's page: when each proposal first shows in the queue, and when "a" went down.
const QUEUE_WATCH = `(() => {
  window.__shown = {};
  window.__acceptKey = [];
  const seen = () => {
    for (const item of document.querySelectorAll('[data-proposal-id]')) {
      const id = item.getAttribute('data-proposal-id');
      if (window.__shown[id] === undefined) window.__shown[id] = Date.now();
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  addEventListener('keydown', (e) => { if (e.key === 'a') window.__acceptKey.push(Date.now()); }, true);
})();`;

// In the reader's page: when the record's heading first reads each text.
const READER_WATCH = `(() => {
  window.__headings = {};
  const seen = () => {
    const text = document.querySelector('h1')?.textContent?.trim();
    if (text && window.__headings[text] === undefined) window.__headings[text] = Date.now();
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function figures(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label}: n=${sorted.length} p50=${quantile(sorted, 0.5)} ms p99=${quantile(sorted, 0.99)} ms max=${sorted.at(-1)} ms`;
}

async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

async function until(page: Page, condition: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(condition, null, { timeout, polling: 20 });
}

// One address sends every proposal: lift the per-address limits an instance puts on citizens.
process.env.DATAPATCH_PROPOSALS_PER_ADDRESS ??= '100000';
process.env.DATAPATCH_PROPOSALS_PER_DATASET ??= '100000';
process.env.DATAPATCH_MAX_PENDING_PER_ADDRESS ??= '100000';
const { server, stop } = await startServer({ admin: true });
const browsers: Browser[] = [];
try {
  const datasetId = await demoDatasetId(server);
  const reading = await openDataset(server, datasetId);
  const { row, field: name, name: named } = namedRecord(reading);
  reading.close();
  let current = named;

  const moderatorBrowser = await launch();
  const readerBrowser = await launch();
  browsers.push(moderatorBrowser, readerBrowser);
  const moderator = await moderatorBrowser.newContext({ locale: 'fr-FR' });
  const login = await moderator.request.post(`${server.url}/api/auth/login`, {
    data: E2E_ADMIN,
    headers: { origin: server.url },
  });
  if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
  await moderator.addInitScript(QUEUE_WATCH);
  const queue = await moderator.newPage();
  await queue.goto(`${server.url}/datasets/${datasetId}/moderate`);
  await until(queue, `document.querySelector('[data-testid="queue-state"]')?.dataset.state === 'live'`);
  const readerContext = await readerBrowser.newContext({ locale: 'fr-FR' });
  await readerContext.addInitScript(READER_WATCH);
  const reader = await readerContext.newPage();
  await reader.goto(`${server.url}/datasets/${datasetId}/records/${row.id}`);
  await until(reader, `document.querySelector('h1')?.textContent?.trim() === ${JSON.stringify(current)}`);

  const answered: number[] = [];
  const arrival: number[] = [];
  const acceptToReader: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const next = `${current.replace(/ #\d+$/, '')} #${i}`;
    const sent = Date.now();
    const response = await fetch(`${server.url}/api/datasets/${datasetId}/proposals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'change',
        rowId: row.id,
        base: { [name]: current },
        proposed: { [name]: next },
        idempotencyKey: `bench-moderation-${sent}-${i}-xxxxxxxx`,
        website: '',
      }),
    });
    const body = (await response.json()) as { proposalId?: string };
    answered.push(Date.now() - sent);
    if (response.status !== 202 || body.proposalId === undefined)
      throw new Error(`proposal refused (${response.status}): ${JSON.stringify(body)}`);
    const id = JSON.stringify(body.proposalId);
    await until(queue, `window.__shown[${id}] !== undefined`);
    arrival.push((await queue.evaluate<number>(`window.__shown[${id}]`)) - sent);

    await queue.locator(`[data-proposal-id=${id}]`).click();
    await queue.locator('h1').click();
    await queue.keyboard.press('a');
    await until(reader, `window.__headings[${JSON.stringify(next)}] !== undefined`);
    const pressed = await queue.evaluate<number>('window.__acceptKey.at(-1)');
    const visible = await reader.evaluate<number>(`window.__headings[${JSON.stringify(next)}]`);
    acceptToReader.push(visible - pressed);
    current = next;
  }
  console.log(`moderation bench: ${ROUNDS} rounds, one moderator, one reader in another Chromium`);
  console.log(figures('proposal POST → its 202 answer', answered));
  console.log(figures('proposal POST → shown in an open queue', arrival));
  console.log(figures('accept (key a) → value on a reader’s record page', acceptToReader));
} finally {
  for (const b of browsers) await b.close();
  await stop();
}
