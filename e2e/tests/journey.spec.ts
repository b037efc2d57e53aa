import { expect, test } from '../fixtures.ts';
import { accentedPlace } from '../places.ts';

test('a citizen opens the demo dataset, finds a place typed without accents, opens its record', async ({
  page,
  server,
  demo,
}) => {
  const place = accentedPlace(demo);
  await page.goto(server.url);
  await page.locator(`a[href="/datasets/${demo.id}"]`).click();
  await expect(page.getByRole('status').filter({ hasText: 'En ligne' })).toBeVisible();
  // The time of the last sync shows once the page has painted (its date format loads after).
  await expect(page.getByRole('status').filter({ hasText: 'En ligne' })).toContainText(
    /dernière synchro \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/,
  );
  await expect(page.getByRole('table')).toBeVisible();

  await page.getByLabel('Rechercher dans les fiches').fill(place.query);
  const link = page.locator(`a[href="/datasets/${demo.id}/records/${place.rowId}"]`);
  await expect(link).toBeVisible();
  await expect(link).toHaveText(place.name);
  await link.click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(place.name);
  await expect(page).toHaveTitle(new RegExp(place.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // Back to the list keeps the search.
  await page.getByRole('link', { name: /Retour à la liste/ }).click();
  await expect(page.getByLabel('Rechercher dans les fiches')).toHaveValue(place.query);
});

test('the table sorts by a column and is keyboard reachable', async ({ page, server, demo }) => {
  await page.goto(`${server.url}/datasets/${demo.id}`);
  const header = page.getByRole('columnheader').first();
  await expect(header).toHaveAttribute('aria-sort', 'none');
  await header.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await page.keyboard.press('Enter');
  await expect(header).toHaveAttribute('aria-sort', 'descending');
});

test('a closed-set filter narrows the records', async ({ page, server, demo }) => {
  await page.goto(`${server.url}/datasets/${demo.id}`);
  const count = page.locator('.count');
  await expect(count).toContainText('fiches sur');
  const filters = page.locator('details.filters');
  test.skip((await filters.count()) === 0, 'the demo dataset has no field with a closed set of values');
  await filters.locator('summary').click();
  const choice = filters.locator('input[type=checkbox]').first();
  const label = filters.locator('label').first();
  const expected = Number(((await label.locator('.muted').textContent()) ?? '').replace(/\D/g, ''));
  await choice.check();
  await expect(count).toHaveText(new RegExp(`^${expected} fiches? sur`));
  // Faceted counts: another field's counts now add up to the records the first choice kept.
  const other = filters.locator('fieldset').nth(1);
  if ((await other.count()) > 0) {
    const sum = async () =>
      (await other.locator('label .muted').allTextContents()).reduce(
        (total, text) => total + Number(text.replace(/\D/g, '')),
        0,
      );
    await expect.poll(sum).toBe(expected);
  }
});
