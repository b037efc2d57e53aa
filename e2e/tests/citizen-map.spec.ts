/**
 * Issue 5's map, on a server whose configured basemap cannot be reached (as offline on a
 * phone): the demo dataset's places are still drawn, clustered, and listed; a cluster zooms
 * in and a place opens its record, by keyboard; the proposal form's map picker fills the
 * latitude and longitude that reach the server; "near me" with a granted position puts the
 * nearest place first. axe checks the map and the picker; screenshots in
 * e2e/screenshots/citizen-map/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Locator, Page } from '@playwright/test';
import { demoDatasetId, expect, openDataset, repoRoot, test } from '../fixtures.ts';
import type { Server } from '../server.ts';
import { adminToken, listProposals, noSeriousViolations, startServerWithAdmin } from './citizen-support.ts';

/** Port 9 (discard) on loopback: refused at once, like tiles on a phone with no network. */
const UNREACHABLE_TILES = 'http://127.0.0.1:9/tiles/{z}/{x}/{y}.png';
const shots = join(repoRoot, 'e2e/screenshots/citizen-map');

type Placed = { id: string; lat: number; lon: number };

let own: { server: Server; stop: () => Promise<void> };
let datasetId = '';
let placed: Placed[] = [];

test.beforeAll(async () => {
  const saved = process.env.DATAPATCH_BASEMAP_URL;
  process.env.DATAPATCH_BASEMAP_URL = UNREACHABLE_TILES;
  try {
    own = await startServerWithAdmin();
  } finally {
    if (saved === undefined) delete process.env.DATAPATCH_BASEMAP_URL;
    else process.env.DATAPATCH_BASEMAP_URL = saved;
  }
  datasetId = await demoDatasetId(own.server);
  const demo = await openDataset(own.server, datasetId);
  placed = [...demo.rows.rows()].flatMap((row) => {
    const lat = row.values.geo_point_2d_lat;
    const lon = row.values.geo_point_2d_long;
    return typeof lat === 'number' && typeof lon === 'number' ? [{ id: row.id, lat, lon }] : [];
  });
  demo.close();
  mkdirSync(shots, { recursive: true });
});
test.afterAll(async () => {
  await own?.stop();
});

/** Leaflet's own marker on objects it manages: tells its chunk apart whatever its hashed name. */
const LEAFLET_MARK = '_leaflet_id';

/** Gzipped size of every script the page downloads, and whether Leaflet was one of them. */
function watchScripts(page: Page): { total: () => number; leaflet: () => boolean } {
  const sizes = new Map<string, number>();
  let leaflet = false;
  page.on('response', async (response) => {
    if (!new URL(response.url()).pathname.endsWith('.js')) return;
    try {
      const body = await response.body();
      sizes.set(response.url(), gzipSync(body, { level: 9 }).length);
      if (body.includes(LEAFLET_MARK)) leaflet = true;
    } catch {
      // No body (redirect): nothing downloaded.
    }
  });
  return { total: () => [...sizes.values()].reduce((a, b) => a + b, 0), leaflet: () => leaflet };
}
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Places drawn on the map: lone markers plus what each cluster counts. */
async function drawnPlaces(page: Page): Promise<number> {
  const lone = await page.locator('.dp-place').count();
  const counts = await page.locator('.dp-cluster').allTextContents();
  return lone + counts.reduce((sum, text) => sum + Number(text.trim()), 0);
}

// Every test here runs on a server whose basemap is unreachable on purpose.
test.beforeEach(({ browserErrors }) => {
  browserErrors.expect({
    message: /^Failed to load resource: net::ERR_UNSAFE_PORT$/,
    url: /^http:\/\/127\.0\.0\.1:9\//,
    why: 'the basemap tiles point at a port nothing answers on, to show the map without tiles',
  });
});

test('the map shows every place clustered without a basemap; a cluster zooms, a place opens its record', async ({
  page,
}) => {
  // axe and two screenshots on a busy 2-core machine: more than the default minute.
  test.setTimeout(150_000);
  const { server } = own;
  expect(placed.length).toBeGreaterThan(20);
  await page.setViewportSize({ width: 1280, height: 900 });
  const scripts = watchScripts(page);
  await page.goto(`${server.url}/datasets/${datasetId}`, { waitUntil: 'networkidle' });
  await expect(page.getByRole('button', { name: 'Carte', exact: true })).toBeVisible();
  const pageOnly = scripts.total();
  expect(scripts.leaflet(), 'the dataset page must not load the map library').toBe(false);
  await page.getByRole('button', { name: 'Carte', exact: true }).click();
  await expect.poll(scripts.leaflet).toBe(true);
  console.log(`dataset page JS gzipped: ${kib(pageOnly)}; after opening the map: ${kib(scripts.total())}`);
  const map = page.getByRole('region', { name: /^Carte des lieux/ });
  await expect(map).toBeVisible();
  await expect(page.getByText('Fond de carte injoignable')).toBeVisible();

  // Framed on the dataset: every place is in view, drawn once, mostly in clusters.
  await expect(page.getByRole('heading', { name: `${placed.length} lieux dans la vue` })).toBeVisible();
  await expect.poll(() => drawnPlaces(page)).toBe(placed.length);
  expect(await page.locator('.dp-cluster').count()).toBeGreaterThan(0);
  await expect(page.getByTestId('map-places').getByRole('link')).toHaveCount(Math.min(100, placed.length));
  await noSeriousViolations(page, 'map view');
  await page.screenshot({ path: join(shots, '1-map-no-basemap.png'), fullPage: true });

  // By keyboard: Enter on a cluster zooms in until lone places show, Enter on one opens it.
  const before = await page.getByTestId('map-places').getByRole('link').count();
  for (let round = 0; round < 8 && (await page.locator('.dp-place').count()) === 0; round++) {
    const cluster = page.locator('.dp-cluster').first();
    await cluster.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('map-places').getByRole('link').count())
      .toBeLessThanOrEqual(before);
  }
  // Tab goes through the markers in reading order: their order in the page is north to south
  // (also after the zooms, which kept some and added others). Leaflet keeps each marker's
  // projected point (y grows southwards) on its element.
  const centres = await page.evaluate<{ x: number; y: number }[]>(
    `[...document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon')].map((icon) => icon._leaflet_pos)`,
  );
  expect(centres.length).toBeGreaterThan(1);
  // Points are rounded to pixels: two markers on one row may come in either order.
  const inReadingOrder = centres.every((at, i) => i === 0 || centres[i - 1]!.y <= at.y);
  expect(inReadingOrder, JSON.stringify(centres)).toBe(true);
  const place = page.locator('.dp-place').first();
  const rowId = await place.getAttribute('data-record');
  expect(placed.map((p) => p.id)).toContain(rowId);
  await page.screenshot({ path: join(shots, '2-map-zoomed.png') });
  await place.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`${server.url}/datasets/${datasetId}/records/${rowId}`);

  // Back to the list: the map is still the chosen view.
  await page.goBack();
  await expect(page.getByRole('button', { name: 'Carte', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('the search narrows the map to the records it finds', async ({ page }) => {
  const { server } = own;
  await page.goto(`${server.url}/datasets/${datasetId}`);
  await page.getByRole('button', { name: 'Carte', exact: true }).click();
  await expect.poll(() => drawnPlaces(page)).toBe(placed.length);
  await page.getByLabel('Rechercher dans les fiches').fill('quai');
  const shown = Number((await page.locator('p.count').textContent())?.match(/^\d+/)?.[0]);
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(placed.length);
  await expect.poll(() => drawnPlaces(page)).toBe(shown);
});

test('"near me" with a granted position puts the nearest place first, with its distance', async ({
  page,
  context,
}) => {
  const { server } = own;
  const target = placed[Math.floor(placed.length / 2)];
  if (target === undefined) throw new Error('no placed record');
  await context.grantPermissions(['geolocation'], { origin: server.url });
  await context.setGeolocation({ latitude: target.lat, longitude: target.lon + 0.00002 });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${server.url}/datasets/${datasetId}`);
  await page.getByRole('button', { name: 'Fiches', exact: true }).click();
  await page.getByRole('button', { name: 'Près de moi' }).click();
  await expect(page.getByText('Fiches triées de la plus proche')).toBeVisible();
  // The nearest record first, at 0 m, and the next one with its distance: on the cards, then
  // after each name in the table.
  const nearestFirst = async (items: Locator) => {
    await expect(items.first().getByRole('link')).toHaveAttribute(
      'href',
      `/datasets/${datasetId}/records/${target.id}`,
    );
    await expect(items.first()).toContainText('à 0 m');
    await expect(items.nth(1)).toContainText(/à \d/);
  };
  await nearestFirst(page.locator('.card'));
  await page.screenshot({ path: join(shots, '3-near-me-360.png') });
  await page.getByRole('button', { name: 'Tableau', exact: true }).click();
  await nearestFirst(page.locator('.scroller tbody tr'));
});

test('"near me" refused says why and keeps the list', async ({ page }) => {
  const { server } = own;
  await page.goto(`${server.url}/datasets/${datasetId}`);
  await page.getByRole('button', { name: 'Fiches', exact: true }).click();
  const firstBefore = await page.locator('.card a').first().getAttribute('href');
  await page.getByRole('button', { name: 'Près de moi' }).click();
  await expect(page.getByText('Position refusée')).toBeVisible();
  await expect(page.locator('.card a').first()).toHaveAttribute('href', firstBefore ?? '');
});

test('the map picker of a new place sets the latitude and longitude that are sent', async ({ page }) => {
  const { server } = own;
  const marker = `e2e map picker ${Date.now()}`;
  await page.goto(`${server.url}/datasets/${datasetId}/propose`);
  await page.getByRole('button', { name: 'Choisir sur la carte' }).click();
  const picker = page.getByTestId('position-picker');
  await expect(picker).toBeVisible();
  await expect(page.getByText('Fond de carte injoignable')).toBeVisible();

  // A click (or tap) on the map sets the point; the inputs follow.
  await picker.click({ position: { x: 120, y: 90 } });
  await expect(page.getByTestId('picked')).toContainText('Point placé');
  const clicked = {
    lat: await page.getByLabel('Latitude').inputValue(),
    lon: await page.getByLabel('Longitude').inputValue(),
  };
  expect(Number(clicked.lat)).toBeGreaterThan(48.8);

  // Dragging the point moves it: down and to the right is south and east.
  const pin = picker.locator('.leaflet-marker-icon');
  const box = await pin.boundingBox();
  if (box === null) throw new Error('the picked point has no marker');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 30, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByLabel('Latitude')).not.toHaveValue(clicked.lat);
  const dragged = {
    lat: Number(await page.getByLabel('Latitude').inputValue()),
    lon: Number(await page.getByLabel('Longitude').inputValue()),
  };
  expect(dragged.lat).toBeLessThan(Number(clicked.lat));
  expect(dragged.lon).toBeGreaterThan(Number(clicked.lon));

  // By keyboard: arrows move the map, the button places the point at its centre.
  await picker.focus();
  await page.keyboard.press('ArrowLeft');
  await page.getByRole('button', { name: 'Placer le point au centre de la carte' }).click();
  await expect(page.getByLabel('Longitude')).not.toHaveValue(String(dragged.lon));
  const lat = Number(await page.getByLabel('Latitude').inputValue());
  const lon = Number(await page.getByLabel('Longitude').inputValue());
  expect(lat).toBeGreaterThan(48.8);
  expect(lat).toBeLessThan(48.95);
  expect(lon).toBeGreaterThan(2.2);
  expect(lon).toBeLessThan(2.5);
  await noSeriousViolations(page, 'new place form with the map picker');
  await page.screenshot({ path: join(shots, '4-picker.png'), fullPage: true });

  await page.getByRole('radio', { name: 'URINOIR', exact: true }).check();
  await page.getByLabel('Adresse').fill(`2 rue de la Carte ${marker}`);
  await page.getByLabel('Arrondissement (code postal)').fill('75004');
  await page.getByLabel('Commentaire pour les modérateurs').fill(marker);
  await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await expect(page.getByText('Proposition envoyée.')).toBeVisible();

  const token = await adminToken(server);
  const mine = (await listProposals(server, token, datasetId)).filter((p) =>
    JSON.stringify(p).includes(marker),
  );
  expect(mine).toHaveLength(1);
  expect(mine[0]?.proposed).toMatchObject({ geo_point_2d_lat: lat, geo_point_2d_long: lon });
});
