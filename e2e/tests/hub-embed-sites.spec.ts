/**
 * An owner lists the sites allowed to embed a dataset from the settings screen: an entry that is
 * not a site's address is refused with the entry named and nothing saved; a good list is kept in
 * its canonical form and found again after a reload. Screenshots at 390 and 1366 px.
 */
import { expect, test } from '../fixtures.ts';
import { startServer } from '../server.ts';
import { shootAtWidths } from './citizen-support.ts';
import { seriousViolations, signInContext } from './hub-support.ts';

test('an owner lists the sites allowed to embed a dataset, a bad entry refused', async ({ browser }) => {
  test.setTimeout(90_000);
  const { server, stop } = await startServer({ admin: true });
  const owner = await browser.newContext();
  try {
    await signInContext(owner, server);
    const created = await owner.request.post(`${server.url}/api/datasets/sites-lieux/import?title=Lieux`, {
      headers: { origin: server.url },
      multipart: { file: { name: 'lieux.csv', mimeType: 'text/csv', buffer: Buffer.from('nom\nMairie\n') } },
    });
    expect(created.status(), await created.text()).toBe(201);

    const page = await owner.newPage();
    await page.goto(`${server.url}/datasets/sites-lieux/settings`);
    const section = page.getByRole('region', { name: "Intégration sur d'autres sites" });
    const field = section.getByLabel(/Sites autorisés/);
    await field.fill('https://www.hub-exemple.fr/carte');
    await section.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(section.getByRole('alert')).toContainText('https://www.hub-exemple.fr/carte');
    const stored = await owner.request.get(`${server.url}/api/datasets/sites-lieux/embedding`);
    expect(await stored.json()).toEqual({ origins: [] });

    await field.fill('HTTPS://www.hub-exemple.fr/\nhttp://127.0.0.1:8080');
    await section.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(section.getByRole('status')).toHaveText('Enregistré.');
    await page.reload();
    await expect(field).toHaveValue('https://www.hub-exemple.fr\nhttp://127.0.0.1:8080');
    await expect(section.getByRole('link', { name: 'Obtenir le code à coller sur un site' })).toHaveAttribute(
      'href',
      '/embed?dataset=sites-lieux',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await section.scrollIntoViewIfNeeded();
    await shootAtWidths(page, 'hub-embed-sites', 'settings');
  } finally {
    await owner.close();
    await stop();
  }
});
