/**
 * "Ce lieu existe peut-être déjà" (issue 18): a citizen adding a place that is already in the
 * dataset is shown the record, with why, linked to its page, before sending anything; a place
 * that matches nothing shows no hint. Screenshots at 390 and 1366 px in
 * e2e/screenshots/citizen-duplicates/.
 */
import { demoDatasetId, expect, openDataset, test } from '../fixtures.ts';
import { shootAtWidths } from './citizen-support.ts';

test('adding a place already in the dataset shows it, with why, linked to its record', async ({
  page,
  server,
}) => {
  const demo = await openDataset(server, await demoDatasetId(server));
  const existing = [...demo.rows.rows()].find(
    (row) => typeof row.values.adresse === 'string' && typeof row.values.geo_point_2d_lat === 'number',
  )!;
  demo.close();
  const { adresse, arrondissement, geo_point_2d_lat: lat, geo_point_2d_long: lon } = existing.values;

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/datasets/${demo.id}/propose`);
  await expect(page.getByLabel('Adresse')).toBeVisible();
  const hint = page.getByRole('region', { name: 'Ce lieu existe peut-être déjà' });
  await page.getByLabel('Adresse').fill('Rue imaginaire du test');
  await page.waitForTimeout(1200);
  await expect(hint).toHaveCount(0);

  await page.getByLabel('Adresse').fill(String(adresse).toLowerCase());
  await page.getByLabel('Arrondissement (code postal)').fill(String(arrondissement));
  await page.getByLabel('Latitude').fill(String(Number(lat).toFixed(5)));
  await page.getByLabel('Longitude').fill(String(Number(lon).toFixed(5)));
  await expect(hint).toBeVisible();
  const link = hint.getByRole('link', { name: String(adresse) });
  await expect(link).toHaveAttribute(
    'href',
    `/datasets/${demo.id}/records/${encodeURIComponent(existing.id)}`,
  );
  await expect(hint).toContainText(/même adresse/);
  await expect(hint).toContainText(/à \d+ m/);
  // It stands after the fields, before the comment and the send button.
  const hintBox = await hint.boundingBox();
  const commentBox = await page.locator('#proposal-comment').boundingBox();
  expect(hintBox!.y).toBeLessThan(commentBox!.y);
  expect(hintBox!.y).toBeGreaterThan((await page.getByLabel('Adresse').boundingBox())!.y);
  await hint.scrollIntoViewIfNeeded();
  await shootAtWidths(page, 'citizen-duplicates', '1-likely-duplicate');
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/records/${encodeURIComponent(existing.id)}$`));
});
