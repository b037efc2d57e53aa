import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { accentedPlace } from '../places.ts';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

test('axe finds no serious or critical violation on the home, dataset and record pages', async ({
  page,
  server,
  demo,
}) => {
  // Four full axe analyses, each a few seconds of main-thread work on two cores.
  test.slow();
  const place = accentedPlace(demo);
  await page.goto(server.url);
  await expect(page.locator(`a[href="/datasets/${demo.id}"]`)).toBeVisible();
  expect(await seriousViolations(page), 'home').toEqual([]);

  await page.goto(`${server.url}/datasets/${demo.id}`);
  await expect(page.getByRole('table')).toBeVisible();
  expect(await seriousViolations(page), 'dataset, table view').toEqual([]);
  await page.getByRole('button', { name: 'Fiches', exact: true }).click();
  await expect(page.locator('.cards li').first()).toBeVisible();
  expect(await seriousViolations(page), 'dataset, card view').toEqual([]);

  await page.goto(`${server.url}/datasets/${demo.id}/records/${place.rowId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(place.name);
  expect(await seriousViolations(page), 'record').toEqual([]);
});
