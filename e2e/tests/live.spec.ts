import { addRow, setCell } from '@datapatch/core';
import { expect, test } from '../fixtures.ts';
import { accentedPlace, nameField } from '../places.ts';

const editor = { id: 'e2e-editor', name: 'Éditrice e2e' };

test('a change written by another Yjs client appears live on the record page', async ({
  page,
  server,
  demo,
}) => {
  const place = accentedPlace(demo);
  await page.goto(`${server.url}/datasets/${demo.id}/records/${place.rowId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(place.name);

  setCell(demo.doc, place.rowId, place.field, 'Maison des Sœurs Lumière', editor);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Maison des Sœurs Lumière');
});

test('a record added by another client appears live in the list and in the search', async ({
  page,
  server,
  demo,
}) => {
  await page.goto(`${server.url}/datasets/${demo.id}`);
  await expect(page.getByRole('status').filter({ hasText: 'En ligne' })).toBeVisible();
  await page.getByLabel('Rechercher dans les fiches').fill('fabrique gerland');
  await expect(page.getByText('Aucune fiche ne correspond')).toBeVisible();

  const rowId = addRow(demo.doc, { [nameField(demo)]: 'Fabrique numérique de Gerland' }, editor);
  await expect(page.locator(`a[href="/datasets/${demo.id}/records/${rowId}"]`)).toHaveText(
    'Fabrique numérique de Gerland',
  );
});
