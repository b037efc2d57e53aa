/**
 * The create-from-file wizard, walked by keyboard-reachable controls on a real France Services
 * file: the committed 150-record extract (e2e/fixtures, runs in a fresh clone) and the whole
 * list from ../shared/data (skipped, with a message, when that folder is missing). Upload →
 * detection report and a preview of the first rows → an inferred field made required (its title
 * proposed from the column name, sample values beside it) → its errors → the offending cells →
 * back, fixed → the notice that the dataset will be private → created → the grid confirms it,
 * then shows every record. axe on every step. And the grid, while the document has not arrived
 * (the socket held back), says it is loading instead of drawing an empty table. Each run has its own
 * server so the shared one keeps the demo dataset as its only one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from '../fixtures.ts';
import { type Server, startServer } from '../server.ts';
import { seriousViolations, signInContext } from './hub-support.ts';
import { keepScreenshot } from './screenshots.ts';

const EXTRACT = join(repoRoot, 'e2e/fixtures/france-services-extrait.csv');
const FULL = join(repoRoot, '../shared/data/france-services/liste-fs-20221201.csv');
// A column the file often leaves empty: the inferred schema does not require it.
const OPTIONAL = 'complement_adresse';
const SCHEMAS = join(repoRoot, 'packages/schema/fixtures');
const PING = join(SCHEMAS, 'datami-ping-tiers-lieux');

async function stepHeading(page: Page, name: RegExp) {
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(name);
}

/** After Next or Back the step's heading has the focus: a keyboard user goes on from there. */
async function stepFocused(page: Page, name: RegExp) {
  await stepHeading(page, name);
  await expect(page.getByRole('heading', { level: 2 })).toBeFocused();
}

async function nextStep(page: Page) {
  await page.getByRole('button', { name: 'Suivant', exact: true }).click();
}

async function totalRows(page: Page, server: Server, datasetId: string): Promise<number> {
  const response = await page.request.get(`${server.url}/api/datasets/${datasetId}/rows?limit=1`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { total: number }).total;
}

for (const run of [
  { name: 'the committed extract', file: EXTRACT, rows: 150, id: 'france-services-extrait', axe: true },
  // The same screens: axe ran on them with the extract (each run costs seconds on this machine).
  { name: 'the whole France Services list', file: FULL, rows: 2683, id: 'france-services-2022', axe: false },
]) {
  test(`an owner creates a dataset from ${run.name} with the wizard`, async ({ browser }, testInfo) => {
    if (!existsSync(run.file)) {
      console.log(`hub-new: skipped, ${run.file} is missing (../shared/data is not in a fresh clone)`);
      test.skip(true, '../shared/data is missing');
      return;
    }
    test.setTimeout(240_000);
    const { server, stop } = await startServer({ admin: true });
    const owner = await browser.newContext();
    try {
      await signInContext(owner, server);
      const page = await owner.newPage();
      await page.goto(`${server.url}/new`);

      // 1. The file.
      await stepHeading(page, /Fichier/);
      if (run.axe) expect(await seriousViolations(page), 'wizard: file').toEqual([]);
      await page.getByLabel(/^Fichier/).setInputFiles(run.file);
      await nextStep(page);

      // 2. What was detected and repaired, from the server's dry run.
      await stepFocused(page, /Détection et réparations/);
      const detection = page.getByTestId('detection-report');
      await expect(detection).toContainText('fiches lues');
      await expect(detection).toContainText('Encodage : utf-8');
      await expect(detection).toContainText('Séparateur : « , »');
      console.log(`hub-new (${run.name}): ${(await detection.locator('li').allTextContents()).join(' | ')}`);
      // The first rows as read, each column under its name.
      const preview = page.getByTestId('file-preview');
      await expect(preview.locator('thead th').first()).toHaveText('id_fs');
      await expect(preview.locator('tbody tr')).toHaveCount(5);
      await expect(preview.locator('tbody tr').first()).toContainText('France services de Valserhône');
      // The step list: the steps before this one are marked done for screen readers too.
      await expect(
        page.getByRole('navigation', { name: 'Étapes de la création' }).locator('li').first(),
      ).toContainText('(terminée)');
      if (run.axe) expect(await seriousViolations(page), 'wizard: detection').toEqual([]);
      if (run.axe) await keepScreenshot(page, testInfo, 'wizard-2-detection-1280');
      await nextStep(page);

      // 3. The inferred schema: make an optional column required.
      await stepHeading(page, /Schéma/);
      const field = page.getByTestId(`field-${OPTIONAL}`);
      await expect(field.getByLabel(/^Nom/)).toHaveValue(OPTIONAL);
      await expect(field.getByLabel('Obligatoire')).not.toBeChecked();
      // A title proposed from the column name, and what the file holds in that column.
      await expect(page.getByTestId('field-code_postal').getByLabel('Libellé affiché')).toHaveValue(
        'Code postal',
      );
      await expect(page.getByTestId('field-lib_com').getByTestId('field-samples')).toContainText(
        'Valserhône',
      );
      if (run.axe) expect(await seriousViolations(page), 'wizard: schema').toEqual([]);
      if (run.axe) {
        await page.setViewportSize({ width: 390, height: 844 });
        await keepScreenshot(page, testInfo, 'wizard-3-schema-390');
        await page.setViewportSize({ width: 1280, height: 720 });
      }
      // By keyboard: Space ticks the box, Enter on Next submits the step.
      await field.getByLabel('Obligatoire').focus();
      await page.keyboard.press('Space');
      await expect(field.getByLabel('Obligatoire')).toBeChecked();
      await page.getByRole('button', { name: 'Suivant', exact: true }).focus();
      await page.keyboard.press('Enter');

      // 4. The validation report names that column; jump to its cells.
      await stepHeading(page, /Rapport de validation/);
      await expect(page.getByTestId('validation-summary')).toContainText(/erreurs? dans les/);
      const column = page.getByTestId('errors-by-column').getByRole('row', { name: new RegExp(OPTIONAL) });
      await expect(column).toContainText('obligatoire');
      if (run.axe) expect(await seriousViolations(page), 'wizard: validation').toEqual([]);
      await column.getByRole('button', { name: `Voir les cellules de ${OPTIONAL}` }).click();
      await expect(page.getByRole('heading', { name: `Cellules en erreur : ${OPTIONAL}` })).toBeVisible();
      const badCell = page.locator('[data-bad-cell]').first();
      await expect(badCell).toBeFocused();
      const header = await page
        .getByTestId('offending-rows')
        .locator('thead th')
        .nth(await badCell.evaluate((td) => (td as unknown as { cellIndex: number }).cellIndex))
        .textContent();
      expect(header).toBe(OPTIONAL);
      if (run.axe) expect(await seriousViolations(page), 'wizard: offending cells').toEqual([]);
      await page.getByRole('button', { name: 'Retour au rapport' }).click();

      // Back to the schema, fixed: the file passes.
      await page.getByRole('button', { name: 'Corriger le schéma' }).click();
      await stepHeading(page, /Schéma/);
      await expect(field.getByLabel('Obligatoire')).toBeChecked();
      await field.getByLabel('Obligatoire').uncheck();
      await nextStep(page);
      await stepHeading(page, /Rapport de validation/);
      await expect(page.getByTestId('validation-summary')).toContainText('respectent le schéma');
      await nextStep(page);

      // 5. Metadata, then create: the grid opens with every record.
      await stepHeading(page, /Description et création/);
      await page.getByLabel('Titre').fill('France Services 2022');
      await page.getByLabel(/^Identifiant/).fill(run.id);
      await page.getByLabel(/^Licence/).fill('Licence Ouverte 2.0');
      await page.getByLabel(/^Source/).fill('ANCT, liste des France services');
      await expect(page.getByTestId('private-notice')).toContainText('Le jeu de données sera privé');
      await expect(page.getByTestId('private-notice')).toContainText('Paramètres');
      if (run.axe) expect(await seriousViolations(page), 'wizard: metadata').toEqual([]);
      if (run.axe) await keepScreenshot(page, testInfo, 'wizard-5-metadata-1280');
      // Nothing exists before "create".
      expect((await page.request.get(`${server.url}/api/datasets/${run.id}/rows?limit=1`)).status()).toBe(
        404,
      );
      await page.getByRole('button', { name: 'Créer le jeu de données' }).click();
      await expect(page).toHaveURL(new RegExp(`/datasets/${run.id}/edit$`), { timeout: 60_000 });
      const created = page.getByTestId('created-notice');
      // The count as the page writes it in French (2 683, with a narrow no-break space).
      const rows = new Intl.NumberFormat('fr-FR').format(run.rows);
      await expect(created).toContainText(
        `Jeu de données « France Services 2022 » créé avec ${rows} fiches.`,
      );
      await expect(created.getByRole('link', { name: 'Le publier dans les paramètres' })).toHaveAttribute(
        'href',
        `/datasets/${run.id}/settings`,
      );
      await expect(page.getByRole('grid')).toHaveAttribute('aria-rowcount', String(run.rows + 1), {
        timeout: 60_000,
      });
      expect(await totalRows(page, server, run.id)).toBe(run.rows);
      if (run.axe) await keepScreenshot(page, testInfo, 'wizard-6-created-1280');
    } finally {
      await owner.close();
      await stop();
    }
  });
}

test('a refused file or schema shows the reason and keeps what the owner chose, nothing created', async ({
  browser,
  browserErrors,
}) => {
  browserErrors.expect({
    message: /^Failed to load resource: the server responded with a status of 422 /,
    url: /\/api\/datasets\/[^/]+\/import\?dryRun=1$/,
    why: 'the test sends a file and a schema the server refuses',
  });
  const { server, stop } = await startServer({ admin: true });
  const owner = await browser.newContext();
  try {
    await signInContext(owner, server);
    const page = await owner.newPage();
    await page.goto(`${server.url}/new`);
    await page
      .getByLabel(/^Fichier/)
      .setInputFiles({ name: 'vide.csv', mimeType: 'text/csv', buffer: Buffer.from('') });
    await nextStep(page);
    await expect(page.getByRole('alert')).toContainText('file-empty');
    await stepHeading(page, /Fichier/);
    expect(
      await page
        .getByLabel(/^Fichier/)
        .evaluate((input) => (input as unknown as { files: { length: number } }).files.length),
    ).toBe(1);

    // A schema that is not JSON is refused on the schema step; the fields being edited stay.
    await page.getByLabel(/^Fichier/).setInputFiles(EXTRACT);
    await nextStep(page);
    await stepHeading(page, /Détection et réparations/);
    await nextStep(page);
    await stepHeading(page, /Schéma/);
    await page.getByTestId(`field-${OPTIONAL}`).getByLabel('Libellé affiché').fill('Complément');
    await page.getByLabel(/^Table Schema, liste de champs Datami/).setInputFiles({
      name: 'schema.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"fields": ['),
    });
    await page.getByRole('button', { name: 'Utiliser ce schéma' }).click();
    await expect(page.getByRole('alert')).toContainText('pas un schéma JSON lisible');
    await expect(page.getByTestId(`field-${OPTIONAL}`).getByLabel('Libellé affiché')).toHaveValue(
      'Complément',
    );

    const list = (await (await page.request.get(`${server.url}/api/datasets`)).json()) as {
      datasets?: { id: string }[];
    };
    expect((list.datasets ?? []).map((d) => d.id).filter((id) => id.startsWith('draft-'))).toEqual([]);
  } finally {
    await owner.close();
    await stop();
  }
});

test('the schema step reads Datami custom props and a JSON Schema', async ({ browser }) => {
  test.setTimeout(120_000);
  const { server, stop } = await startServer({ admin: true });
  const owner = await browser.newContext();
  try {
    await signInContext(owner, server);
    const page = await owner.newPage();
    await page.goto(`${server.url}/new`);
    await page.getByLabel(/^Fichier/).setInputFiles(join(PING, 'Ping-tiers-lieux-dataset.csv'));
    await nextStep(page);
    await stepHeading(page, /Détection et réparations/);
    await nextStep(page);
    await stepHeading(page, /Schéma/);
    await page
      .getByLabel(/^Table Schema, liste de champs Datami/)
      .setInputFiles(join(PING, 'Ping-tiers-lieux-schema.json'));
    await page.getByRole('button', { name: 'Utiliser ce schéma' }).click();
    await page
      .getByLabel(/^Propriétés des champs Datami/)
      .setInputFiles(join(PING, 'Ping-tiers-lieux-fields-custom-props.json'));
    await page.getByRole('button', { name: 'Appliquer ces propriétés' }).click();
    await expect(
      page.getByText('FABRIQUE_DE_TERRITOIRE : oui/non écrits comme le disent les propriétés Datami'),
    ).toBeVisible();
    expect(await seriousViolations(page), 'wizard: schema with custom props').toEqual([]);
    await nextStep(page);
    await stepHeading(page, /Rapport de validation/);
    const columns = page.getByTestId('errors-by-column');
    // The 162 OUI/NON and the "T-O-D" tags pass; the departments outside the enum are still errors.
    await expect(columns.getByRole('row', { name: /^DEPARTEMENT/ })).toBeVisible();
    await expect(columns.getByRole('row', { name: /^FABRIQUE_DE_TERRITOIRE/ })).toHaveCount(0);
    await expect(columns.getByRole('row', { name: /^TYPOLOGIE/ })).toHaveCount(0);

    // A JSON Schema (data·inclusion, pydantic, no $schema): its rules check the rows.
    await page.goto(`${server.url}/new`);
    const records = [
      { source: 'dora', id: 'dora--1', nom: 'Centre social', date_maj: '2025-02-14', code_postal: '75001' },
      { source: 'dora', id: 'dora--2', nom: 'Espace', date_maj: '2025-02-14', code_postal: '7500' },
    ];
    await page.getByLabel(/^Fichier/).setInputFiles({
      name: 'structures.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(records)),
    });
    await nextStep(page);
    await stepHeading(page, /Détection et réparations/);
    await nextStep(page);
    await stepHeading(page, /Schéma/);
    await page
      .getByLabel(/^Table Schema, liste de champs Datami/)
      .setInputFiles(join(SCHEMAS, 'data-inclusion-schema/v1/structure.json'));
    await page.getByRole('button', { name: 'Utiliser ce schéma' }).click();
    await expect(page.getByText(/JSON Schema importé/)).toBeVisible();
    await nextStep(page);
    await stepHeading(page, /Rapport de validation/);
    await expect(columns.getByRole('row', { name: /^code_postal/ })).toContainText(
      'la valeur doit compter 5 chiffres',
    );
    await expect(columns.getByRole('row')).toHaveCount(2); // the header and code_postal
  } finally {
    await owner.close();
    await stop();
  }
});

test('the grid says it is loading, never an empty table, until the document arrives', async ({
  page,
  context,
  server,
  demo,
}) => {
  await signInContext(context, server);
  // The socket opens but the server's first sync is held back until the test lets it through.
  let release: () => void = () => {};
  const held = new Promise<void>((done) => {
    release = done;
  });
  await page.routeWebSocket(/\/sync\//, async (ws) => {
    await held;
    ws.connectToServer();
  });
  await page.goto(`${server.url}/datasets/${demo.id}/edit`);
  await expect(page.getByTestId('grid-loading')).toHaveText('Chargement de la grille…');
  await expect(page.getByRole('grid')).toHaveCount(0);
  release();
  await expect(page.getByRole('grid')).toHaveAttribute('aria-rowcount', String(demo.rows.ids().length + 1));
  await expect(page.getByTestId('grid-loading')).toHaveCount(0);
});
