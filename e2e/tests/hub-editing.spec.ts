/**
 * Two editors of two hubs (real accounts, see fixtures.ts) on the grid of one dataset at once:
 * edits of two cells of one record both stay in both browsers, edits of the same cell converge,
 * each sees the other's name and hub, and the history puts a previous value back. Copying a
 * range and pasting it. axe on the grid and the history.
 */
import type { Page } from '@playwright/test';
import { demoDatasetId, expect, openDataset, personToken, test } from '../fixtures.ts';
import { namedRecord } from '../places.ts';
import { freeTextFields, seriousViolations, signInContext } from './hub-support.ts';

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

test('two editors of two hubs edit one record at once: both cells kept everywhere, one cell converges, presence shown, history puts a value back', async ({
  browser,
  server,
  people,
}) => {
  test.setTimeout(150_000);
  const datasetId = await demoDatasetId(server);
  const reading = await openDataset(server, datasetId);
  const { row, name: recordName } = namedRecord(reading);
  const free = freeTextFields(reading);
  const [first, second] = free;
  if (first === undefined || second === undefined)
    throw new Error('the demo dataset needs two free-text fields');
  const oldFirst = row.values[first.name] ?? null;
  const oldSecond = row.values[second.name] ?? null;
  reading.close();

  const [a, b] = await Promise.all([browser.newContext(), browser.newContext()]);
  await Promise.all([signInContext(a, server, people.alice), signInContext(b, server, people.bruno)]);
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  for (const p of [pageA, pageB]) {
    await p.goto(`${server.url}/datasets/${datasetId}/edit`);
    await p.getByLabel('Filtrer les fiches').fill(recordName);
    await expect(cell(p, row.id, first.name)).toBeVisible();
  }

  // Each sees the other on the dataset (name and hub), then on the cell they chose.
  await cell(pageB, row.id, second.name).click();
  await expect(pageA.getByTestId('presence').locator('li')).toHaveCount(1);
  await expect(pageA.getByTestId('presence')).toContainText(`${people.bruno.name} (${people.bruno.hub})`);
  await cell(pageA, row.id, first.name).click();
  await expect(pageB.getByTestId('presence')).toContainText(`${people.alice.name} (${people.alice.hub})`);
  await expect(cell(pageA, row.id, second.name)).toHaveClass(/peer/);
  expect(await seriousViolations(pageA), 'editors grid').toEqual([]);

  // Two cells of one record at the same time.
  await Promise.all([
    typeInto(pageA, row.id, first.name, 'Valeur A e2e'),
    typeInto(pageB, row.id, second.name, 'Valeur B e2e'),
  ]);
  for (const p of [pageA, pageB]) {
    await expect(cell(p, row.id, first.name)).toContainText('Valeur A e2e');
    await expect(cell(p, row.id, second.name)).toContainText('Valeur B e2e');
  }

  // The same cell at the same time: one value, the same in both browsers.
  await Promise.all([
    typeInto(pageA, row.id, first.name, 'Même cellule A'),
    typeInto(pageB, row.id, first.name, 'Même cellule B'),
  ]);
  const both = async () =>
    Promise.all([pageA, pageB].map((p) => cell(p, row.id, first.name).getAttribute('data-value')));
  await expect
    .poll(async () => {
      const [inA, inB] = await both();
      return inA === inB && /^Même cellule [AB]$/.test(inA ?? '');
    })
    .toBe(true);
  console.log(`hub-editing: the same cell converged to "${(await both())[0]}" in both browsers`);

  // The record's history shows both same-cell values, and puts B's second field back.
  await pageA.goto(`${server.url}/datasets/${datasetId}/history?record=${row.id}`);
  // Both values are in the history, whichever won (one may also be the other's old value).
  await expect(pageA.getByTestId('change').filter({ hasText: '→ « Même cellule A »' })).toHaveCount(1);
  await expect(pageA.getByTestId('change').filter({ hasText: '→ « Même cellule B »' })).toHaveCount(1);
  expect(await seriousViolations(pageA), 'history').toEqual([]);
  await pageA
    .getByTestId('change')
    .filter({ hasText: 'Valeur B e2e' })
    .getByRole('button', { name: /^Remettre/ })
    .click();
  await expect(cell(pageB, row.id, second.name)).toHaveText(oldSecond === null ? '' : String(oldSecond));

  // Later specs share this server: the first field gets its value back too.
  await typeInto(pageB, row.id, first.name, oldFirst === null ? '' : String(oldFirst));
  await expect(cell(pageB, row.id, first.name)).toHaveAttribute(
    'data-value',
    oldFirst === null ? '' : String(oldFirst),
  );
  await Promise.all([a.close(), b.close()]);
});

test('a range pasted from a spreadsheet fills the cells from the active one; Ctrl+Z takes my edits back', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const datasetId = await demoDatasetId(server);
  const reading = await openDataset(server, datasetId);
  const [field] = freeTextFields(reading);
  // The grid's first two records (dataset order, no filter): a two-row range pasted down a column.
  const [top, second] = [...reading.rows.rows()];
  reading.close();
  if (field === undefined || top === undefined || second === undefined)
    throw new Error('the demo dataset is too small');
  const before = [top, second].map((r) => {
    const v = r.values[field.name] ?? null;
    return v === null ? '' : String(v);
  });

  const context = await browser.newContext();
  await signInContext(context, server);
  const page = await context.newPage();
  await page.goto(`${server.url}/datasets/${datasetId}/edit`);
  await cell(page, top.id, field.name).click();
  // A paste event as a spreadsheet's Ctrl+V makes it (a string: the e2e types have no DOM).
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'Collé 1\\r\\nCollé 2\\r\\n');
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  })()`);
  await expect(cell(page, top.id, field.name)).toHaveAttribute('data-value', 'Collé 1');
  await expect(cell(page, second.id, field.name)).toHaveAttribute('data-value', 'Collé 2');

  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(cell(page, top.id, field.name)).toHaveAttribute('data-value', before[0] ?? '');
  await expect(cell(page, second.id, field.name)).toHaveAttribute('data-value', before[1] ?? '');
  await context.close();
});

test('a 2×2 range selected with shift+arrows is copied as tab-separated text and pasted elsewhere', async ({
  browser,
  server,
  people,
}) => {
  test.setTimeout(120_000);
  const datasetId = await demoDatasetId(server);
  const reading = await openDataset(server, datasetId);
  const [from, fromNext, to, toNext] = [...reading.rows.rows()];
  const [left, right] = reading.schema.fields;
  reading.close();
  if (to === undefined || toNext === undefined || from === undefined || fromNext === undefined)
    throw new Error('the demo dataset needs four records');
  if (left === undefined || right === undefined) throw new Error('the demo dataset needs two fields');
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const copied = [from, fromNext].map((r) => [text(r.values[left.name]), text(r.values[right.name])]);
  const before = [to, toNext].map((r) => [text(r.values[left.name]), text(r.values[right.name])]);

  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  await signInContext(context, server, people.alice);
  const page = await context.newPage();
  await page.goto(`${server.url}/datasets/${datasetId}/edit`);
  await cell(page, from.id, left.name).click();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(page.locator('td[aria-selected="true"]')).toHaveCount(4);
  await page.keyboard.press('Control+c');
  await expect(page.getByRole('status').filter({ hasText: '4 cellule(s) copiée(s).' })).toBeVisible();
  // What a spreadsheet receives: one line per record, cells separated by tabs.
  const clipboard = (await page.evaluate('navigator.clipboard.readText()')) as string;
  expect(clipboard.split('\n').map((line) => line.split('\t')).length).toBe(2);

  // A plain click drops the range; the paste lands from the clicked cell.
  await cell(page, to.id, left.name).click();
  await expect(page.locator('td[aria-selected="true"]')).toHaveCount(0);
  await page.keyboard.press('Control+v');
  for (const [i, r] of [to, toNext].entries()) {
    await expect(cell(page, r.id, left.name)).toHaveAttribute('data-value', copied[i]?.[0] ?? '');
    await expect(cell(page, r.id, right.name)).toHaveAttribute('data-value', copied[i]?.[1] ?? '');
  }

  // Leave the shared server as it was: four cells, four undos.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Control+z');
  for (const [i, r] of [to, toNext].entries()) {
    await expect(cell(page, r.id, left.name)).toHaveAttribute('data-value', before[i]?.[0] ?? '');
    await expect(cell(page, r.id, right.name)).toHaveAttribute('data-value', before[i]?.[1] ?? '');
  }

  // Ctrl+X empties the selected cells (their text goes to the clipboard); Ctrl+Z puts them back.
  await cell(page, to.id, left.name).click();
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Control+x');
  for (const r of [to, toNext]) await expect(cell(page, r.id, left.name)).toHaveAttribute('data-value', '');
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(
    before.map((line) => line[0] ?? '').join('\n'),
  );
  for (let i = 0; i < 2; i++) await page.keyboard.press('Control+z');
  for (const [i, r] of [to, toNext].entries())
    await expect(cell(page, r.id, left.name)).toHaveAttribute('data-value', before[i]?.[0] ?? '');
  await context.close();
});

test('an invitation link from the settings page: sign in, come back, accept in one click, land on the grid; a used or unknown link says so', async ({
  browser,
  server,
  people,
  browserErrors,
}) => {
  browserErrors.expect({
    message: /^Failed to load resource: the server responded with a status of (410|404) /,
    url: /\/api\/invites\/[^/]+\/accept$/,
    why: 'the test opens a used-up link (410) and an unknown one (404) on purpose',
  });
  test.setTimeout(120_000);
  const datasetId = await demoDatasetId(server);
  const owner = await browser.newContext();
  await signInContext(owner, server);
  const settings = await owner.newPage();
  await settings.goto(`${server.url}/datasets/${datasetId}/settings`);
  const invites = settings.getByRole('region', { name: 'Invitations' });
  await invites.getByLabel('Rôle').selectOption('editor');
  await invites.getByRole('button', { name: /^Créer une invitation/ }).click();
  const link = (await settings.getByTestId('invite-link').textContent()) ?? '';
  expect(link).toMatch(new RegExp(`^${server.url}/invites/[^?]+\\?dataset=.+&until=\\d+$`));

  // Camille (Hub Est, no role yet) opens the link signed out: what it grants, then sign in first.
  const camille = await browser.newContext();
  const page = await camille.newPage();
  await page.goto(link);
  await expect(page.getByTestId('invite-grants')).toContainText('rôle : édition');
  await expect(page.getByTestId('invite-until')).toContainText('Valable jusqu’au');
  expect(await seriousViolations(page), 'invitation page').toEqual([]);
  await page.getByRole('link', { name: 'Se connecter' }).click();
  await page.getByLabel('Adresse e-mail').fill(people.camille.email);
  await page.getByLabel('Mot de passe').fill(people.camille.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(link);
  // She administers Hub Est (its first member): she takes the role for the whole hub.
  await page.getByRole('radio', { name: `tout le hub ${people.camille.hub}`, exact: false }).check();
  await page.getByRole('button', { name: 'Accepter l’invitation' }).click();
  await expect(page).toHaveURL(`${server.url}/datasets/${datasetId}/edit`);
  await expect(page.getByRole('grid')).toBeVisible();
  const roles = await owner.request.get(`${server.url}/api/datasets/${datasetId}/roles`);
  const hubs = await (
    await owner.request.get(`${server.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${await personToken(server, people.camille)}` },
    })
  ).json();
  const est = (hubs.user.hubs as { id: string; name: string }[]).find((h) => h.name === people.camille.hub);
  expect((await roles.json()).roles).toContainEqual(
    expect.objectContaining({ subject: { kind: 'hub', id: est?.id }, role: 'editor' }),
  );

  // The link was for one use: Bruno gets a clear message, and so does a made-up link.
  const bruno = await browser.newContext();
  await signInContext(bruno, server, people.bruno);
  const other = await bruno.newPage();
  await other.goto(link);
  await other.getByRole('button', { name: 'Accepter l’invitation' }).click();
  await expect(other.getByRole('alert')).toHaveAttribute('data-code', 'invite_used_up');
  await expect(other.getByRole('alert')).toContainText('a déjà servi');
  expect(await seriousViolations(other), 'invitation page, signed in, link used up').toEqual([]);
  await other.goto(`${server.url}/invites/dpi_not_a_real_token`);
  await other.getByRole('button', { name: 'Accepter l’invitation' }).click();
  await expect(other.getByRole('alert')).toHaveAttribute('data-code', 'invite_not_found');
  await Promise.all([owner.close(), camille.close(), bruno.close()]);
});
