/**
 * Issue 14: an anonymous visitor's console stays clean, with the Content-Security-Policy on.
 * The home, a dataset (table, then its map over a basemap served from another origin), a record
 * and both proposal forms are opened as nobody; a CSP violation (`securitypolicyviolation`)
 * fails the test at the page that caused it, a console error or exception fails it through the
 * `browserErrors` fixture, and a page served without its policy fails it too, so a clean
 * console cannot come from the policy being off.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server as TileServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { demoDatasetId, expect, openDataset, repoRoot, test } from '../fixtures.ts';
import { namedRecord } from '../places.ts';
import { type Server, startServer } from '../server.ts';

let own: { server: Server; stop: () => Promise<void> };
let tiles: TileServer;
let tileRequests = 0;
let datasetId = '';
let rowId = '';

test.beforeAll(async () => {
  // A basemap on another origin (another port): the policy must let its tiles in.
  const png = readFileSync(join(repoRoot, 'app/static/icon-192.png'));
  tiles = createServer((_request, response) => {
    tileRequests += 1;
    response.writeHead(200, { 'content-type': 'image/png' }).end(png);
  });
  await new Promise<void>((ready) => tiles.listen(0, '127.0.0.1', ready));
  const { port } = tiles.address() as AddressInfo;
  const saved = process.env.DATAPATCH_BASEMAP_URL;
  process.env.DATAPATCH_BASEMAP_URL = `http://127.0.0.1:${port}/{z}/{x}/{y}.png`;
  try {
    own = await startServer();
  } finally {
    if (saved === undefined) delete process.env.DATAPATCH_BASEMAP_URL;
    else process.env.DATAPATCH_BASEMAP_URL = saved;
  }
  datasetId = await demoDatasetId(own.server);
  const demo = await openDataset(own.server, datasetId);
  rowId = namedRecord(demo).row.id;
  demo.close();
});
test.afterAll(async () => {
  await own?.stop();
  await new Promise((done) => tiles?.close(done));
});

/** The policy's violations on this page, from the first script on. */
async function watchPolicy(page: Page): Promise<() => Promise<string[]>> {
  // A string: this folder's TypeScript has no DOM types.
  await page.addInitScript({
    content: `window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        window.cspViolations.push(event.violatedDirective + ' blocked ' + event.blockedURI));`,
  });
  return async () => (await page.evaluate<string[]>('window.cspViolations')).map((v) => `CSP: ${v}`);
}

async function open(page: Page, path: string): Promise<void> {
  const response = await page.goto(`${own.server.url}${path}`, { waitUntil: 'networkidle' });
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy, `${path} is served with its policy`).toContain("script-src 'self' 'sha256-");
  expect(policy).toContain("frame-ancestors 'none'");
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

test('home, dataset, map, record and proposal forms break no rule of the policy and log nothing wrong', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const problems = await watchPolicy(page);
  const dataset = `/datasets/${encodeURIComponent(datasetId)}`;
  const record = `${dataset}/records/${encodeURIComponent(rowId)}`;

  await open(page, '/');
  await expect(page.getByRole('link', { name: /Sanisettes/ })).toBeVisible();
  expect(await problems(), 'home').toEqual([]);

  await open(page, dataset);
  await expect(page.getByRole('status').filter({ hasText: 'En ligne' })).toBeVisible();
  await page.getByRole('button', { name: 'Carte', exact: true }).click();
  await expect(page.getByRole('region', { name: /^Carte des lieux/ })).toBeVisible();
  await expect.poll(() => tileRequests, 'basemap tiles were asked for').toBeGreaterThan(0);
  await expect(page.locator('.leaflet-tile-loaded').first()).toBeVisible();
  expect(await problems(), 'dataset page and its map').toEqual([]);

  for (const path of [record, `${record}/propose`, `${dataset}/propose`]) {
    await open(page, path);
    expect(await problems(), path).toEqual([]);
  }
});

test('each page carries its own title and description, also after a navigation in the app', async ({
  page,
}) => {
  await open(page, '/');
  await expect(page).toHaveTitle('Jeux de données ouverts – Data Patch');
  await page
    .getByRole('link', { name: /Sanisettes/ })
    .first()
    .click();
  await expect(page).toHaveTitle(/^Sanisettes et toilettes publiques de Paris – Data Patch$/);
  const descriptions = page.locator('meta[name="description"]');
  await expect(descriptions).toHaveCount(1);
  await expect(descriptions).toHaveAttribute('content', /Toilettes publiques/);
});
