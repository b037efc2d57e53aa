/**
 * An owner takes in a new release of the official source from the settings screen: names the key
 * and the starting release, tries the new release (counts and examples, nothing written), applies
 * it, finds it as ONE line of the history and undoes it from there. Screenshots at 390 and 1366 px.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, repoRoot, test } from '../fixtures.ts';
import { startServer } from '../server.ts';
import { seriousViolations, signInContext } from './hub-support.ts';

const fixture = (name: string) => join(repoRoot, 'packages/upstream/fixtures/france-services', name);
const RELEASE_2022 = 'liste-fs-20221201-herault.csv';
const NEXT = 'liste-fs-next-herault.csv';

test('an owner tries a new release, applies it as one history entry and undoes it', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const { server, stop } = await startServer({ admin: true });
  const owner = await browser.newContext();
  try {
    await signInContext(owner, server);
    const created = await owner.request.post(
      `${server.url}/api/datasets/fs-upstream/import?title=France%20services`,
      {
        headers: { origin: server.url },
        multipart: {
          file: { name: RELEASE_2022, mimeType: 'text/csv', buffer: readFileSync(fixture(RELEASE_2022)) },
        },
      },
    );
    expect(created.status(), await created.text()).toBe(201);
    const cellOf = async (idFs: string, field: string) => {
      const rows = (await (
        await owner.request.get(`${server.url}/api/datasets/fs-upstream/rows?filter.id_fs=${idFs}`)
      ).json()) as { rows: { values: Record<string, unknown> }[] };
      return rows.rows[0]?.values[field];
    };

    const page = await owner.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${server.url}/datasets/fs-upstream/settings`);
    const section = page.getByRole('region', { name: 'Source officielle' });
    await section.getByRole('checkbox', { name: 'id_fs' }).check();
    await section.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(section.getByText('Aucune version de départ')).toBeVisible();
    await section.getByLabel('Version de départ').setInputFiles(fixture(RELEASE_2022));
    await section.getByRole('button', { name: 'Enregistrer comme version de départ' }).click();
    await expect(section.getByText(/Dernière version prise : liste-fs-20221201-herault\.csv/)).toBeVisible();

    await section.getByLabel('Fichier de la nouvelle version').setInputFiles(fixture(NEXT));
    await section.getByRole('button', { name: 'Essayer (rien n’est écrit)' }).click();
    const run = page.getByTestId('dry-run');
    await expect(run.locator('[data-count="fieldsToApply"]')).toHaveText('10');
    await expect(run.locator('[data-count="recordsToAdd"]')).toHaveText('2');
    await expect(run.locator('[data-count="proposedDeletions"]')).toHaveText('2');
    // No hub corrected this copy: every change of the source applies (Capestang's phone too).
    await expect(run).toContainText('202 · h_mercredi');
    expect(await cellOf('202', 'h_mercredi')).toBe('09:00 - 12:00 / 14:00 - 18:00');
    expect(await seriousViolations(page), 'settings: dry run').toEqual([]);
    await run.screenshot({ path: testInfo.outputPath('upstream-dry-run-1366.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await run.screenshot({ path: testInfo.outputPath('upstream-dry-run-390.png') });
    await page.setViewportSize({ width: 1366, height: 900 });

    await run.getByRole('button', { name: 'Appliquer' }).click();
    await expect(section.getByRole('status')).toContainText(
      'Appliqué : 10 champs mis à jour, 2 lieux ajoutés, 2 propositions envoyées à la modération.',
    );
    expect(await cellOf('202', 'h_mercredi')).toBe('09:00 - 12:00 / 14:00 - 17:30');
    expect(await cellOf('2900', 'lib_com')).toBe('Pézenas');

    await section.getByRole('link', { name: 'Voir (ou annuler) dans l’historique' }).click();
    const line = page.locator('[data-kind="batch-upstream"]');
    await expect(line).toHaveCount(1);
    await expect(line).toContainText('Nouvelle version de la source officielle : 10 champs, 2 lieux ajoutés');
    expect(await seriousViolations(page), 'history with a batch').toEqual([]);
    await page.screenshot({ path: testInfo.outputPath('upstream-history-1366.png') });
    await line.getByRole('button', { name: 'Annuler cette mise à jour' }).click();
    await expect(line).toContainText('Annulée');
    await expect(page.locator('[data-kind="batch-undo"]')).toContainText(
      'Annulation d’une mise à jour (12 changements)',
    );
    await expect.poll(() => cellOf('202', 'h_mercredi')).toBe('09:00 - 12:00 / 14:00 - 18:00');
    await expect.poll(() => cellOf('2900', 'lib_com')).toBeUndefined();
  } finally {
    await owner.close();
    await stop();
  }
});
