/**
 * The dataset page's two downloads: the exact CSV for programs, and the copy for spreadsheets
 * (BOM, ";", formula-like text neutralised), fetched through the links a visitor clicks.
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
