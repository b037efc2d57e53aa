/**
 * The embed (issue 17 §1) on a page of ANOTHER origin: a tiny static server on 127.0.0.1 serves a
 * hub's page with the script tag and the element; the visitor searches, opens a record and sends a
 * correction; a moderator accepts it through the API and the widget shows the new value by itself.
 * A private dataset embedded the same way shows the notice and no row.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, ownerToken, type Server, test } from '../fixtures.ts';
import { startServer } from '../server.ts';
import { listProposals, noSeriousViolations, shootAtWidths } from './citizen-support.ts';

const PUBLIC_ID = 'e2e-embed-lieux';
const PRIVATE_ID = 'e2e-embed-prive';
const CSV =
  'nom;commune;adresse\nMédiathèque Pierre-Bayle;Besançon;27 rue de la République\nFrance services Dole;Dole;2 place de l’Europe\nMairie de Lons;Lons-le-Saunier;4 avenue Jean Moulin\n';

async function makeDataset(server: Server, token: string, id: string, visibility: 'public' | 'private') {
  const form = new FormData();
  form.set('file', new File([CSV], `${id}.csv`));
  const created = await fetch(`${server.url}/api/datasets/${id}/import?new=1&title=Lieux%20du%20Jura`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, origin: server.url },
    body: form,
  });
  // 409: another test of this worker made it already.
  expect([201, 409], await created.text()).toContain(created.status);
  const settings = await fetch(`${server.url}/api/datasets/${id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ visibility, proposals: 'open', proposableFields: ['nom', 'commune', 'adresse'] }),
  });
  expect(settings.status, await settings.text()).toBe(200);
}

/** A hub's site: another port, so another origin than the instance. */
async function hubSite(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const site: HttpServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((listening) => site.listen(0, '127.0.0.1', listening));
  const { port } = site.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((closed) => site.close(() => closed())),
  };
}

// A server of their own: the datasets these tests add would otherwise come first in the shared
// server's list (ordered by title), where other specs find the demo dataset.
let own: { server: Server; stop: () => Promise<void> };
test.beforeAll(async () => {
  own = await startServer({ admin: true });
});
test.afterAll(async () => {
  await own?.stop();
});

/** The demo dataset the server ships (it has coordinates), whatever these tests added. */
async function shippedDataset(server: Server): Promise<string> {
  const { datasets } = (await (await fetch(`${server.url}/api/datasets`)).json()) as {
    datasets: { id: string }[];
  };
  const shipped = datasets.find((dataset) => !dataset.id.startsWith('e2e-'));
  if (!shipped) throw new Error('the server lists no demo dataset');
  return shipped.id;
}

function hubPage(server: Server, element: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Le site du hub</title><style>body{font-family:Georgia,serif;margin:16px} table,td,th,button{all:unset;color:red}</style>
<script src="${server.url}/embed.js" type="module"></script></head>
<body><main><h1>Nos lieux</h1>${element}</main></body></html>`;
}

test('a page of another origin embeds a dataset: search, record, a proposal accepted shows up live', async ({
  page,
}) => {
  const { server } = own;
  test.setTimeout(120_000);
  const token = await ownerToken(server);
  await makeDataset(server, token, PUBLIC_ID, 'public');
  const site = await hubSite(
    hubPage(
      server,
      `<datapatch-dataset dataset="${PUBLIC_ID}" lang="fr" fields="nom,commune,adresse" filter="commune=Besançon|Dole" height="520" accent="#0055aa"></datapatch-dataset>`,
    ),
  );
  try {
    expect(new URL(site.url).origin).not.toBe(new URL(server.url).origin);
    await page.goto(site.url);
    const widget = page.locator('datapatch-dataset');
    // The preset filter keeps Lons-le-Saunier out.
    await expect(widget.locator('tr.row')).toHaveCount(2);
    await expect(widget.getByText('Mairie de Lons')).toHaveCount(0);
    await expect(widget.getByRole('heading', { name: 'Lieux du Jura' })).toBeVisible();
    // The page's `table, td { all: unset; color: red }` does not reach into the shadow root.
    await expect(widget.locator('td').first()).not.toHaveCSS('color', 'rgb(255, 0, 0)');
    await expect(widget.locator('td').first()).toHaveCSS('display', 'table-cell');
    await shootAtWidths(page, 'embed', '1-table');

    await widget.getByRole('searchbox', { name: 'Rechercher' }).fill('mediatheque');
    await expect(widget.locator('tr.row')).toHaveCount(1);
    await widget.getByRole('link', { name: 'Médiathèque Pierre-Bayle' }).click();
    await expect(widget.locator('dd[data-field="adresse"]')).toHaveText('27 rue de la République');
    await shootAtWidths(page, 'embed', '2-record');

    await widget.getByRole('button', { name: 'Proposer une correction' }).click();
    await widget.getByLabel('adresse').fill('29 rue de la République');
    await widget.getByLabel('Commentaire (facultatif)').fill('Déménagé en face');
    await widget.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await expect(widget.getByText('Merci ! Votre proposition est envoyée')).toBeVisible();
    await expect(widget.locator('[data-receipt]')).not.toBeEmpty();
    await expect(widget.locator('[data-status]')).toHaveText('En attente de relecture');
    await expect(widget.getByRole('link', { name: /Suivre la proposition/ })).toHaveAttribute(
      'href',
      new RegExp(`^${server.url}/datasets/${PUBLIC_ID}/records/`),
    );
    await noSeriousViolations(page, 'embed receipt');
    await shootAtWidths(page, 'embed', '3-receipt');

    // A moderator accepts it; the widget's status and the record follow without a reload.
    const proposal = (await listProposals(server, token, PUBLIC_ID)).find((p) =>
      JSON.stringify(p).includes('29 rue de la République'),
    );
    expect(proposal).toBeDefined();
    const accepted = await fetch(`${server.url}/api/datasets/${PUBLIC_ID}/proposals/${proposal?.id}/accept`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(accepted.status, await accepted.text()).toBe(200);
    await expect(widget.locator('[data-status]')).toHaveText('Acceptée');
    await widget.getByRole('button', { name: 'Retour à la liste' }).click();
    await expect(widget.locator('tr.row').filter({ hasText: 'Médiathèque' })).toContainText(
      '29 rue de la République',
    );

    // "Ajouter un lieu": a create proposal from the same widget.
    await widget.getByRole('button', { name: 'Ajouter un lieu' }).click();
    await widget.getByLabel('nom').fill('Tiers-lieu de Dole');
    await widget.getByLabel('commune').fill('Dole');
    await widget.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await expect(widget.getByText('Merci ! Votre proposition est envoyée')).toBeVisible();
  } finally {
    await site.close();
  }
});

test('a private dataset embedded on another site shows only the notice', async ({
  page,
  server,
  browserErrors,
}) => {
  browserErrors.expect({
    message: /^Failed to load resource: the server responded with a status of 404 /,
    url: new RegExp(`/api/datasets/${PRIVATE_ID}$`),
    why: 'the widget asks for the dataset and is told it is not public',
  });
  const token = await ownerToken(server);
  await makeDataset(server, token, PRIVATE_ID, 'private');
  const site = await hubSite(
    hubPage(server, `<datapatch-dataset dataset="${PRIVATE_ID}"></datapatch-dataset>`),
  );
  try {
    await page.goto(site.url);
    const widget = page.locator('datapatch-dataset');
    await expect(widget.getByRole('status')).toHaveText('Ce jeu de données est privé.');
    await expect(widget.getByText('Lieu')).toHaveCount(0);
    await expect(widget.locator('tr, li, input')).toHaveCount(0);
    await shootAtWidths(page, 'embed', '4-private');
  } finally {
    await site.close();
  }
});

test('the iframe page and the snippet page of the instance show the dataset', async ({ page }) => {
  const { server } = own;
  const token = await ownerToken(server);
  await makeDataset(server, token, PUBLIC_ID, 'public');
  const frame = await fetch(`${server.url}/embed/${PUBLIC_ID}?view=cards`);
  expect(frame.headers.get('content-security-policy')).toContain('frame-ancestors *');
  expect(frame.headers.get('x-frame-options')).toBeNull();
  // The app's own pages still refuse to be framed.
  const app = await fetch(`${server.url}/datasets/${PUBLIC_ID}`);
  expect(app.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

  const site = await hubSite(
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Cadre</title></head><body><iframe title="Lieux" src="${server.url}/embed/${PUBLIC_ID}?view=cards" width="100%" height="500"></iframe></body></html>`,
  );
  try {
    await page.goto(site.url);
    const cards = page.frameLocator('iframe').locator('datapatch-dataset li.card');
    await expect(cards).toHaveCount(3);
  } finally {
    await site.close();
  }

  await page.goto(`${server.url}/embed?dataset=${PUBLIC_ID}&view=cards&fields=nom,commune`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Intégrer un jeu de données sur votre site',
  );
  await expect(page.locator('[data-snippet]')).toHaveValue(
    new RegExp(
      `<script src="${server.url}/embed.js" type="module"></script>\\s*<datapatch-dataset dataset="${PUBLIC_ID}" view="cards" fields="nom,commune">`,
    ),
  );
  await expect(page.locator('datapatch-dataset li.card')).toHaveCount(3);
  await noSeriousViolations(page, 'embed chooser');
  await shootAtWidths(page, 'embed', '5-chooser');
});

test('an owner lists the sites allowed to embed: the listed hub reads, another is refused', async ({
  page,
  browserErrors,
}) => {
  const { server } = own;
  const id = 'e2e-embed-sites';
  const token = await ownerToken(server);
  await makeDataset(server, token, id, 'public');
  const site = await hubSite(
    hubPage(
      server,
      `<datapatch-dataset dataset="${id}" lang="fr"></datapatch-dataset><iframe title="Lieux" src="${server.url}/embed/${id}?view=cards" width="100%" height="400"></iframe>`,
    ),
  );
  const listSites = async (origins: string[]) => {
    const saved = await fetch(`${server.url}/api/datasets/${id}/embedding`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ origins }),
    });
    expect(saved.status, await saved.text()).toBe(200);
  };
  try {
    await listSites([new URL(site.url).origin]);
    await page.goto(site.url);
    await expect(page.locator('datapatch-dataset').first().locator('tr.row')).toHaveCount(3);
    await expect(page.frameLocator('iframe').locator('datapatch-dataset li.card')).toHaveCount(3);

    await listSites(['https://www.hub-exemple.fr']);
    for (const [message, why] of [
      [
        /has been blocked by CORS policy/,
        'the hub page is not a listed site: the browser keeps the answer from it',
      ],
      [/^Failed to load resource: net::ERR_FAILED/, 'the same refused read, as the network tells it'],
      [
        /^Failed to load resource: the server responded with a status of 403/,
        'the server refuses the site too',
      ],
      [/frame-ancestors/, 'the hub page is not a listed site: the browser refuses to frame the embed page'],
    ] as const)
      browserErrors.expect({ message, why });
    await page.goto(site.url);
    const widget = page.locator('datapatch-dataset').first();
    await expect(widget.getByRole('status')).toHaveText(/Le serveur de données ne répond pas/);
    await expect(widget.locator('tr.row')).toHaveCount(0);
    await expect(page.frameLocator('iframe').locator('datapatch-dataset')).toHaveCount(0);
    await shootAtWidths(page, 'embed', '7-site-not-listed');
  } finally {
    await site.close();
  }
});

/** A 1×1 transparent PNG: the map's tiles, answered in the browser (tests never leave 127.0.0.1). */
const EMPTY_TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

test('the map loads Leaflet only when opened, shows the records and opens one', async ({ page }) => {
  const { server } = own;
  const datasetId = await shippedDataset(server);
  await page.route(/^https:\/\/[a-z.]*tile\.openstreetmap\.org\//, (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: EMPTY_TILE }),
  );
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  const site = await hubSite(
    hubPage(server, `<datapatch-dataset dataset="${datasetId}" height="600"></datapatch-dataset>`),
  );
  try {
    await page.goto(site.url);
    const widget = page.locator('datapatch-dataset');
    await expect(widget.locator('tr.row').first()).toBeVisible();
    expect(scripts).toEqual(['/embed.js']);
    await widget.getByRole('button', { name: 'Carte' }).click();
    const markers = widget.locator('path.leaflet-interactive');
    await expect(markers.first()).toBeVisible();
    expect(scripts.some((path) => /^\/embed-map-[\w-]+\.js$/.test(path))).toBe(true);
    await shootAtWidths(page, 'embed', '6-map');
    await markers.first().click({ force: true });
    await expect(widget.getByRole('button', { name: 'Proposer une correction' })).toBeVisible();
  } finally {
    await site.close();
  }
});
