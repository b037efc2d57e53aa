import { expect, test } from '../fixtures.ts';

/**
 * A dataset opened before paints the first screen this device kept (lib/first-screen) before the
 * dataset's session (Yjs, TinyBase, the providers) is even loaded, says it is the device's copy,
 * and then hands over to the live rows without losing what is shown.
 */
test('a dataset opened before shows its kept first screen before its session loads', async ({
  page,
  server,
  demo,
}) => {
  // Notes, from the page's start, when the first row link and the device-copy note appear.
  await page.addInitScript(`(() => {
    const seen = () => {
      if (window.__firstRowAt === undefined && document.querySelector('.scroller tbody tr a, .cards .card a'))
        window.__firstRowAt = performance.now();
      if (document.querySelector('.count')?.textContent?.includes('copie de cet appareil')) window.__noteSeen = true;
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true, characterData: true });
  })();`);
  await page.goto(`${server.url}/datasets/${demo.id}`);
  await expect(page.getByRole('status').filter({ hasText: 'En ligne' })).toBeVisible();
  // The first screen is kept a few seconds after the rows settle.
  await expect
    .poll(() => page.evaluate<boolean>(`localStorage.getItem('datapatch:firstScreen:${demo.id}') !== null`), {
      timeout: 20_000,
    })
    .toBe(true);
  const firstRow = await page.locator('.scroller tbody tr a').first().textContent();

  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'En ligne' })).toBeVisible();
  const { firstRowAt, noteSeen, sessionOpenedAt } = await page.evaluate<{
    firstRowAt: number;
    noteSeen: boolean;
    sessionOpenedAt: number;
  }>(`({
    firstRowAt: window.__firstRowAt ?? NaN,
    noteSeen: window.__noteSeen === true,
    sessionOpenedAt: performance.getEntriesByName('datapatch:session-opened')[0]?.startTime ?? NaN,
  })`);
  expect(noteSeen).toBe(true);
  expect(firstRowAt).toBeLessThan(sessionOpenedAt);
  // The live rows took over: same first row, the note is gone, the count is the dataset's.
  await expect(page.locator('.scroller tbody tr a').first()).toHaveText(firstRow ?? '');
  await expect(page.locator('.count')).not.toContainText('copie de cet appareil');
  // The demo has fewer than 1,000 rows: no thousands separator in the count.
  await expect(page.locator('.count')).toContainText(`sur ${[...demo.rows.rows()].length}`);
});

test('a dataset page that cannot load the code reading its data says so', async ({
  browser,
  server,
  demo,
  browserErrors,
}) => {
  browserErrors.expect({
    message: /^Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/,
    url: /\/_app\/immutable\//,
    why: 'the test makes the chunk holding Yjs fail, as on a connection lost at that moment',
  });
  // A fresh context without the service worker, so every file comes over the network (the page
  // shows the API's rows first and loads the session later, by when a worker would have cached
  // it). The chunk holding Yjs (only the session loads it) fails, as on a connection lost then.
  const context = await browser.newContext({ locale: 'fr-FR', serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    let refused = 0;
    await page.route('**/_app/immutable/chunks/*.js', async (route) => {
      const response = await route.fetch();
      if ((await response.text()).includes('Yjs was already imported')) {
        refused++;
        await route.abort('internetdisconnected');
      } else await route.fulfill({ response });
    });
    await page.goto(`${server.url}/datasets/${demo.id}`);
    await expect(page.getByRole('alert')).toContainText('n’a pas pu charger de quoi lire le jeu de données');
    expect(refused).toBeGreaterThan(0);
  } finally {
    await context.close();
  }
});
