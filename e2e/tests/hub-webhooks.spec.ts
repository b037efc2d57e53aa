/**
 * "Webhooks" in a dataset's settings (issue 17): an owner adds a webhook to a receiver on
 * 127.0.0.1 (the e2e instance allows private addresses), sees its secret once, sends a test event
 * the receiver gets, and the delivery listed; then removes it.
 * Screenshots at 390 and 1366 px in e2e/screenshots/webhooks/.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { demoDatasetId, expect, repoRoot, test } from '../fixtures.ts';
import { seriousViolations, signInContext } from './hub-support.ts';

test.use({ locale: 'fr-FR' });

test('an owner adds a webhook, sends a test event and sees it delivered', async ({ browser, server }) => {
  test.setTimeout(90_000);
  const received: string[] = [];
  const receiver = createServer((request, response) => {
    received.push(String(request.headers['webhook-id']));
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    const datasetId = await demoDatasetId(server);
    const owner = await browser.newContext();
    await signInContext(owner, server);
    const page = await owner.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/datasets/${datasetId}/settings`);
    const section = page.getByRole('region', { name: 'Webhooks' });
    await expect(section).toBeVisible({ timeout: 20_000 });
    await expect(section).toContainText('Aucun webhook.');
    await section.getByLabel('Adresse de réception (https://…)').fill(hookUrl);
    await section.getByRole('button', { name: 'Ajouter le webhook' }).click();
    await expect(section.locator('.secret code')).toContainText('whsec_');
    await section.getByRole('button', { name: 'Envoyer un évènement de test' }).click();
    await expect(section.getByText('Évènement de test reçu (HTTP 200).')).toBeVisible();
    await expect(section.locator('.deliveries li').first()).toContainText('Reçu');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatch(/^test_/);
    expect(await seriousViolations(page), 'webhook settings').toEqual([]);

    const shots = join(repoRoot, 'e2e/screenshots/webhooks');
    mkdirSync(shots, { recursive: true });
    for (const width of [390, 1366]) {
      await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
      await section.scrollIntoViewIfNeeded();
      await section.screenshot({ path: join(shots, `settings-${width}.png`) });
    }

    await section.getByRole('button', { name: 'Supprimer' }).click();
    await expect(section).toContainText('Aucun webhook.');
    await owner.close();
  } finally {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
