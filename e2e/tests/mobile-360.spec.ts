import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, repoRoot, test } from '../fixtures.ts';
import { accentedPlace } from '../places.ts';

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

const shots = join(repoRoot, 'e2e/screenshots/360');

test('the main journey works at 360 px, cards by default (screenshots kept)', async ({
  page,
  server,
  demo,
}, testInfo) => {
  mkdirSync(shots, { recursive: true });
  const shoot = async (name: string) => {
    const path = join(shots, `${name}.png`);
    await page.screenshot({ path, fullPage: false });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  };
  const noSideScroll = async () =>
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
  const place = accentedPlace(demo);

  await page.goto(server.url);
  await expect(page.locator(`a[href="/datasets/${demo.id}"]`)).toBeVisible();
  await noSideScroll();
  await shoot('1-home');

  await page.locator(`a[href="/datasets/${demo.id}"]`).tap();
  await expect(page.getByRole('button', { name: 'Fiches', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.locator('.cards li').first()).toBeVisible();
  await noSideScroll();
  await shoot('2-dataset-cards');

  await page.getByLabel('Rechercher dans les fiches').fill(place.query);
  const link = page.locator(`a[href="/datasets/${demo.id}/records/${place.rowId}"]`);
  await expect(link).toBeVisible();
  await shoot('3-search');
  await link.tap();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(place.name);
  await noSideScroll();
  await shoot('4-record');
});
