/**
 * Honest states (issue 16): a private dataset opened without rights says so, with a way to sign
 * in, instead of loading for ever; a server out of reach is called so in the header and the
 * dataset's status, never "En ligne"; a signed-in member whose server does not answer is not
 * told to sign in.
 */
import { expect, ownerToken, test } from '../fixtures.ts';
import { shootAtWidths } from './citizen-support.ts';
import { signInContext } from './hub-support.ts';

const PRIVATE_ID = 'e2e-prive';

test('a private dataset opened without rights says so and offers to sign in', async ({ page, server }) => {
  const token = await ownerToken(server);
  const form = new FormData();
  form.set('file', new File(['nom;ville\nLieu secret;Lyon\n'], 'prive.csv'));
  const created = await fetch(`${server.url}/api/datasets/${PRIVATE_ID}/import?new=1`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, origin: server.url },
    body: form,
  });
  // 409: another test of this worker made it already.
  expect([201, 409], await created.text()).toContain(created.status);
  const settings = await fetch(`${server.url}/api/datasets/${PRIVATE_ID}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ visibility: 'private' }),
  });
  expect(settings.status, await settings.text()).toBe(200);
  expect((await fetch(`${server.url}/api/datasets/${PRIVATE_ID}/rows`)).status).toBe(404);

  await page.goto(`${server.url}/datasets/${PRIVATE_ID}`);
  const notice = page.getByTestId('private-dataset');
  await expect(notice).toContainText('Jeu de données privé — connectez-vous ou demandez un accès');
  await expect(page.getByText('Chargement des données…')).toHaveCount(0);
  await expect(notice.getByRole('link', { name: 'Se connecter' })).toHaveAttribute(
    'href',
    `/signin?next=${encodeURIComponent(`/datasets/${PRIVATE_ID}`)}`,
  );
  await expect(page.getByRole('link', { name: 'Ajouter un lieu manquant' })).toHaveCount(0);
  await shootAtWidths(page, 'states', '1-private-dataset');

  // A record link shared from it says the same.
  await page.goto(`${server.url}/datasets/${PRIVATE_ID}/records/quelconque`);
  await expect(page.getByTestId('private-dataset')).toContainText('Jeu de données privé');
});

test('a server out of reach is "Serveur injoignable", never "En ligne"', async ({
  page,
  server,
  browserErrors,
}) => {
  // The page is served, then neither the API nor the sync socket answers.
  await page.route(/\/api\//, (route) => route.abort('connectionrefused'));
  await page.routeWebSocket(/\/sync\//, (ws) => ws.close({ code: 1006, reason: 'e2e: server out of reach' }));
  browserErrors.expect({
    message: /^Failed to load resource: net::ERR_CONNECTION_REFUSED$/,
    why: 'this test refuses every API request on purpose',
  });
  await page.goto(`${server.url}/datasets/sanisettes-paris`);
  await expect(page.getByTestId('network')).toHaveText('Serveur injoignable');
  await expect(page.getByRole('status').filter({ hasText: 'Serveur injoignable' })).toBeVisible();
  await expect(page.getByText('En ligne')).toHaveCount(0);
  await shootAtWidths(page, 'states', '2-server-unreachable');
});

test('a signed-in owner whose server does not answer is not told to sign in', async ({
  page,
  context,
  server,
  browserErrors,
}) => {
  await signInContext(context, server);
  await page.goto(`${server.url}/dashboard`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.route(/\/api\//, (route) => route.abort('connectionrefused'));
  browserErrors.expect({
    message: /^Failed to load resource: net::ERR_CONNECTION_REFUSED$/,
    why: 'this test refuses every API request on purpose',
  });
  await page.reload();
  await expect(page.getByRole('alert')).toContainText('Serveur injoignable');
  await expect(page.getByText('Cet espace est réservé aux membres des hubs.')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Se connecter' })).toHaveCount(0);
  await expect(page.getByTestId('network')).toHaveText('Serveur injoignable');
  await shootAtWidths(page, 'states', '3-member-server-unreachable');

  // Once it answers again, the screen comes back by itself or with "Réessayer".
  await page.unroute(/\/api\//);
  await page.getByRole('button', { name: 'Réessayer' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Serveur injoignable' })).toHaveCount(0);
  await expect(page.getByTestId('network')).toHaveText('En ligne');
});
