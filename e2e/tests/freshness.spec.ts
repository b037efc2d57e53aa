/**
 * Freshness on a phone (issue 18): a citizen taps "C'est toujours exact" on a record; once a
 * moderator accepts that confirmation (it changes no value), the record page says "Vérifié à
 * l'instant". Screenshots at 390 and 1366 px in e2e/screenshots/freshness/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoDatasetId, expect, openDataset, ownerToken, repoRoot, test } from '../fixtures.ts';
import { listProposals } from './citizen-support.ts';

test.use({ locale: 'fr-FR' });

test('"c’est toujours exact" goes through the outbox and, accepted, refreshes "vérifié il y a …"', async ({
  page,
  server,
}) => {
  test.setTimeout(90_000);
  const datasetId = await demoDatasetId(server);
  const demo = await openDataset(server, datasetId);
  // A record from the middle: other specs accept proposals on the first records (which verifies
  // them) and propose on the last ones; this one must start unverified.
  const rows = [...demo.rows.rows()];
  const row = rows[Math.floor(rows.length / 2)];
  demo.close();
  if (row === undefined) throw new Error('the demo dataset has no record');
  const shots = join(repoRoot, 'e2e/screenshots/freshness');
  mkdirSync(shots, { recursive: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/datasets/${datasetId}/records/${row.id}`);
  const button = page.getByRole('button', { name: 'C’est toujours exact' });
  await expect(button).toBeEnabled({ timeout: 20_000 });
  await expect(page.getByTestId('record-verified')).toHaveText('Pas encore vérifié');
  await page.screenshot({ path: join(shots, 'record-390.png') });
  await button.click();
  await expect(page.getByText('Merci ! Votre confirmation est envoyée.')).toBeVisible();

  // The moderator accepts the confirmation: nothing changes but the freshness.
  const token = await ownerToken(server);
  const confirmation = (await listProposals(server, token, datasetId)).find(
    (p) => p.rowId === row.id && p.status === 'pending' && JSON.stringify(p.proposed).length > 2,
  );
  if (confirmation === undefined) throw new Error('the confirmation did not arrive');
  const accepted = await fetch(
    `${server.url}/api/datasets/${datasetId}/proposals/${confirmation.id}/accept`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    },
  );
  expect(accepted.status, await accepted.clone().text()).toBe(200);
  await expect(page.getByTestId('record-verified')).toHaveText('Vérifié à l’instant', { timeout: 20_000 });
  await page.screenshot({ path: join(shots, 'verified-390.png') });
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.screenshot({ path: join(shots, 'verified-1366.png') });
});
