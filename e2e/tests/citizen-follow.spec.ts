/**
 * Following proposals from "Mes propositions": a pending correction is changed (the server
 * keeps one proposal with the new value), a "duplicate" report is a delete proposal naming
 * the other record, and withdrawing it is seen by the server.
 */
import { demoDatasetId, expect, openDataset, test } from '../fixtures.ts';
import type { Server } from '../server.ts';
import { adminToken, listProposals, startServerWithAdmin } from './citizen-support.ts';

let own: { server: Server; stop: () => Promise<void> };
test.beforeAll(async () => {
  own = await startServerWithAdmin();
});
test.afterAll(async () => {
  await own?.stop();
});

test('amend a pending correction, report a duplicate, withdraw it', async ({ page }) => {
  test.setTimeout(120_000);
  const { server } = own;
  const demo = await openDataset(server, await demoDatasetId(server));
  const [first, second] = [...demo.rows.rows()];
  demo.close();
  if (first === undefined || second === undefined) throw new Error('the demo dataset has fewer than 2 rows');
  const marker = `follow ${Date.now()}`;
  const record = `${server.url}/datasets/${demo.id}/records/${encodeURIComponent(first.id)}`;

  // A correction, then changed while pending.
  await page.goto(`${record}/propose`);
  await page.getByLabel('Horaires').fill('Mo-Fr 08:00-20:00');
  await page.getByLabel('Commentaire pour les modérateurs').fill(marker);
  await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await expect(page.getByText('Proposition envoyée.')).toBeVisible();
  await page.goto(`${server.url}/my-proposals`);
  await page.locator('[data-status="pending"]').getByRole('link', { name: 'Modifier' }).click();
  await expect(page.getByLabel('Horaires')).toHaveValue('Mo-Fr 08:00-20:00');
  await page.getByLabel('Horaires').fill('Mo-Sa 08:00-20:00');
  await page.getByRole('button', { name: 'Enregistrer la modification' }).click();
  await expect(page.getByText('Proposition modifiée.')).toBeVisible();

  // A duplicate report on the same record: a delete proposal naming the other one.
  await page.goto(`${record}/propose`);
  await page.getByRole('radio', { name: 'C’est un doublon' }).check();
  await page.getByLabel('Doublon de quelle fiche').fill(`fiche ${second.id}`);
  await page.getByLabel('Commentaire pour les modérateurs').fill(marker);
  await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await expect(page.getByText('Proposition envoyée.')).toBeVisible();

  const token = await adminToken(server);
  const mine = () =>
    listProposals(server, token, demo.id).then((all) =>
      all.filter((p) => JSON.stringify(p).includes(marker)),
    );
  const sent = await mine();
  expect(sent.map((p) => p.kind).sort()).toEqual(['change', 'delete']);
  expect(sent.find((p) => p.kind === 'change')?.proposed).toEqual({ horaire: 'Mo-Sa 08:00-20:00' });
  expect(JSON.stringify(sent.find((p) => p.kind === 'delete'))).toContain(`Doublon de : fiche ${second.id}`);

  // Withdrawn from "Mes propositions": the server sees it withdrawn.
  await page.goto(`${server.url}/my-proposals`);
  page.once('dialog', (dialog) => void dialog.accept());
  const duplicate = page.locator('[data-status="pending"]').filter({ hasText: 'Fermeture ou doublon' });
  await duplicate.getByRole('button', { name: 'Retirer' }).click();
  await expect(page.locator('[data-status="withdrawn"]')).toContainText('Retirée');
  await expect.poll(async () => (await mine()).find((p) => p.kind === 'delete')?.status).toBe('withdrawn');
});
