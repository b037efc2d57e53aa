import { demoDatasetId, expect, test } from '../fixtures.ts';

test('the home page lists the demo dataset, in French first', async ({ page, server }) => {
  const id = await demoDatasetId(server);
  await page.goto(server.url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jeux de données ouverts');
  const link = page.locator(`a[href="/datasets/${id}"]`);
  await expect(link).toBeVisible();
});

test('searching datasets ignores accents and case', async ({ page, server }) => {
  await page.goto(server.url);
  const first = page.locator('.datasets h2 a').first();
  await expect(first).toBeVisible();
  const title = (await first.textContent()) ?? '';
  const word = title
    .split(/\s+/)
    .sort((a, b) => b.length - a.length)[0]!
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase();
  await page.getByLabel('Rechercher un jeu de données').fill(word);
  await expect(page.locator('.datasets h2 a').first()).toHaveText(title);
  await page.getByLabel('Rechercher un jeu de données').fill('zzzz-nothing-like-this');
  await expect(page.locator('.datasets li')).toHaveCount(0);
  await expect(page.getByText('Aucun jeu de données ne correspond')).toBeVisible();
});

test('switching to English translates the page and sets <html lang>', async ({ page, server }) => {
  await page.goto(server.url);
  await page.getByLabel('Langue').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Open datasets');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Open datasets');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
