/**
 * An owner's settings screen: the dataset's access as the server holds it, an invitation code
 * shown once, and metadata written to the document that readers see. axe on the screen.
 */
import { demoDatasetId, expect, test } from '../fixtures.ts';
import { seriousViolations, signInContext } from './hub-support.ts';

test('an owner sees the access settings, creates an invitation and renames the dataset for readers', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const datasetId = await demoDatasetId(server);
  const owner = await browser.newContext();
  await signInContext(owner, server);
  const page = await owner.newPage();
  await page.goto(`${server.url}/datasets/${datasetId}/settings`);
  await expect(page.getByRole('radio', { name: 'Tout le monde (public)' })).toBeChecked();
  expect(await seriousViolations(page), 'settings').toEqual([]);

  await page.getByRole('button', { name: /Créer une invitation/ }).click();
  await expect(page.getByTestId('invite-link')).toHaveText(/^dpi_/);

  const title = page.getByLabel('Titre');
  await expect(title).not.toHaveValue('');
  const original = await title.inputValue();
  await title.fill('Toilettes publiques (renommé e2e)');
  await page.getByRole('button', { name: 'Enregistrer' }).first().click();
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await readerPage.goto(`${server.url}/datasets/${datasetId}`);
  await expect(readerPage.getByRole('heading', { level: 1 })).toHaveText('Toilettes publiques (renommé e2e)');
  // Later specs share this server: give the demo its title back.
  await title.fill(original);
  await page.getByRole('button', { name: 'Enregistrer' }).first().click();
  await expect(readerPage.getByRole('heading', { level: 1 })).toHaveText(original);
  await Promise.all([owner.close(), reader.close()]);
});
