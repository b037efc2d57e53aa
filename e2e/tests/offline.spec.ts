import { storedUpdates } from '../device-storage.ts';
import { expect, test } from '../fixtures.ts';
import { accentedPlace } from '../places.ts';

/**
 * The y-indexeddb path alone: the page reloads while the sync server cannot be reached (its
 * websocket is refused) but the page itself loads, and the data comes from the device. A reload
 * with the browser fully offline (service worker + outbox) is citizen-journey.spec.ts.
 */
test('a dataset opened once stays readable when the sync server is out of reach', async ({
  page,
  server,
  demo,
}) => {
  const place = accentedPlace(demo);
  await page.goto(`${server.url}/datasets/${demo.id}`);
  await expect(page.getByRole('status').filter({ hasText: 'En ligne' })).toBeVisible();
  // y-indexeddb stores asynchronously: wait until the device holds the document.
  await expect
    .poll(() => page.evaluate<number>(storedUpdates(`datapatch:ds/${demo.id}/validated`)))
    .toBeGreaterThan(0);

  await page.routeWebSocket(/\/sync\//, (ws) => ws.close({ code: 1011, reason: 'e2e: server out of reach' }));
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Serveur injoignable' })).toBeVisible();
  await page.getByLabel('Rechercher dans les fiches').fill(place.query);
  await expect(page.locator(`a[href="/datasets/${demo.id}/records/${place.rowId}"]`)).toHaveText(place.name);
});
