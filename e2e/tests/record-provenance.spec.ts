/**
 * Every field says where its value came from (issue 18 §3): on a demo record, the imported
 * fields read "source : import du …", and a field changed by an accepted proposal reads
 * "source : proposition validée le … par …". Screenshots at 390 and 1366 px in
 * e2e/screenshots/provenance/.
 */
import { demoDatasetId, expect, openDataset, ownerToken, test } from '../fixtures.ts';
import { namedRecord } from '../places.ts';
import { noSeriousViolations, shootAtWidths } from './citizen-support.ts';
import { freeTextFields, postProposal } from './hub-support.ts';

test('a record page says under each field where its value came from', async ({ page, server }) => {
  test.setTimeout(90_000);
  const datasetId = await demoDatasetId(server);
  const demo = await openDataset(server, datasetId);
  const { row, field, name } = namedRecord(demo);
  const [other] = freeTextFields(demo);
  demo.close();
  if (other === undefined) throw new Error('the demo dataset has only one text field');
  const changed = `${String(row.values[other.name] ?? '')} (vérifié)`;
  const { proposalId } = await postProposal(server, datasetId, {
    kind: 'change',
    rowId: row.id,
    base: { [other.name]: row.values[other.name] ?? null },
    proposed: { [other.name]: changed },
  });
  const token = await ownerToken(server);
  const accepted = await fetch(`${server.url}/api/datasets/${datasetId}/proposals/${proposalId}/accept`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(accepted.status, await accepted.text()).toBe(200);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/datasets/${datasetId}/records/${row.id}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const sourceOf = (f: string) => page.locator(`dd[data-field="${f}"]`).getByTestId('field-source');
  await expect(sourceOf(other.name)).toHaveText(/^source : proposition validée le .+ par .+/, {
    timeout: 20_000,
  });
  await expect(sourceOf(field)).toHaveText(/^source : import du /);
  await expect(page.locator(`dd[data-field="${other.name}"]`)).toContainText(changed);
  await noSeriousViolations(page, 'record provenance');
  await shootAtWidths(page, 'provenance', 'record');
});
