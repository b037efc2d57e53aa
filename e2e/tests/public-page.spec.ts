/**
 * The public page of a dataset on a phone and the record page: at 390×844 a record is on the
 * first screen without scrolling; "Carte" brings the map into view; a record page shows a small
 * map and its coordinates rounded to 5 decimals, never GeoJSON text; the history names an import
 * as the dataset's change. Screenshots at 360, 390 and 1366 px in e2e/screenshots/public-page/.
 */
import { join } from 'node:path';
import { demoDatasetId, expect, test } from '../fixtures.ts';
import { repoRoot } from '../server.ts';
import { signInContext } from './hub-support.ts';

const shots = join(repoRoot, 'e2e/screenshots/public-page');

test('at 390×844 a record is on the first screen, and "Carte" brings the map into view', async ({
  page,
  server,
}) => {
  const id = await demoDatasetId(server);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/datasets/${id}`);
  const firstRecord = page.locator('.cards .card a').first();
  await expect(firstRecord).toBeVisible();
  expect(await page.evaluate<number>('window.scrollY')).toBe(0);
  await expect(firstRecord).toBeInViewport();
  await page.getByRole('button', { name: 'Carte' }).click();
  await expect(page.getByTestId('dataset-map')).toBeInViewport({ ratio: 0.5 });
});

test('a record page shows a small map and rounded coordinates, never GeoJSON text', async ({
  page,
  server,
}) => {
  const id = await demoDatasetId(server);
  const rows = (await (await page.request.get(`${server.url}/api/datasets/${id}/rows?limit=1`)).json()) as {
    rows: { id: string; values: Record<string, unknown> }[];
  };
  const row = rows.rows[0];
  if (row === undefined) throw new Error('the demo dataset has no record');
  await page.goto(`${server.url}/datasets/${id}/records/${row.id}`);
  await expect(page.getByTestId('record-map')).toBeVisible();
  // French number format: "48,86736 ; 2,35402" (latitude first, at most 5 decimals).
  await expect(page.getByTestId('record-coordinates')).toHaveText(/^-?\d+(,\d{1,5})? ; -?\d+(,\d{1,5})?$/);
  const text = (await page.locator('main').textContent()) ?? '';
  expect(text).not.toContain('{"type":');
  expect(text).not.toContain('"coordinates"');
  // No number in the record shows more than 5 decimals.
  expect(text).not.toMatch(/\d[.,]\d{6,}/);
});

test('the history shows an import as the dataset’s change, not its first record’s', async ({
  page,
  context,
  server,
}) => {
  const id = await demoDatasetId(server);
  await signInContext(context, server);
  await page.goto(`${server.url}/datasets/${id}/history`);
  const imported = page
    .locator('[data-testid="change"][data-kind="create"]')
    .filter({ hasText: /Import de \d+ fiches/ });
  await expect(imported).toHaveCount(1);
  const target = imported.getByTestId('change-target');
  await expect(target).toContainText('Jeu de données «');
  await expect(target.getByRole('link')).toHaveAttribute('href', `/datasets/${id}`);
  // The first record's own history has no import in it.
  const first = (await (await page.request.get(`${server.url}/api/datasets/${id}/rows?limit=1`)).json()) as {
    rows: { id: string }[];
  };
  await page.goto(`${server.url}/datasets/${id}/history?record=${first.rows[0]?.id}`);
  await expect(page.getByText(/Fiche « /)).toBeVisible();
  await expect(page.getByText(/Import de \d+ fiches/)).toHaveCount(0);
});

for (const width of [360, 390, 1366]) {
  test(`screenshots of the dataset and record pages at ${width} px`, async ({ page, server }) => {
    const id = await demoDatasetId(server);
    await page.setViewportSize({ width, height: width < 640 ? 800 : 900 });
    await page.goto(`${server.url}/datasets/${id}`);
    const record = page.locator(width < 640 ? '.cards .card a' : '.scroller tbody tr a').first();
    await expect(record).toBeVisible();
    await page.screenshot({ path: join(shots, `dataset-${width}.png`) });
    await page.getByRole('region', { name: 'Télécharger / réutiliser' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `dataset-reuse-${width}.png`) });
    await record.click();
    await expect(page.getByTestId('record-map')).toBeVisible();
    await page.screenshot({ path: join(shots, `record-${width}.png`), fullPage: true });
  });
}
