/**
 * A partial decision reads right on both sides (issue 16): a citizen proposes two fields from
 * the form, a moderator keeps one and refuses the other with a reason; the moderators'
 * "Décidées" tab and the citizen's "Mes propositions" both say which field was kept, which
 * refused, and why. Screenshots at 390 and 1366 px in e2e/screenshots/decisions/.
 */
import { demoDatasetId, expect, openDataset, ownerToken, test } from '../fixtures.ts';
import { namedRecord } from '../places.ts';
import { shootAtWidths } from './citizen-support.ts';
import { signInContext } from './hub-support.ts';

test('a partial decision says, to the moderators and to the citizen, which fields were kept and why the others were not', async ({
  page,
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const datasetId = await demoDatasetId(server);
  const demo = await openDataset(server, datasetId);
  const { row, name } = namedRecord(demo);
  demo.close();
  const marker = `décision partielle e2e ${Date.now()}`;
  const reason = 'L’adresse officielle ne change pas.';

  // The citizen proposes new opening hours and a new address.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/datasets/${datasetId}/records/${row.id}/propose`);
  await page.getByLabel('Horaires').fill('Mo-Fr 09:00-12:00');
  await page.getByLabel('Adresse').fill(`${name} bis`);
  await page.getByLabel('Commentaire pour les modérateurs').fill(marker);
  await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await expect(page.getByText('Proposition envoyée.')).toBeVisible();

  const token = await ownerToken(server);
  const listed = (await (
    await fetch(`${server.url}/api/datasets/${datasetId}/proposals?status=pending&limit=1000`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as { proposals: { id: string; comment?: string }[] };
  const proposal = listed.proposals.find((p) => p.comment === marker);
  if (proposal === undefined) throw new Error('the proposal did not reach the moderators');

  // The moderator keeps the hours, refuses the address and says why.
  const moderatorContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  try {
    await signInContext(moderatorContext, server);
    const queue = await moderatorContext.newPage();
    await queue.goto(`${server.url}/datasets/${datasetId}/moderate`);
    await expect(queue.getByTestId('queue-state')).toHaveAttribute('data-state', 'live');
    await queue.locator(`[data-proposal-id="${proposal.id}"]`).click();
    await queue.getByRole('checkbox', { name: 'Retenir Adresse' }).uncheck();
    await queue.getByLabel('Motif du refus de « Adresse » (facultatif, vu par la personne)').fill(reason);
    await shootAtWidths(queue, 'decisions', '1-moderator-refuses-a-field');
    await queue.getByRole('button', { name: /Accepter les champs cochés/ }).click();
    await expect(
      queue.getByRole('status').filter({ hasText: 'Proposition acceptée en partie.' }),
    ).toBeVisible();

    await queue.getByRole('button', { name: 'Décidées' }).click();
    await queue.locator(`[data-proposal-id="${proposal.id}"]`).click();
    await expect(queue.getByTestId('proposal-status')).toHaveAttribute('data-status', 'partially-accepted');
    const kept = queue.locator('tr[data-field="horaire"]');
    const refused = queue.locator('tr[data-field="adresse"]');
    await expect(kept).toHaveAttribute('data-outcome', 'kept');
    await expect(kept).toContainText('gardé');
    await expect(refused).toHaveAttribute('data-outcome', 'refused');
    await expect(refused).toContainText('refusé');
    await expect(refused).toContainText(reason);
    await shootAtWidths(queue, 'decisions', '2-moderator-decided');
  } finally {
    await moderatorContext.close();
  }

  // The citizen reads the same, by field title.
  await page.goto(`${server.url}/my-proposals`);
  await page.getByRole('button', { name: 'Actualiser les statuts' }).click();
  const item = page.locator('li.proposal').filter({ hasText: marker });
  await expect(item.getByTestId('proposal-status')).toContainText('Partiellement acceptée');
  const hours = item.locator('[data-field="horaire"]');
  const address = item.locator('[data-field="adresse"]');
  await expect(hours).toHaveAttribute('data-outcome', 'kept');
  await expect(hours).toContainText('Horaires');
  await expect(hours).toContainText('gardé');
  await expect(address).toHaveAttribute('data-outcome', 'refused');
  await expect(address).toContainText('Adresse');
  await expect(address).toContainText('refusé');
  await expect(address).toContainText(`Motif : ${reason}`);
  await expect(item.getByText('horaire', { exact: true })).toHaveCount(0);
  await shootAtWidths(page, 'decisions', '3-citizen-my-proposals');
});
