/**
 * Moderator throughput, measured (never asserted): time from an anonymous proposal's POST to
 * its display in an open queue, and from "accept" (keyboard) to the value on a reader's record
 * page in another browser. Runs only with DATAPATCH_MEASURE=1; prints p50 / p99 / max.
 */
import { demoDatasetId, expect, openDataset, test } from '../fixtures.ts';
import { nameField } from '../places.ts';
import { postProposal, signInContext } from './hub-support.ts';

const ROUNDS = Number(process.env.DATAPATCH_MEASURE_ROUNDS ?? 20);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function figures(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label}: n=${sorted.length} p50=${quantile(sorted, 0.5)} ms p99=${quantile(sorted, 0.99)} ms max=${sorted.at(-1)} ms`;
}

test('moderator throughput: proposal to queue, accept to reader', async ({ browser, server }) => {
  if (process.env.DATAPATCH_MEASURE !== '1') {
    console.log('hub-measure: skipped (set DATAPATCH_MEASURE=1 to measure)');
    test.skip(true, 'measurement only with DATAPATCH_MEASURE=1');
    return;
  }
  test.setTimeout(60_000 + ROUNDS * 15_000);
  const datasetId = await demoDatasetId(server);
  const reading = await openDataset(server, datasetId);
  const name = nameField(reading);
  const row = [...reading.rows.rows()].find(
    (r) => typeof r.values[name] === 'string' && r.values[name] !== '',
  );
  if (row === undefined) throw new Error('the demo dataset has no named record');
  let current = String(row.values[name]);
  reading.close();

  const moderator = await browser.newContext();
  await signInContext(moderator, server);
  const queue = await moderator.newPage();
  await queue.goto(`${server.url}/datasets/${datasetId}/moderate`);
  await expect(queue.getByTestId('queue-state')).toHaveAttribute('data-state', 'live');
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`${server.url}/datasets/${datasetId}/records/${row.id}`);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(current);

  const arrival: number[] = [];
  const acceptToReader: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const next = `${current.replace(/ #\d+$/, '')} #${i}`;
    const sent = Date.now();
    const { proposalId } = await postProposal(server, datasetId, {
      kind: 'change',
      rowId: row.id,
      base: { [name]: current },
      proposed: { [name]: next },
    });
    const item = queue.locator(`[data-proposal-id="${proposalId}"]`);
    await item.waitFor();
    arrival.push(Date.now() - sent);
    await item.click();
    await queue.locator('h1').click();
    const accepted = Date.now();
    await queue.keyboard.press('a');
    await expect(reader.getByRole('heading', { level: 1 })).toHaveText(next);
    acceptToReader.push(Date.now() - accepted);
    current = next;
  }
  console.log(figures('hub-measure proposal POST → shown in an open queue', arrival));
  console.log(figures('hub-measure accept (key a) → value on a reader’s record page', acceptToReader));
  await moderator.close();
});
