/**
 * Every main screen, as a citizen, an invited person and a hub owner reach it, checked by axe
 * (WCAG 2.1 AA: no serious or critical finding) at 360, 390 and 1366 px, and kept as a
 * screenshot at 390 and 1366 px in the test's output folder (e2e/test-results/<test>/<screen>-<width>.png)
 * for a person to look at. Each screen waits for its content before being judged, never a loading state.
 */
import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { accentedPlace, nameField } from '../places.ts';
import { addPerson } from '../server.ts';
import { postProposal, seriousViolations, signInContext } from './hub-support.ts';
import { keepScreenshot } from './screenshots.ts';

const WIDTHS = [360, 390, 1366] as const;
const SHOT_WIDTHS: readonly number[] = [390, 1366];

/**
 * Judges the open page at each width (its content located by `ready`), keeping a full-page
 * screenshot at the phone and desktop widths. All findings are gathered before failing, so one
 * run names every screen to fix.
 */
async function checkScreen(
  page: Page,
  testInfo: TestInfo,
  name: string,
  ready: (page: Page) => Locator,
  found: Record<string, unknown>,
): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await expect(ready(page).first()).toBeVisible();
    const violations = await seriousViolations(page);
    if (violations.length > 0) found[`${name} at ${width} px`] = violations;
    if (SHOT_WIDTHS.includes(width)) {
      await keepScreenshot(page, testInfo, `${name}-${width}`);
    }
  }
}

test('citizen screens: home, dataset, record, propose, add a place, my proposals', async ({
  page,
  server,
  demo,
}, testInfo) => {
  // Six screens, three widths, each a full axe analysis of a few seconds on two cores.
  test.setTimeout(240_000);
  const found: Record<string, unknown> = {};
  const place = accentedPlace(demo);
  const record = `${server.url}/datasets/${demo.id}/records/${encodeURIComponent(place.rowId)}`;

  await page.goto(server.url);
  await checkScreen(page, testInfo, 'home', (p) => p.locator(`a[href="/datasets/${demo.id}"]`), found);

  await page.goto(`${server.url}/datasets/${demo.id}`);
  await checkScreen(page, testInfo, 'dataset', (p) => p.getByText(place.name.slice(0, 10)), found);

  await page.goto(record);
  await checkScreen(
    page,
    testInfo,
    'record',
    (p) => p.getByRole('heading', { level: 1, name: place.name }),
    found,
  );

  await page.goto(`${record}/propose`);
  await checkScreen(
    page,
    testInfo,
    'propose',
    (p) => p.getByRole('button', { name: 'Envoyer la proposition' }),
    found,
  );

  await page.goto(`${server.url}/datasets/${demo.id}/propose`);
  await checkScreen(page, testInfo, 'add-place', (p) => p.getByRole('button', { name: /^Envoyer/ }), found);

  // "Mes propositions" with one sent from this browser: a duplicate report needs no typed value.
  await page.goto(`${record}/propose`);
  await page.getByRole('radio', { name: 'C’est un doublon' }).check();
  await page.getByLabel('Doublon de quelle fiche').fill('la fiche voisine');
  await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await expect(page.getByText('Proposition envoyée.')).toBeVisible();
  await page.goto(`${server.url}/my-proposals`);
  await checkScreen(page, testInfo, 'my-proposals', (p) => p.locator('[data-status="pending"]'), found);

  expect(found, 'serious or critical axe findings').toEqual({});
});

test('account screens: sign-in, an invitation for someone with no account, a password reset', async ({
  page,
  browser,
  server,
  demo,
  people,
}, testInfo) => {
  test.setTimeout(180_000);
  const found: Record<string, unknown> = {};

  await page.goto(`${server.url}/signin`);
  await checkScreen(page, testInfo, 'signin', (p) => p.getByLabel('Mot de passe'), found);

  // Links made through the API as the pages that offer them do.
  const owner = await browser.newContext();
  await signInContext(owner, server);
  const invite = await owner.request.post(`${server.url}/api/datasets/${demo.id}/invites`, {
    data: { role: 'editor', maxUses: 1 },
    headers: { origin: server.url },
  });
  expect(invite.status(), await invite.text()).toBeLessThan(300);
  const inviteToken = ((await invite.json()) as { token: string }).token;

  const member = {
    email: 'axe-reset@nord.example.org',
    password: 'axe reset passphrase',
    name: 'Axe Nord',
    hub: people.alice.hub,
  };
  await addPerson(server, member);
  const admin = await browser.newContext();
  await signInContext(admin, server, people.alice);
  const hubs = (await (await admin.request.get(`${server.url}/api/hubs`)).json()) as {
    hubs: { members: { userId: string; email: string }[] }[];
  };
  const userId = hubs.hubs.flatMap((h) => h.members).find((m) => m.email === member.email)?.userId;
  expect(userId, 'the new member is listed in Alice’s hub').toBeDefined();
  const reset = await admin.request.post(`${server.url}/api/password-resets`, {
    data: { userId },
    headers: { origin: server.url },
  });
  expect(reset.status(), await reset.text()).toBeLessThan(300);
  const resetLink = ((await reset.json()) as { link: string }).link;
  await Promise.all([owner.close(), admin.close()]);

  await page.goto(`${server.url}/invites/${inviteToken}`);
  await checkScreen(
    page,
    testInfo,
    'invite',
    (p) => p.getByRole('button').filter({ hasText: /compte/i }),
    found,
  );

  await page.goto(resetLink);
  await checkScreen(page, testInfo, 'reset', (p) => p.getByLabel('Mot de passe'), found);

  expect(found, 'serious or critical axe findings').toEqual({});
});

test('hub screens: dashboard, moderation queue, grid, history, settings, hubs, new dataset', async ({
  page,
  context,
  server,
  demo,
}, testInfo) => {
  test.setTimeout(300_000);
  const found: Record<string, unknown> = {};
  const place = accentedPlace(demo);
  // One pending proposal, so the queue shows a card to decide, not only its empty state.
  await postProposal(server, demo.id, {
    kind: 'change',
    rowId: place.rowId,
    base: { [nameField(demo)]: place.name },
    proposed: { [nameField(demo)]: `${place.name} (axe)` },
    comment: 'accessibility tour',
  });
  await signInContext(context, server);
  const dataset = `${server.url}/datasets/${demo.id}`;

  await page.goto(`${server.url}/dashboard`);
  await checkScreen(page, testInfo, 'dashboard', (p) => p.getByTestId('pending-count'), found);

  await page.goto(`${dataset}/moderate`);
  await page.getByTestId('proposal').first().click();
  await checkScreen(page, testInfo, 'moderate', (p) => p.getByTestId('proposal-status'), found);

  await page.goto(`${dataset}/edit`);
  await checkScreen(page, testInfo, 'edit', (p) => p.getByRole('gridcell', { name: place.name }), found);

  await page.goto(`${dataset}/history`);
  await checkScreen(page, testInfo, 'history', (p) => p.getByRole('heading', { level: 1 }), found);

  await page.goto(`${dataset}/settings`);
  await checkScreen(page, testInfo, 'settings', (p) => p.getByRole('region', { name: 'Invitations' }), found);

  await page.goto(`${server.url}/hubs`);
  await checkScreen(page, testInfo, 'hubs', (p) => p.getByRole('heading', { level: 1 }), found);

  await page.goto(`${server.url}/new`);
  await checkScreen(page, testInfo, 'new', (p) => p.getByLabel(/^Fichier/), found);

  expect(found, 'serious or critical axe findings').toEqual({});
});
