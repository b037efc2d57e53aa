/**
 * "Validation automatique" in a dataset's settings (issue 18): an owner chooses the opening
 * hours as auto-approved; positions (and names) are never offered; the choice is saved on the server;
 * the queue says why a waiting proposal was not approved automatically.
 * Screenshots at 390 and 1366 px in e2e/screenshots/auto-approval/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoDatasetId, expect, openDataset, ownerToken, repoRoot, test } from '../fixtures.ts';
import { postProposal, seriousViolations, signInContext } from './hub-support.ts';

test.use({ locale: 'fr-FR' });

test('an owner lets opening hours be approved automatically; positions are never offered', async ({
  browser,
  server,
}) => {
  test.setTimeout(90_000);
  const datasetId = await demoDatasetId(server);
  const owner = await browser.newContext();
  await signInContext(owner, server);
  const page = await owner.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/datasets/${datasetId}/settings`);
  const section = page.getByRole('region', { name: 'Validation automatique' });
  await expect(section).toBeVisible({ timeout: 20_000 });
  for (const position of ['Latitude', 'Longitude'])
    await expect(section.getByRole('checkbox', { name: position })).toHaveCount(0);
  await section.getByRole('checkbox', { name: 'Horaires' }).check();
  await section.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(section.getByRole('status')).toBeVisible();
  expect(await seriousViolations(page), 'auto-approval settings').toEqual([]);

  const shots = join(repoRoot, 'e2e/screenshots/auto-approval');
  mkdirSync(shots, { recursive: true });
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: join(shots, `settings-${width}.png`) });
  }

  // A waiting proposal says in the queue why it was not approved automatically.
  const demo = await openDataset(server, datasetId);
  const row = [...demo.rows.rows()][1];
  demo.close();
  if (row === undefined) throw new Error('the demo dataset has too few records');
  const address = String(row.values.adresse ?? '');
  const { proposalId } = await postProposal(server, datasetId, {
    kind: 'change',
    rowId: row.id,
    base: { adresse: address },
    proposed: { adresse: `${address} bis` },
  });
  await page.goto(`${server.url}/datasets/${datasetId}/moderate`);
  await page.locator(`[data-proposal-id="${proposalId}"]`).click();
  const note = page.getByTestId('auto-approval');
  await expect(note).toContainText('Pourquoi pas automatique');
  await expect(note).toContainText('le champ « adresse » n’est pas validé automatiquement');
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await note.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `queue-${width}.png`) });
  }

  const token = await ownerToken(server);
  const saved = await fetch(`${server.url}/api/datasets/${datasetId}/auto-approval`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await saved.json()) as { settings: { fields: string[] } };
  expect(body.settings.fields).toEqual(['horaire']);
  // Off again and the proposal refused, so other specs find the queue and rules as they expect.
  await fetch(`${server.url}/api/datasets/${datasetId}/proposals/${proposalId}/reject`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  await fetch(`${server.url}/api/datasets/${datasetId}/auto-approval`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields: [], acceptedNeeded: 3, window: 10 }),
  });
  await owner.close();
});
