/**
 * Opening hours entered as days and times (issue 16): a citizen on a 390×844 phone picks days and
 * ranges, reads them back in plain French, has the OSM form proposed for what people type in
 * French, and sends; a moderator sees valid OSM syntax in the queue and accepts. Screenshots of the
 * editor at 390 and 1366 px in e2e/screenshots/opening-hours/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { demoDatasetId, expect, openDataset, ownerToken, repoRoot, test } from '../fixtures.ts';
import { listProposals } from './citizen-support.ts';
import { seriousViolations, signInContext } from './hub-support.ts';

// A French phone. (Headless Chromium still draws time inputs from the OS locale: AM/PM here.)
test.use({ locale: 'fr-FR' });

async function shootEditor(page: Page, editor: Locator, name: string): Promise<void> {
  const shots = join(repoRoot, 'e2e/screenshots/opening-hours');
  mkdirSync(shots, { recursive: true });
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await editor.scrollIntoViewIfNeeded();
    await editor.screenshot({ path: join(shots, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 390, height: 844 });
}

test('a citizen on a phone proposes opening hours with days and times; the moderator sees OSM syntax and accepts', async ({
  page,
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const datasetId = await demoDatasetId(server);
  const demo = await openDataset(server, datasetId);
  // The last record open "24 h / 24" as the data writes it: no other test corrects it.
  const row = [...demo.rows.rows()].filter((r) => r.values.horaire === '24 h / 24').at(-1);
  demo.close();
  if (row === undefined) throw new Error('the demo dataset has no record open "24 h / 24"');
  const marker = `horaires e2e ${Date.now()}`;

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/datasets/${datasetId}/records/${row.id}/propose`);
  const hours = page.getByRole('group', { name: 'Horaires', exact: true });
  await expect(hours).toBeVisible();

  // The record's hours as the data has them: the OSM form is proposed, in words too.
  await expect(
    hours.getByText('Les horaires « 24 h / 24 » ne sont pas écrits dans le format attendu.'),
  ).toBeVisible();
  await expect(hours.getByText('Voulez-vous écrire : 24/7 ?')).toBeVisible();
  await expect(hours.getByText('(24 h/24, 7 j/7)')).toBeVisible();
  // Nothing is called wrong before the person starts.
  await expect(hours.getByText('indiquez l’heure de début et de fin')).toHaveCount(0);
  await shootEditor(page, hours, '0-citizen-current-value');

  // French as people type it: the OSM form is proposed, said in words, and taken on request.
  await hours.getByLabel('Ou écrivez les horaires').fill('du lundi au vendredi de 9h à 17h');
  await expect(hours.getByText('Voulez-vous écrire : Mo-Fr 09:00-17:00 ?')).toBeVisible();
  await hours.getByRole('button', { name: 'Oui, utiliser ces horaires' }).click();
  await expect(hours.getByLabel('Ou écrivez les horaires')).toHaveValue('Mo-Fr 09:00-17:00');
  await expect(hours.getByRole('button', { name: 'vendredi' }).first()).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(hours.getByText('En clair : Du lundi au vendredi, 9 h – 17 h')).toBeVisible();

  // Days and ranges, with the keyboard where a person would: a lunch break, Saturday morning, Sunday closed.
  const weekdays = hours.locator('fieldset').nth(0);
  await weekdays.getByLabel('À (plage 1)').fill('12:00');
  await weekdays.getByRole('button', { name: 'Ajouter une plage horaire' }).click();
  await weekdays.getByLabel('De (plage 2)').fill('14:00');
  // Half filled: said, and left out of the value until complete.
  await expect(weekdays.getByText('Plage 2 : indiquez l’heure de début et de fin.')).toBeVisible();
  await expect(hours.getByLabel('Ou écrivez les horaires')).toHaveValue('Mo-Fr 09:00-12:00');
  await weekdays.getByLabel('À (plage 2)').fill('17:00');
  await hours.getByRole('button', { name: 'Ajouter d’autres jours' }).click();
  const saturday = hours.locator('fieldset').nth(1);
  await saturday.getByRole('button', { name: 'samedi' }).focus();
  await page.keyboard.press('Enter');
  await saturday.getByLabel('De (plage 1)').fill('09:00');
  await saturday.getByLabel('À (plage 1)').fill('12:00');
  await hours.getByRole('button', { name: 'Ajouter d’autres jours' }).click();
  const sunday = hours.locator('fieldset').nth(2);
  await sunday.getByRole('button', { name: 'dimanche' }).click();
  await sunday.getByRole('radio', { name: 'Fermé' }).check();

  const osm = 'Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; Su off';
  await expect(hours.getByLabel('Ou écrivez les horaires')).toHaveValue(osm);
  await expect(
    hours.getByText(
      'En clair : Du lundi au vendredi, 9 h – 12 h et 14 h – 17 h ; samedi, 9 h – 12 h ; dimanche, fermé',
    ),
  ).toBeVisible();
  // Nothing on the phone is wider than the screen.
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
  const past = await hours.evaluate((box) =>
    [...box.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > 360)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
  );
  expect(past, 'nothing of the editor passes the right edge at 360 px').toEqual([]);
  await shootEditor(page, hours, '1-citizen-week');
  expect(await seriousViolations(page), 'the form with the hours editor').toEqual([]);

  await page.getByLabel('Commentaire pour les modérateurs').fill(marker);
  await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await expect(page.getByText('Proposition envoyée.')).toBeVisible();

  const listed = await listProposals(server, await ownerToken(server), datasetId);
  const proposal = listed.find((p) => p.comment === marker);
  if (proposal === undefined) throw new Error('the proposal did not reach the moderators');
  expect(proposal.proposed.horaire).toBe(osm);

  const moderatorContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  try {
    await signInContext(moderatorContext, server);
    const queue = await moderatorContext.newPage();
    await queue.goto(`${server.url}/datasets/${datasetId}/moderate`);
    await expect(queue.getByTestId('queue-state')).toHaveAttribute('data-state', 'live');
    await queue.locator(`[data-proposal-id="${proposal.id}"]`).click();
    await expect(queue.locator('tr[data-field="horaire"]')).toContainText(osm);
    await queue
      .getByRole('button', { name: /Accepter les champs cochés|Tout accepter/ })
      .first()
      .click();
    await expect(queue.getByRole('status').filter({ hasText: /Proposition acceptée/ })).toBeVisible();
  } finally {
    await moderatorContext.close();
  }
  const after = await openDataset(server, datasetId);
  try {
    await expect.poll(() => after.rows.get(row.id)?.values.horaire).toBe(osm);
  } finally {
    after.close();
  }
});

test('an editor types a postcode the schema refuses: told in the field’s words, saves anyway, and the record is listed to check', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const datasetId = await demoDatasetId(server);
  const demo = await openDataset(server, datasetId);
  // Not the first named record, which the citizen test corrects.
  const named = [...demo.rows.rows()].filter(
    (r) => typeof r.values.adresse === 'string' && r.values.adresse !== '',
  );
  const row = named[1];
  demo.close();
  if (row === undefined) throw new Error('the demo dataset needs two named records');
  const address = String(row.values.adresse);
  const postcode = String(row.values.arrondissement);

  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'fr-FR' });
  try {
    await signInContext(context, server);
    const page = await context.newPage();
    await page.goto(`${server.url}/datasets/${datasetId}/edit`);
    await page.getByLabel('Filtrer les fiches').fill(address);
    const cell = page.locator(`tr[data-row-id="${row.id}"] td[data-field="arrondissement"]`);
    await cell.click();
    await page.keyboard.press('Enter');
    await page.locator('input[data-editor]').fill('7501');
    await page.keyboard.press('Enter');

    const refusal = page.getByTestId('refusal');
    await expect(refusal).toContainText(
      '« Arrondissement (code postal) » : la valeur doit compter 5 chiffres (exemple : 75000).',
    );
    await expect(refusal).not.toContainText('^750');
    expect(await seriousViolations(page), 'the grid with a refusal').toEqual([]);
    // Refused: nothing written yet.
    await expect(cell).toHaveAttribute('data-value', postcode);
    await refusal.getByRole('button', { name: 'Enregistrer quand même' }).click();
    await expect(cell).toHaveAttribute('data-value', '7501');
    await expect(cell).toHaveAttribute('aria-invalid', 'true');

    const report = page.getByRole('region', { name: /Fiches à vérifier/ });
    const listed = report.locator(`li[data-row-id="${row.id}"]`);
    await expect(listed).toContainText(address);
    await expect(listed).toContainText('la valeur doit compter 5 chiffres');

    // The public page counts it and links to the list.
    const visitor = await context.newPage();
    await visitor.goto(`${server.url}/datasets/${datasetId}`);
    const toCheck = visitor.getByTestId('records-to-check');
    await expect(toCheck).toHaveText(/^\d+ fiches? à vérifier$/);
    await toCheck.click();
    await expect(visitor.locator(`#a-verifier li[data-row-id="${row.id}"]`)).toBeVisible();
    await visitor.close();

    // The editor puts the postcode back: valid again, the record leaves the list.
    await page.getByLabel('Filtrer les fiches').fill(address);
    await cell.click();
    await page.keyboard.press('Enter');
    await page.locator('input[data-editor]').fill(postcode);
    await page.keyboard.press('Enter');
    await expect(cell).toHaveAttribute('data-value', postcode);
    await expect(listed).toHaveCount(0);

    // Opening hours in the grid: days and times in a panel, the French value turned into OSM.
    const hoursCell = page.locator(`tr[data-row-id="${row.id}"] td[data-field="horaire"]`);
    const before = (await hoursCell.getAttribute('data-value')) ?? '';
    await hoursCell.click();
    await page.getByRole('button', { name: 'Horaires en jours et heures…' }).click();
    const panel = page.getByRole('region', { name: 'Horaires : jours et heures' });
    await expect(panel).toBeFocused();
    await panel.getByLabel('Ou écrivez les horaires').fill('Lundi 9h-12h');
    await panel.getByRole('button', { name: 'Oui, utiliser ces horaires' }).click();
    await expect(panel.getByTestId('hours-in-words')).toHaveText('En clair : Lundi, 9 h – 12 h');
    await shootEditor(page, panel, '2-editor-grid-panel');
    expect(await seriousViolations(page), 'the grid with the hours panel').toEqual([]);
    await page.setViewportSize({ width: 1366, height: 900 });
    await panel.getByRole('button', { name: 'Enregistrer les horaires' }).click();
    await expect(hoursCell).toHaveAttribute('data-value', 'Mo 09:00-12:00');
    await expect(hoursCell).toBeFocused();

    // Put the hours back as they were, typed in the cell as before.
    await page.keyboard.press('Enter');
    await page.locator('input[data-editor]').fill(before);
    await page.keyboard.press('Enter');
    await expect(hoursCell).toHaveAttribute('data-value', before);
  } finally {
    await context.close();
  }
});

test('in English, the hours editor says the days and times in English', async ({ browser, server }) => {
  const datasetId = await demoDatasetId(server);
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/datasets/${datasetId}/propose`);
    const hours = page.getByRole('group', { name: 'Horaires', exact: true });
    await hours.getByLabel('Or type the hours').fill('du lundi au vendredi de 9h à 17h');
    await expect(hours.getByText('Do you mean: Mo-Fr 09:00-17:00?')).toBeVisible();
    await hours.getByRole('button', { name: 'Yes, use these hours' }).click();
    await expect(hours.getByTestId('hours-in-words')).toHaveText('In words: Monday to Friday, 9:00 – 17:00');
    await expect(hours.getByRole('button', { name: 'Friday' })).toHaveAttribute('aria-pressed', 'true');
  } finally {
    await context.close();
  }
});
