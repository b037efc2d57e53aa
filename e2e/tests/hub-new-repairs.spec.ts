/**
 * The create wizard says repairs aloud: a La Poste extract with one unclosed quote (committed in
 * packages/io/fixtures) is refused at the file step with the repair and its line; the owner ticks
 * "accept the repair", the dry run then reads every row and lists the repair line by line, and the
 * dataset is created with all 37 rows. axe on the refusal and on the detection step.
 */
import { join } from 'node:path';
import { expect, repoRoot, test } from '../fixtures.ts';
import { startServer } from '../server.ts';
import { seriousViolations, signInContext } from './hub-support.ts';

const UNCLOSED = join(repoRoot, 'packages/io/fixtures/laposte-unclosed-quote.csv');

test('an unclosed quote is refused until the owner accepts its repair, then every row is imported', async ({
  browser,
  browserErrors,
}) => {
  browserErrors.expect({
    message: /^Failed to load resource: the server responded with a status of 422 /,
    url: /\/api\/datasets\/[^/]+\/import\?dryRun=1$/,
    why: 'the file has an unclosed quote: the first dry run is refused until the owner accepts the repair',
  });
  test.setTimeout(180_000);
  const { server, stop } = await startServer({ admin: true });
  const owner = await browser.newContext();
  try {
    await signInContext(owner, server);
    const page = await owner.newPage();
    await page.goto(`${server.url}/new`);
    await page.getByLabel(/^Fichier/).setInputFiles(UNCLOSED);
    await page.getByRole('button', { name: 'Suivant', exact: true }).click();

    await expect(page.getByRole('alert')).toContainText('csv-unclosed-quote');
    await expect(page.getByRole('alert')).toContainText('ligne 5');
    await expect(page.getByTestId('refused-repairs')).toContainText(
      'ligne 5, fiche 4 : guillemet jamais fermé',
    );
    expect(await seriousViolations(page), 'wizard: refused repairs').toEqual([]);
    await page.getByLabel(/Accepter la réparation/).check();
    await page.getByRole('button', { name: 'Suivant', exact: true }).click();

    await expect(page.getByRole('heading', { level: 2 })).toHaveText(/Détection et réparations/);
    await expect(page.getByTestId('detection-report')).toContainText('37 fiches lues');
    await expect(page.getByTestId('every-repair')).toContainText('ligne 5, fiche 4 : guillemet jamais fermé');
    expect(await seriousViolations(page), 'wizard: detection with repairs').toEqual([]);
    await page.getByRole('button', { name: 'Suivant', exact: true }).click();
    await expect(page.getByRole('heading', { level: 2 })).toHaveText(/Schéma/);
    await page.getByRole('button', { name: 'Suivant', exact: true }).click();
    await expect(page.getByRole('heading', { level: 2 })).toHaveText(/Rapport de validation/);
    await page.getByRole('button', { name: 'Suivant', exact: true }).click();
    await page.getByLabel(/^Identifiant/).fill('poste-reparee');
    await page.getByRole('button', { name: 'Créer le jeu de données' }).click();
    await expect(page).toHaveURL(/\/datasets\/poste-reparee\/edit/);
    const rows = await page.request.get(`${server.url}/api/datasets/poste-reparee/rows?limit=1`);
    expect(((await rows.json()) as { total: number }).total).toBe(37);
  } finally {
    await owner.close();
    await stop();
  }
});
