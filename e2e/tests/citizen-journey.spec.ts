/**
 * Issue 5's citizen journey, on a desktop and at 360 px: find a place typed without accents,
 * propose a change; offline, add a missing place, reload and still have the app, the data and
 * the outbox; back online both proposals reach the server exactly once (read through the
 * moderator API); a moderator accepts the change and the citizen sees "Acceptée" and the new
 * value. Screenshots go to e2e/screenshots/citizen-<viewport>/; axe checks the form and
 * "Mes propositions".
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { storedUpdates } from '../device-storage.ts';
import { demoDatasetId, expect, openDataset, repoRoot, test } from '../fixtures.ts';
import { accentedPlace } from '../places.ts';
import type { Server } from '../server.ts';
import { adminToken, listProposals, noSeriousViolations, startServerWithAdmin } from './citizen-support.ts';

const viewports = [
  { name: 'desktop', size: { width: 1280, height: 900 } },
  { name: '360', size: { width: 360, height: 740 } },
];

for (const viewport of viewports) {
  test.describe(`citizen journey (${viewport.name})`, () => {
    test.use({ viewport: viewport.size });
    let own: { server: Server; stop: () => Promise<void> };
    test.beforeAll(async () => {
      own = await startServerWithAdmin();
    });
    test.afterAll(async () => {
      await own?.stop();
    });

    test('propose online and offline, each proposal arrives once, the decision comes back', async ({
      page,
      context,
      browserErrors,
    }) => {
      // While the browser is offline, every request it tries fails, and Chromium logs each one.
      browserErrors.expect({
        message: /^Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/,
        why: 'the test takes the browser offline (context.setOffline)',
      });
      browserErrors.expect({
        message:
          /^WebSocket connection to '.*' failed: Error in connection establishment: net::ERR_INTERNET_DISCONNECTED$/,
        why: 'the sync socket retries while the browser is offline',
      });
      test.setTimeout(180_000);
      const { server } = own;
      const shots = join(repoRoot, `e2e/screenshots/citizen-${viewport.name}`);
      mkdirSync(shots, { recursive: true });
      const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      const demo = await openDataset(server, await demoDatasetId(server));
      const place = accentedPlace(demo);
      demo.close();
      const marker = `e2e ${viewport.name} ${Date.now()}`;
      const newHours = 'Mo-Su 06:00-22:00';

      // Find the place typed without accents, propose a change of its opening hours.
      await page.goto(`${server.url}/datasets/${demo.id}`);
      await expect(page.getByRole('status').filter({ hasText: 'En ligne' })).toBeVisible();
      await page.getByLabel('Rechercher dans les fiches').fill(place.query);
      await page.locator(`a[href="/datasets/${demo.id}/records/${place.rowId}"]`).first().click();
      await page.getByRole('link', { name: 'Proposer une correction' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Proposer une correction');
      await page.getByLabel('Horaires').fill(newHours);
      await page.getByLabel('Commentaire pour les modérateurs').fill(marker);
      await expect(page.getByText('1 champ modifié')).toBeVisible();
      await noSeriousViolations(page, 'correction form');
      await shot('1-correction-form');
      await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
      await expect(page.getByText('Proposition envoyée.')).toBeVisible();

      // The app shell is in the service worker's cache and the dataset on the device.
      await page.waitForFunction('navigator.serviceWorker?.controller != null', undefined, {
        timeout: 30_000,
      });
      await expect
        .poll(() => page.evaluate<number>(storedUpdates(`datapatch:ds/${demo.id}/validated`)))
        .toBeGreaterThan(0);

      // Offline: add a missing place.
      await context.setOffline(true);
      await page.goto(`${server.url}/datasets/${demo.id}`).catch(() => undefined);
      await page.getByRole('link', { name: 'Ajouter un lieu manquant' }).click();
      await page.getByRole('radio', { name: 'URINOIR', exact: true }).check();
      await page.getByLabel('Adresse').fill(`1 rue du Test ${marker}`);
      await page.getByLabel('Arrondissement (code postal)').fill('75004');
      await page.getByLabel('Latitude').fill('48,8566');
      await page.getByLabel('Longitude').fill('2.3522');
      await page.getByLabel('Commentaire pour les modérateurs').fill(marker);
      await noSeriousViolations(page, 'new place form');
      await shot('2-new-place-offline');
      await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
      await expect(page.getByText('Proposition enregistrée sur cet appareil')).toBeVisible();
      await expect(page.getByTestId('outbox-waiting')).toContainText('1 proposition en attente d’envoi');

      // Reload while offline: the app, the data and the outbox are still there.
      await page.reload();
      await expect(page.getByTestId('network')).toHaveText('Hors ligne');
      await expect(page.getByTestId('outbox-waiting')).toContainText('1 proposition en attente d’envoi');
      await page.goto(`${server.url}/datasets/${demo.id}`);
      await page.getByLabel('Rechercher dans les fiches').fill(place.query);
      await expect(
        page.locator(`a[href="/datasets/${demo.id}/records/${place.rowId}"]`).first(),
      ).toBeVisible();
      await page.locator('header a[href="/my-proposals"]').click();
      await expect(page.locator('[data-status="unsent"]')).toHaveCount(1);
      await expect(page.locator('[data-status="pending"]')).toHaveCount(1);
      await shot('3-my-proposals-offline');

      // Back online: the outbox empties by itself.
      await context.setOffline(false);
      await expect(page.getByTestId('network')).toHaveText('En ligne');
      await expect(page.locator('[data-status="unsent"]')).toHaveCount(0, { timeout: 30_000 });
      await expect(page.locator('[data-status="pending"]')).toHaveCount(2);

      // Exactly once each, read through the moderator API.
      const token = await adminToken(server);
      const mine = (await listProposals(server, token, demo.id)).filter((p) =>
        JSON.stringify(p).includes(marker),
      );
      expect(mine.map((p) => p.kind).sort()).toEqual(['change', 'create']);
      const change = mine.find((p) => p.kind === 'change');
      expect(change).toMatchObject({ rowId: place.rowId, proposed: { horaire: newHours } });
      expect(Object.keys(change?.proposed ?? {})).toEqual(['horaire']);

      // A moderator accepts the change: the citizen sees it accepted, and the new value.
      const accepted = await fetch(`${server.url}/api/datasets/${demo.id}/proposals/${change?.id}/accept`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(accepted.status, await accepted.clone().text()).toBe(200);
      await page.getByRole('button', { name: 'Actualiser les statuts' }).click();
      await expect(page.locator('[data-status="accepted"]')).toHaveCount(1);
      await expect(page.locator('[data-status="accepted"]')).toContainText('Acceptée');
      await noSeriousViolations(page, 'my proposals');
      await shot('4-my-proposals-accepted');
      await page.locator('[data-status="accepted"]').getByRole('link', { name: 'Voir la fiche' }).click();
      await expect(page.locator('dd[data-field="horaire"]')).toHaveText(newHours);
      await shot('5-record-updated');
    });
  });
}
