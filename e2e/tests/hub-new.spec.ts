/**
 * Creating a dataset from a real file (France Services list, Windows-1252 or UTF-8 CSV from
 * ../shared/data): the import report, then the new dataset open in the editors' grid.
 * Skipped, with a message, when ../shared/data is not there (a fresh clone). Runs on its own
 * server so the shared one keeps the demo dataset as its only one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, repoRoot, test } from '../fixtures.ts';
import { startServer } from '../server.ts';
import { seriousViolations, signInContext } from './hub-support.ts';

const FILE = join(repoRoot, '../shared/data/france-services/liste-fs-20221201.csv');

test('an owner creates a dataset from the France Services file and opens it in the grid', async ({
  browser,
}) => {
  if (!existsSync(FILE)) {
    console.log(`hub-new: skipped, ${FILE} is missing (../shared/data is not in a fresh clone)`);
    test.skip(true, '../shared/data is missing');
    return;
  }
  test.setTimeout(120_000);
  // A server of its own: a second dataset on the shared one would change which one later specs
  // take for the demo (the first listed).
  const { server, stop } = await startServer({ admin: true });
  const owner = await browser.newContext();
  await signInContext(owner, server);
  const page = await owner.newPage();
  await page.goto(`${server.url}/new`);
  await page.getByLabel('Titre').fill('France Services 2022');
  await page.getByLabel(/^Identifiant/).fill('france-services-e2e');
  await page.getByLabel(/^Fichier/).setInputFiles(FILE);
  expect(await seriousViolations(page), 'new dataset form').toEqual([]);
  await page.getByRole('button', { name: 'Importer et créer' }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toContainText(/fiches importées/, { timeout: 60_000 });
  console.log(`hub-new: ${(await report.locator('li').allTextContents()).join(' | ')}`);
  expect(await seriousViolations(page), 'import report').toEqual([]);

  await page.getByRole('link', { name: /grille d’édition/ }).click();
  await expect(page.locator('td[role="gridcell"]').first()).toBeVisible();
  await owner.close();
  await stop();
});
