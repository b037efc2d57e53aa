/**
 * Two moderators of two hubs (real accounts, see fixtures.ts) on one live queue, a citizen
 * proposing anonymously from a third client, and a reader: arrival in both queues, a partial
 * accept seen at once by the other moderator, the new values for readers, and undo putting the
 * old ones back. On a server of its own: the live count, the notification, edit then accept,
 * and bulk accept. Also the sign-in page and axe.
 */
import { demoDatasetId, expect, openDataset, test } from '../fixtures.ts';
import { namedRecord } from '../places.ts';
import { startServer } from '../server.ts';
import { ADMIN, freeTextFields, postProposal, seriousViolations, signInContext } from './hub-support.ts';

test('a hub member signs in on the sign-in page and reaches the dashboard', async ({
  page,
  server: hub,
  browserErrors,
}) => {
  browserErrors.expect({
    message: /^Failed to load resource: the server responded with a status of 401 /,
    url: /\/api\/auth\/login$/,
    why: 'the test types a wrong password first',
  });
  await page.goto(`${hub.url}/signin`);
  await page.getByLabel('Adresse e-mail').fill(ADMIN.email);
  await page.getByLabel('Mot de passe').fill('not the password at all');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('Adresse ou mot de passe incorrect.');
  expect(await seriousViolations(page), 'sign-in').toEqual([]);

  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord');
  // The owner may moderate: the count is read from the server, not "not available".
  await expect(page.getByTestId('pending-count').first()).toHaveText(/^\d+ propositions? en attente$/);
  expect(await seriousViolations(page), 'dashboard').toEqual([]);
});

test('two moderators of two hubs see a citizen proposal arrive, one accepts some fields, the other sees it decided; readers see it; undo restores', async ({
  browser,
  server: hub,
  people,
}) => {
  // Three browsers and a server on two cores: the steps are slow, not the app.
  test.setTimeout(150_000);
  const datasetId = await demoDatasetId(hub);
  const reading = await openDataset(hub, datasetId);
  // A record with a name and a second text field to change.
  const { row, field: name, name: oldName } = namedRecord(reading);
  // A free-text field: no closed list, pattern or format for the proposed value to break.
  const [other] = freeTextFields(reading);
  if (other === undefined) throw new Error('the demo dataset needs a second text field');
  const oldOther = row.values[other.name] ?? null;
  reading.close();

  const [a, b, reader] = await Promise.all([
    browser.newContext(),
    browser.newContext(),
    browser.newContext(),
  ]);
  await Promise.all([signInContext(a, hub, people.alice), signInContext(b, hub, people.bruno)]);
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  const readerPage = await reader.newPage();
  await Promise.all([
    pageA.goto(`${hub.url}/datasets/${datasetId}/moderate`),
    pageB.goto(`${hub.url}/datasets/${datasetId}/moderate`),
  ]);
  for (const p of [pageA, pageB])
    await expect(p.getByTestId('queue-state')).toHaveAttribute('data-state', 'live');

  const sent = Date.now();
  const { proposalId } = await postProposal(hub, datasetId, {
    kind: 'change',
    rowId: row.id,
    base: { [name]: oldName, [other.name]: oldOther },
    proposed: { [name]: `${oldName} (rénové)`, [other.name]: 'Valeur proposée e2e' },
    comment: 'Vu sur place',
  });
  const arrivals = await Promise.all(
    [pageA, pageB].map(async (p) => {
      await expect(p.locator(`[data-proposal-id="${proposalId}"]`)).toBeVisible();
      return Date.now() - sent;
    }),
  );
  console.log(
    `hub-moderation: proposal visible in moderator A after ${arrivals[0]} ms, B after ${arrivals[1]} ms`,
  );

  await pageB.locator(`[data-proposal-id="${proposalId}"]`).click();
  await pageA.locator(`[data-proposal-id="${proposalId}"]`).click();
  await expect(pageA.locator('tr[data-field]')).toHaveCount(2);
  expect(await seriousViolations(pageA), 'moderation queue with a proposal open').toEqual([]);

  // A keeps only the name: untick the other field, then the keyboard shortcut for "accept ticked".
  await pageA.getByRole('checkbox', { name: new RegExp(other.title ?? other.name) }).uncheck();
  await pageA.locator('h1').click();
  const accepted = Date.now();
  await pageA.keyboard.press('s');
  await expect(
    pageA.getByRole('status').filter({ hasText: 'Proposition acceptée en partie.' }),
  ).toBeVisible();
  await expect(pageB.getByTestId('proposal-status')).toHaveAttribute('data-status', 'partially-accepted');
  await expect(pageB.getByTestId('proposal-status')).toContainText(`par ${people.alice.name}`);
  console.log(`hub-moderation: decision visible in moderator B after ${Date.now() - accepted} ms`);
  // B can no longer decide it: the accept buttons are gone.
  await expect(pageB.getByRole('button', { name: /Tout accepter/ })).toHaveCount(0);

  await readerPage.goto(`${hub.url}/datasets/${datasetId}/records/${row.id}`);
  await expect(readerPage.getByRole('heading', { level: 1 })).toHaveText(`${oldName} (rénové)`);
  await expect(readerPage.getByText('Valeur proposée e2e')).toHaveCount(0);

  // Undo from the decided list, with its shortcut.
  await pageA.getByRole('button', { name: 'Décidées' }).click();
  await pageA.locator(`[data-proposal-id="${proposalId}"]`).click();
  await pageA.locator('h1').click();
  await pageA.keyboard.press('u');
  await expect(readerPage.getByRole('heading', { level: 1 })).toHaveText(oldName);
  await expect(pageB.getByTestId('proposal-status')).toHaveAttribute('data-status', 'pending');

  // Pending again: B rejects it with a reason (r, type, Enter); A sees the rejection and its reason.
  await pageB.locator(`[data-proposal-id="${proposalId}"]`).click();
  await pageB.locator('h1').click();
  await pageB.keyboard.press('r');
  await pageB.keyboard.type('Information invérifiable');
  await pageB.keyboard.press('Enter');
  await expect(pageA.getByTestId('proposal-status')).toHaveAttribute('data-status', 'rejected');
  await expect(pageA.getByTestId('proposal-status')).toContainText('Information invérifiable');
  await expect(pageA.getByTestId('proposal-status')).toContainText(`par ${people.bruno.name}`);
  await expect(readerPage.getByRole('heading', { level: 1 })).toHaveText(oldName);

  await Promise.all([a.close(), b.close(), reader.close()]);
});

test('a proposal made on a value that changed since is flagged as a conflict and only accepted when forced', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const datasetId = await demoDatasetId(server);
  const reading = await openDataset(server, datasetId);
  const { row, field: name, name: current } = namedRecord(reading);
  reading.close();

  const context = await browser.newContext();
  await signInContext(context, server);
  const page = await context.newPage();
  await page.goto(`${server.url}/datasets/${datasetId}/moderate`);
  await expect(page.getByTestId('queue-state')).toHaveAttribute('data-state', 'live');
  // The contributor saw an older name than the one the dataset holds now.
  const { proposalId } = await postProposal(server, datasetId, {
    kind: 'change',
    rowId: row.id,
    base: { [name]: `${current} (ancien)` },
    proposed: { [name]: `${current} (conflit e2e)` },
  });
  await page.locator(`[data-proposal-id="${proposalId}"]`).click();
  await expect(page.locator(`tr[data-field="${name}"]`)).toContainText('Conflit : la valeur a changé depuis');
  await page.getByRole('button', { name: /Tout accepter/ }).click();
  await expect(page.getByRole('alert')).toContainText('Conflit sur');
  await expect(page.getByTestId('proposal-status')).toHaveAttribute('data-status', 'pending');

  await page.getByRole('button', { name: 'Accepter en écrasant les conflits' }).click();
  // After a decision the queue moves on to the next pending proposal (other specs on this shared
  // server may have left one), so this one is read again from "Décidées".
  const decided = async (status: string) => {
    await page.getByRole('button', { name: 'Décidées' }).click();
    await page.locator(`[data-proposal-id="${proposalId}"]`).click();
    await expect(page.getByTestId('proposal-status')).toHaveAttribute('data-status', status);
  };
  await decided('accepted');
  // Put the name back for the specs that share this server…
  await page.getByRole('button', { name: /Annuler la décision/ }).click();
  await expect(page.getByTestId('proposal-status')).toHaveAttribute('data-status', 'pending');
  // …and leave no pending proposal behind.
  await page.getByLabel(/Motif du refus/).fill('Test de conflit');
  await page.getByRole('button', { name: 'Refuser', exact: true }).click();
  await decided('rejected');
  await context.close();
});

test('on its own server: the live count and a notification as proposals arrive, edit then accept, bulk accept leaves conflicts', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  // Bulk accept takes every clean pending proposal: a server of its own keeps the shared demo as it was.
  const { server, stop } = await startServer({ admin: true });
  try {
    const datasetId = await demoDatasetId(server);
    const reading = await openDataset(server, datasetId);
    const [other] = freeTextFields(reading);
    const [r1, r2, r3] = [...reading.rows.rows()];
    reading.close();
    if (other === undefined || r1 === undefined || r2 === undefined || r3 === undefined)
      throw new Error('the demo dataset needs three records and a free-text field');
    const seen = (r: typeof r1) => ({ [other.name]: r.values[other.name] ?? null });

    // Notifications granted, and the Notification constructor recorded (headless shows none).
    const moderator = await browser.newContext({ permissions: ['notifications'] });
    await moderator.addInitScript(`(() => {
      window.__notifications = [];
      window.Notification = class {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        constructor(title, options) { window.__notifications.push({ title, body: options && options.body }); }
      };
    })()`);
    await signInContext(moderator, server);
    const queue = await moderator.newPage();
    await queue.goto(`${server.url}/datasets/${datasetId}/moderate`);
    await expect(queue.getByTestId('queue-state')).toHaveAttribute('data-state', 'live');
    await expect(queue.getByTestId('pending-total')).toHaveText('0 proposition en attente');
    await queue.getByRole('button', { name: 'Me notifier des nouvelles propositions' }).click();
    await expect(
      queue.getByRole('button', { name: 'Me notifier des nouvelles propositions' }),
    ).toHaveAttribute('aria-pressed', 'true');

    // Edit then accept: the moderator corrects the proposed value; readers get the correction.
    const edited = await postProposal(server, datasetId, {
      kind: 'change',
      rowId: r1.id,
      base: seen(r1),
      proposed: { [other.name]: 'Valeur à corrigr e2e' },
    });
    await expect(queue.getByTestId('pending-total')).toHaveText('1 proposition en attente');
    await expect
      .poll(() => queue.evaluate('window.__notifications'))
      .toEqual([{ title: 'Data Patch', body: '1 nouvelle proposition' }]);
    await queue.locator(`[data-proposal-id="${edited.proposalId}"]`).click();
    await queue
      .getByLabel(new RegExp(`^Corriger la valeur proposée pour ${other.title ?? other.name}`))
      .fill('Valeur corrigée e2e');
    await queue.getByRole('button', { name: /Tout accepter/ }).click();
    await expect(queue.getByRole('status').filter({ hasText: 'Proposition acceptée.' })).toBeVisible();
    await expect(queue.getByTestId('pending-total')).toHaveText('0 proposition en attente');
    const reader = await browser.newContext();
    const record = await reader.newPage();
    await record.goto(`${server.url}/datasets/${datasetId}/records/${r1.id}`);
    await expect(record.getByText('Valeur corrigée e2e')).toBeVisible();
    await expect(record.getByText('Valeur à corrigr e2e')).toHaveCount(0);

    // Bulk accept: the clean proposal goes in, the one made on an outdated value stays pending.
    const clean = await postProposal(server, datasetId, {
      kind: 'change',
      rowId: r2.id,
      base: seen(r2),
      proposed: { [other.name]: 'Valeur en lot e2e' },
    });
    const stale = await postProposal(server, datasetId, {
      kind: 'change',
      rowId: r3.id,
      base: { [other.name]: 'une valeur qu’il n’a jamais eue' },
      proposed: { [other.name]: 'Valeur en conflit e2e' },
    });
    await expect(queue.getByTestId('pending-total')).toHaveText('2 propositions en attente');
    await expect.poll(() => queue.evaluate('window.__notifications.length')).toBeGreaterThanOrEqual(2);
    await queue.getByRole('button', { name: 'Accepter 1 proposition sans conflit' }).click();
    await expect(queue.getByRole('status').filter({ hasText: '1 proposition acceptée.' })).toBeVisible();
    await expect(queue.getByTestId('pending-total')).toHaveText('1 proposition en attente');
    await expect(queue.locator(`[data-proposal-id="${stale.proposalId}"]`)).toBeVisible();
    await expect(queue.locator(`[data-proposal-id="${clean.proposalId}"]`)).toHaveCount(0);
    await record.goto(`${server.url}/datasets/${datasetId}/records/${r2.id}`);
    await expect(record.getByText('Valeur en lot e2e')).toBeVisible();
    await record.goto(`${server.url}/datasets/${datasetId}/records/${r3.id}`);
    await expect(record.getByText('Valeur en conflit e2e')).toHaveCount(0);
    await Promise.all([moderator.close(), reader.close()]);
  } finally {
    await stop();
  }
});
