/**
 * The dataset page's "Télécharger / réutiliser" block: each file link returns the data (status,
 * content type, every record), the spreadsheet copy differs from the exact CSV only by its BOM
 * and separator, the example API address is copied with a visible confirmation, and the
 * licence, source and last change are said.
 */
import { demoDatasetId, expect, test } from '../fixtures.ts';

test('the dataset page offers the exact CSV and the spreadsheet copy', async ({ page, server }) => {
  const id = await demoDatasetId(server);
  await page.goto(`${server.url}/datasets/${id}`);
  const exact = page.getByRole('link', { name: 'CSV (données exactes)' });
  const excel = page.getByRole('link', { name: 'CSV pour tableur (Excel, LibreOffice)' });
  await expect(excel).toBeVisible();
  const exactBytes = await (
    await page.request.get(`${server.url}${await exact.getAttribute('href')}`)
  ).body();
  const excelBytes = await (
    await page.request.get(`${server.url}${await excel.getAttribute('href')}`)
  ).body();
  expect([...exactBytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
  expect([...excelBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const header = (bytes: Buffer) =>
    bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')[0] ?? '';
  expect(header(excelBytes)).toBe(header(exactBytes).replaceAll(',', ';'));
});

test('every link of "Télécharger / réutiliser" returns the whole dataset in its format, with licence, source and last change', async ({
  page,
  context,
  server,
}) => {
  const id = await demoDatasetId(server);
  const about = (await (await page.request.get(`${server.url}/api/datasets/${id}`)).json()) as {
    rowCount: number;
    licence?: string;
    source?: string;
    lastChange?: string;
  };
  expect(about.rowCount).toBeGreaterThan(0);
  await page.goto(`${server.url}/datasets/${id}`);
  const block = page.getByRole('region', { name: 'Télécharger / réutiliser' });
  await expect(block).toBeVisible();

  const files: [string, string, (body: Buffer) => number][] = [
    ['CSV pour tableur (Excel, LibreOffice)', 'text/csv', csvRecords],
    ['CSV (données exactes)', 'text/csv', csvRecords],
    ['GeoJSON (carte)', 'application/geo+json', (body) => JSON.parse(body.toString()).features.length],
    ['JSON (jusqu’à 1000 fiches)', 'application/json', (body) => JSON.parse(body.toString()).rows.length],
  ];
  for (const [name, type, count] of files) {
    const href = await block.getByRole('link', { name }).getAttribute('href');
    const response = await page.request.get(`${server.url}${href}`);
    expect(response.status(), name).toBe(200);
    expect(response.headers()['content-type'], name).toContain(type);
    expect(count(await response.body()), name).toBe(Math.min(about.rowCount, 1000));
  }

  // The demo dataset says its licence and source; the last change is a date.
  expect(about.licence).toBeTruthy();
  await expect(block).toContainText(about.licence ?? '');
  await expect(block).toContainText(about.source ?? '');
  await expect(block.locator(`time[datetime="${about.lastChange}"]`)).toBeVisible();
  await expect(block.getByRole('link', { name: 'documentation (OpenAPI)' })).toHaveAttribute(
    'href',
    '/api/openapi.json',
  );

  // The example address is copied, the page says so, and the address answers.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const example = await block.getByLabel(/Exemple d’adresse/).inputValue();
  await block.getByRole('button', { name: 'Copier' }).click();
  await expect(block.getByRole('status')).toHaveText('Adresse copiée.');
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(example);
  const sample = await page.request.get(example);
  expect(sample.status()).toBe(200);
  expect(((await sample.json()) as { rows: unknown[] }).rows).toHaveLength(Math.min(about.rowCount, 10));
});

/** Records in a CSV body: its lines but the header, quoted line breaks aside. */
function csvRecords(body: Buffer): number {
  let records = 0;
  let quoted = false;
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) records++;
  }
  if (!text.endsWith('\n')) records++;
  return records - 1;
}
