/**
 * An owner's settings screen: the dataset's access as the server holds it, an invitation code
 * shown once, metadata written to the document that readers see, and a schema change previewed
 * (how many records it would make invalid) then applied. axe on the screen.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDatasetId, expect, repoRoot, test } from '../fixtures.ts';
import { startServer } from '../server.ts';
import { seriousViolations, signInContext } from './hub-support.ts';

test('an owner sees the access settings, creates an invitation and renames the dataset for readers', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const datasetId = await demoDatasetId(server);
  const owner = await browser.newContext();
  await signInContext(owner, server);
  const page = await owner.newPage();
  await page.goto(`${server.url}/datasets/${datasetId}/settings`);
  await expect(page.getByRole('radio', { name: 'Tout le monde (public)' })).toBeChecked();
  expect(await seriousViolations(page), 'settings').toEqual([]);

  await page.getByRole('button', { name: /Créer une invitation/ }).click();
  await expect(page.getByTestId('invite-link')).toHaveText(/\/invites\/dpi_[^?]+\?dataset=/);

  const title = page.getByLabel('Titre');
  await expect(title).not.toHaveValue('');
  const original = await title.inputValue();
  await title.fill('Toilettes publiques (renommé e2e)');
  await page.getByRole('button', { name: 'Enregistrer' }).first().click();
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await readerPage.goto(`${server.url}/datasets/${datasetId}`);
  await expect(readerPage.getByRole('heading', { level: 1 })).toHaveText('Toilettes publiques (renommé e2e)');
  // Later specs share this server: give the demo its title back.
  await title.fill(original);
  await page.getByRole('button', { name: 'Enregistrer' }).first().click();
  await expect(readerPage.getByRole('heading', { level: 1 })).toHaveText(original);
  await Promise.all([owner.close(), reader.close()]);
});

test('an owner previews a schema change (how many records it would make invalid), applies it, and the schema has it', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // Its own server and dataset: the shared demo keeps its schema for the other specs.
  const { server, stop } = await startServer({ admin: true });
  const owner = await browser.newContext();
  try {
    await signInContext(owner, server);
    const created = await owner.request.post(
      `${server.url}/api/datasets/fs-schema/import?title=France%20services`,
      {
        headers: { origin: server.url },
        multipart: {
          file: {
            name: 'france-services-extrait.csv',
            mimeType: 'text/csv',
            buffer: readFileSync(join(repoRoot, 'e2e/fixtures/france-services-extrait.csv')),
          },
        },
      },
    );
    expect(created.status(), await created.text()).toBe(201);
    const page = await owner.newPage();
    await page.goto(`${server.url}/datasets/fs-schema/settings`);
    const section = page.getByRole('region', { name: 'Schéma' });
    await section.getByLabel('Champ à modifier').selectOption('complement_adresse');
    await expect(section.getByLabel(/^Nom/)).toHaveValue('complement_adresse');
    await section.getByLabel('Obligatoire').check();
    await section.getByRole('button', { name: 'Prévisualiser' }).click();
    const preview = page.getByTestId('schema-preview');
    await expect(preview).toContainText(/\d+ fiches sur 150 deviendraient invalides/);
    const count = Number(/(\d+) fiches sur 150/.exec((await preview.textContent()) ?? '')?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(150);
    await expect(preview.getByRole('listitem').first()).toContainText('une valeur est obligatoire');
    expect(await seriousViolations(page), 'settings: schema preview').toEqual([]);

    // Nothing is written before "Apply".
    const schemaOf = async () =>
      (
        (await (await owner.request.get(`${server.url}/api/datasets/fs-schema/schema`)).json()) as {
          schema: { fields: { name: string; constraints?: { required?: boolean } }[] };
        }
      ).schema.fields.find((f) => f.name === 'complement_adresse');
    expect((await schemaOf())?.constraints?.required).toBeUndefined();
    await section.getByRole('button', { name: 'Appliquer le changement' }).click();
    await expect(section.getByRole('status').filter({ hasText: 'Schéma modifié.' })).toBeVisible();
    await expect.poll(async () => (await schemaOf())?.constraints?.required).toBe(true);
  } finally {
    await owner.close();
    await stop();
  }
});
