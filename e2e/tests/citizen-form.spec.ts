/**
 * The citizen's proposal form as a person meets it (issue 16): it opens on a record without a
 * page error (the `browserErrors` fixture fails the test on any); it shows no technical field
 * (the demo's GeoJSON shape), coordinates rounded in a location block; an empty "Ajouter un
 * lieu manquant" says what to fill at the top of the form, with the focus there and the fields
 * marked. Screenshots at 390 and 1366 px in e2e/screenshots/citizen-form/.
 */
import { demoDatasetId, expect, openDataset, test } from '../fixtures.ts';
import { namedRecord } from '../places.ts';
import { shootAtWidths } from './citizen-support.ts';

test('"Proposer une correction" opens the form of a record without a page error', async ({
  page,
  server,
}) => {
  const demo = await openDataset(server, await demoDatasetId(server));
  const { row, name } = namedRecord(demo);
  demo.close();
  await page.goto(`${server.url}/datasets/${demo.id}/records/${row.id}`);
  await page.getByRole('link', { name: 'Proposer une correction' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await expect(page.getByLabel('Horaires')).toBeVisible();
  // Effects that loop run within a frame or two of the form's first render.
  await page.getByLabel('Commentaire pour les modérateurs').fill('rien');
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => setTimeout(done, 300)))');
});

test('the form of a record with a GeoJSON shape has no text box for it, and shows its coordinates rounded', async ({
  page,
  server,
}) => {
  const demo = await openDataset(server, await demoDatasetId(server));
  const { row } = namedRecord(demo);
  const shape = row.values.geo_shape;
  demo.close();
  expect(typeof shape === 'string' && shape.includes('coordinates'), 'the demo record has a shape').toBe(
    true,
  );

  await page.goto(`${server.url}/datasets/${demo.id}/records/${row.id}/propose`);
  await expect(page.getByLabel('Horaires')).toBeVisible();
  await expect(page.getByLabel('Forme (GeoJSON)')).toHaveCount(0);
  for (const box of await page.locator('form input, form textarea').all()) {
    expect(await box.inputValue()).not.toContain('coordinates');
  }
  const location = page.getByRole('group', { name: 'Emplacement' });
  await expect(location.getByRole('button', { name: 'Utiliser ma position' })).toBeVisible();
  await expect(location.getByRole('button', { name: 'Choisir sur la carte' })).toBeVisible();
  await expect(location.getByLabel('Latitude')).toHaveValue(/^\d+\.\d{1,5}$/);
  await expect(location.getByLabel('Longitude')).toHaveValue(/^\d+\.\d{1,5}$/);
  // Left as shown (rounded), the coordinates are not a change.
  await expect(page.getByText('0 champ modifié')).toBeVisible();
  await shootAtWidths(page, 'citizen-form', '1-correction');
});

test('an empty "Ajouter un lieu manquant" says what to fill, at the top, with the focus there and the fields marked', async ({
  page,
  server,
}) => {
  const datasetId = await demoDatasetId(server);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/datasets/${datasetId}`);
  await page.getByRole('link', { name: 'Ajouter un lieu manquant' }).click();
  await expect(page.getByLabel('Adresse')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer la proposition' }).click();

  const problems = page.locator('#proposal-problems');
  await expect(problems).toBeFocused();
  await expect(problems).toContainText('Rien n’est rempli');
  // Required fields, by their titles, each a link to its field.
  for (const title of ['Type', 'Adresse', 'Arrondissement (code postal)', 'Latitude', 'Longitude'])
    await expect(
      problems.getByRole('link', { name: new RegExp(`« ${title.replace(/[()]/g, '\\$&')} »`) }),
    ).toBeVisible();
  // Only what the citizen can fill: no column id, no hidden technical field.
  await expect(problems).not.toContainText('geo_');
  await expect(problems).not.toContainText('GeoJSON');
  await expect(problems.getByRole('listitem')).toHaveCount(5);
  expect(await problems.evaluate((box) => box.getBoundingClientRect().top)).toBeLessThan(844);
  await expect(page.getByLabel('Adresse')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Latitude')).toHaveAttribute('aria-invalid', 'true');
  await shootAtWidths(page, 'citizen-form', '2-empty-new-place');

  await problems.getByRole('link', { name: /« Adresse »/ }).click();
  await expect(page.getByLabel('Adresse')).toBeFocused();
});
