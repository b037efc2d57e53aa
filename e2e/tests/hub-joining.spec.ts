/**
 * Joining and who is who: an owner invites someone who has no account; they create it from the
 * link (name, email, password with its strength hint) and edit at once, and as an editor they
 * never see a moderation control; the owner's settings name them by name and email. A hub admin
 * makes a password reset link for a member; it works once. Screenshots at 390 and 1366 px in
 * e2e/screenshots/joining/ (attached to the report); axe on each new page.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { demoDatasetId, expect, openDataset, repoRoot, test } from '../fixtures.ts';
import { namedRecord } from '../places.ts';
import { addPerson } from '../server.ts';
import { freeTextFields, seriousViolations, signInContext } from './hub-support.ts';

const shots = join(repoRoot, 'e2e/screenshots/joining');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

function cell(page: Page, rowId: string, field: string) {
  return page.locator(`tr[data-row-id="${rowId}"] td[data-field="${field}"]`);
}

async function typeInto(page: Page, rowId: string, field: string, value: string) {
  await cell(page, rowId, field).click();
  await page.keyboard.press('Enter');
  const editor = page.locator('input[data-editor]');
  await editor.fill(value);
  await editor.press('Enter');
}

test('an owner invites a person with no account: they create it from the link, edit, and never see moderation', async ({
  browser,
  server,
}) => {
  test.setTimeout(180_000);
  const datasetId = await demoDatasetId(server);
  const reading = await openDataset(server, datasetId);
  const { row, name: recordName } = namedRecord(reading);
  const field = freeTextFields(reading)[0];
  if (field === undefined) throw new Error('the demo dataset needs a free-text field');
  const before = row.values[field.name] ?? '';
  reading.close();

  const owner = await browser.newContext({ viewport: DESKTOP });
  await signInContext(owner, server);
  const settings = await owner.newPage();
  await settings.goto(`${server.url}/datasets/${datasetId}/settings`);
  const invites = settings.getByRole('region', { name: 'Invitations' });
  await invites.getByLabel('Rôle').selectOption('editor');
  await invites.getByRole('button', { name: /^Créer une invitation/ }).click();
  const link = (await settings.getByTestId('invite-link').textContent()) ?? '';
  expect(link).toContain('/invites/dpi_');

  // Dominique has no account: the link offers to create one, on a phone.
  const newcomer = await browser.newContext({ viewport: PHONE, hasTouch: true });
  const page = await newcomer.newPage();
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Créer mon compte' })).toBeVisible();
  await page.getByLabel('Nom affiché aux autres membres').fill('Dominique Martin');
  await page.getByLabel('Adresse e-mail').fill('dominique.martin@ouest.example.org');
  const password = page.getByLabel('Mot de passe', { exact: true });
  await password.fill('court');
  await expect(page.getByTestId('password-strength')).toHaveAttribute('data-strength', 'too-short');
  await password.fill('quatre chevaux boivent au lavoir');
  await expect(page.getByTestId('password-strength')).toHaveText('Solide.');
  expect(await seriousViolations(page), 'invitation page, no account').toEqual([]);
  await shoot(page, '390-invitation-create-account');
  await page.getByRole('button', { name: 'Créer mon compte et accepter' }).click();
  await expect(page).toHaveURL(`${server.url}/datasets/${datasetId}/edit`);
  await expect(page.getByRole('grid')).toBeVisible();

  // An editor: no "Modérer" anywhere, and no moderation control behind the refusal.
  const nav = page.getByRole('navigation', { name: 'Écrans du jeu de données' });
  await expect(nav.getByRole('link', { name: 'Éditer' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Modérer' })).toHaveCount(0);

  // …and edits at once (a desktop-sized window for the grid).
  await page.setViewportSize(DESKTOP);
  await page.getByLabel('Filtrer les fiches').fill(recordName);
  await typeInto(page, row.id, field.name, 'Modifié par Dominique');
  await expect
    .poll(async () => {
      const response = await fetch(
        `${server.url}/api/datasets/${datasetId}/rows?q=${encodeURIComponent(recordName)}`,
      );
      const body = (await response.json()) as { rows: { id: string; values: Record<string, unknown> }[] };
      return body.rows.find((r) => r.id === row.id)?.values[field.name];
    })
    .toBe('Modifié par Dominique');
  await typeInto(page, row.id, field.name, String(before));

  await page.goto(`${server.url}/datasets/${datasetId}/moderate`);
  await expect(page.getByTestId('queue-state')).toHaveText(/Vous n’avez pas accès/);
  await expect(
    page.getByRole('button', { name: /Accepter|Refuser|Me notifier|Annuler la décision/ }),
  ).toHaveCount(0);
  await page.goto(`${server.url}/dashboard`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Modérer' })).toHaveCount(0);
  await expect(page.getByTestId('pending-count')).toHaveCount(0);

  // The owner's settings name Dominique by name and email; the owner's own entry has no removal.
  await settings.reload();
  const roles = settings.getByRole('region', { name: 'Rôles' });
  await expect(
    roles.getByTestId('grant').filter({ hasText: 'Dominique Martin (dominique.martin@ouest.example.org)' }),
  ).toContainText('édition');
  const mine = roles.getByTestId('grant').filter({ hasText: '(vous)' });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByRole('button')).toHaveCount(0);
  await expect(
    roles.getByRole('button', {
      name: 'Retirer le rôle de Dominique Martin (dominique.martin@ouest.example.org)',
    }),
  ).toBeVisible();
  expect(await seriousViolations(settings), 'settings, roles by name').toEqual([]);
  await shoot(settings, '1366-settings-roles');
  await Promise.all([owner.close(), newcomer.close()]);
});

test('a hub admin makes a password reset link for a member; it works once', async ({
  browser,
  browserErrors,
  server,
  people,
}) => {
  test.setTimeout(150_000);
  browserErrors.expect({
    message: /^Failed to load resource: the server responded with a status of 410/,
    url: /\/api\/password-resets\/dpp_/,
    why: 'the reset page asks about a link already used, on purpose: the server answers 410 reset_used',
  });
  const eloise = {
    email: 'eloise@nord.example.org',
    password: 'eloise forgot this passphrase',
    name: 'Éloïse Nord',
    hub: people.alice.hub,
  };
  await addPerson(server, eloise);

  const admin = await browser.newContext({ viewport: DESKTOP });
  await signInContext(admin, server, people.alice);
  const hubs = await admin.newPage();
  await hubs.goto(`${server.url}/hubs`);
  await expect(hubs.getByRole('heading', { name: people.alice.hub })).toBeVisible();
  await hubs.getByRole('button', { name: `Lien de nouveau mot de passe pour ${eloise.name}` }).click();
  const link = await hubs.getByTestId('reset-link').inputValue();
  expect(link).toMatch(new RegExp(`^${server.url}/reset/dpp_`));
  expect(await seriousViolations(hubs), 'hubs page with a reset link').toEqual([]);
  await shoot(hubs, '1366-hubs-reset-link');

  const member = await browser.newContext({ viewport: PHONE, hasTouch: true });
  const page = await member.newPage();
  await page.goto(link);
  await expect(page.getByText(`Nouveau mot de passe pour le compte ${eloise.email}.`)).toBeVisible();
  await page.getByLabel('Mot de passe', { exact: true }).fill('une nouvelle phrase de passe');
  expect(await seriousViolations(page), 'reset page').toEqual([]);
  await shoot(page, '390-reset-password');
  await page.getByRole('button', { name: 'Enregistrer et me connecter' }).click();
  await expect(page).toHaveURL(`${server.url}/dashboard`);
  await expect(page.getByText(`Connecté·e : ${eloise.name}`)).toBeVisible();

  // Once only: the same link now says so, and the new password signs in.
  const again = await browser.newContext({ viewport: PHONE });
  const second = await again.newPage();
  await second.goto(link);
  await expect(second.getByRole('alert')).toHaveAttribute('data-code', 'reset_used');
  await expect(second.getByRole('alert')).toContainText('a déjà servi');
  const signIn = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: eloise.email, password: 'une nouvelle phrase de passe', kind: 'bearer' }),
  });
  expect(signIn.status).toBe(200);
  await Promise.all([admin.close(), member.close(), again.close()]);
});

test('a hub admin invites someone into the hub: they create their account from the link and are a member', async ({
  browser,
  server,
  people,
}) => {
  test.setTimeout(120_000);
  const admin = await browser.newContext({ viewport: DESKTOP });
  await signInContext(admin, server, people.alice);
  const hubs = await admin.newPage();
  await hubs.goto(`${server.url}/hubs`);
  await hubs.getByRole('button', { name: `Inviter quelqu’un dans ${people.alice.hub}` }).click();
  const link = await hubs.getByTestId('hub-invite-link').inputValue();
  expect(link).toContain('/invites/dph_');

  const newcomer = await browser.newContext({ viewport: PHONE, hasTouch: true });
  const page = await newcomer.newPage();
  await page.goto(link);
  await expect(page.getByTestId('invite-grants')).toHaveText(
    `Ce lien vous invite à rejoindre le hub « ${people.alice.hub} ».`,
  );
  await page.getByLabel('Nom affiché aux autres membres').fill('Yanis Nord');
  await page.getByLabel('Adresse e-mail').fill('yanis@nord.example.org');
  await page.getByLabel('Mot de passe', { exact: true }).fill('la mer monte avant midi');
  expect(await seriousViolations(page), 'hub invitation page, no account').toEqual([]);
  await shoot(page, '390-hub-invitation');
  await page.getByRole('button', { name: 'Créer mon compte et accepter' }).click();
  await expect(page).toHaveURL(`${server.url}/hubs`);
  const section = page.getByRole('region', { name: people.alice.hub });
  await expect(section.getByText('Vous êtes membre de ce hub.')).toBeVisible();
  await expect(section.getByTestId('hub-member').filter({ hasText: 'Yanis Nord' })).toContainText('(vous)');
  await Promise.all([admin.close(), newcomer.close()]);
});
