/**
 * First-load JavaScript stays within issue 5's budget (250 KB gzipped, map library excluded),
 * and the opening-hours library (~1 MB) is fetched only by a form that needs it. Figures are
 * printed; the only assertion on size is the budget.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';

const BUDGET = 250 * 1024;

/** Chunk names are hashes: the library is told by one of its warning codes. */
const HOURS_LIBRARY_MARK = 'without_minutes';

function recordScripts(page: Page): { sizes: Map<string, number>; hoursLibrary: () => boolean } {
  const sizes = new Map<string, number>();
  let hoursLibrary = false;
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (!url.pathname.endsWith('.js')) return;
    try {
      const body = await response.body();
      sizes.set(url.pathname, gzipSync(body, { level: 9 }).length);
      if (body.includes(HOURS_LIBRARY_MARK)) hoursLibrary = true;
    } catch {
      // A response without a body (redirect): nothing was downloaded.
    }
  });
  return { sizes, hoursLibrary: () => hoursLibrary };
}

const total = (sizes: Map<string, number>) => [...sizes.values()].reduce((a, b) => a + b, 0);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

test('first load fits the budget; the opening-hours checker loads only with a form', async ({
  page,
  server,
  demo,
}) => {
  const { sizes: scripts, hoursLibrary } = recordScripts(page);
  await page.goto(server.url, { waitUntil: 'networkidle' });
  const home = total(scripts);
  console.log(`home first load, JS gzipped: ${kib(home)} (${scripts.size} files)`);
  expect(home).toBeLessThanOrEqual(BUDGET);

  const rowId = [...demo.rows.rows()][0]?.id ?? '';
  await page.goto(`${server.url}/datasets/${demo.id}/records/${encodeURIComponent(rowId)}`, {
    waitUntil: 'networkidle',
  });
  const record = total(scripts);
  console.log(`record page opened directly, JS gzipped: ${kib(record)} (${scripts.size} files)`);
  expect(hoursLibrary()).toBe(false);

  await page.getByRole('link', { name: 'Proposer une correction' }).click();
  await page.getByLabel('Horaires').fill('Mo-Fr 09:00-18:00');
  await expect.poll(hoursLibrary).toBe(true);
  console.log(`after opening the form and typing hours, JS gzipped: ${kib(total(scripts))}`);
});

test('a dataset page opened directly (a shared link) fits the budget too, map library excluded', async ({
  page,
  server,
  demo,
}) => {
  const { sizes: scripts } = recordScripts(page);
  await page.goto(`${server.url}/datasets/${demo.id}`, { waitUntil: 'networkidle' });
  await expect(page.locator('.count')).toContainText('fiches sur');
  const dataset = total(scripts);
  console.log(`dataset page opened directly, JS gzipped: ${kib(dataset)} (${scripts.size} files)`);
  expect(dataset).toBeLessThanOrEqual(BUDGET);
});
