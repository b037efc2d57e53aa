/**
 * The citizen's proposal form as a person meets it (issue 16): it opens on a record without a
 * page error (the `browserErrors` fixture fails the test on any), shows no technical field.
 */
import { demoDatasetId, expect, openDataset, test } from '../fixtures.ts';
import { namedRecord } from '../places.ts';

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
