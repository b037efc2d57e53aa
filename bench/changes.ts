/**
 * The change feed against a real in-process server with accounts (the access tests' server):
 * changes/s served by `GET /api/datasets/:id/changes` paging through `BENCH_CHANGES` field
 * changes (default 20,000) 1,000 at a time, and the delay from a moderator's accept (the POST
 * sent) to its event on an open Server-Sent Events stream, `BENCH_ROUNDS` times (default 100).
 * Prints the figures; asserts nothing.
 */
import { readRows, setCell } from '@datapatch/core';
import { type ChangesPage, roomName } from '@datapatch/protocol';
import { startAccessServer } from '../sync-server/src/testing/http-server.ts';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const t = await startAccessServer();
try {
  const room = roomName('lieux', 'validated');
  const rowIds = await t.server.relay.readDocument(room, (doc) => readRows(doc).map((row) => row.id));
  for (let done = 0; done < CHANGES; done += 1000) {
    await t.server.relay.changeDocuments([room], ([doc]) => {
      for (let i = done; i < Math.min(CHANGES, done + 1000); i++)
        setCell(doc!, rowIds[i % 2]!, 'places', i, { id: t.userIds.editor });
    });
  }

  // Served: every change, page after page, as a re-user catching up would read them.
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    let since = '';
    let served = 0;
    for (;;) {
      const response = await fetch(
        `${t.server.url}/api/datasets/lieux/changes?limit=1000${since ? `&since=${since}` : ''}`,
      );
      const page = (await response.json()) as ChangesPage;
      served += page.changes.length;
      if (!page.more) break;
      since = page.next!;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `feed: ${served} changes in ${seconds.toFixed(2)} s = ${Math.round(served / seconds)} changes/s`,
    );
  }

  // Accept → event on an open stream.
  const controller = new AbortController();
  const stream = await fetch(`${t.server.url}/api/datasets/lieux/changes/stream`, {
    signal: controller.signal,
  });
  const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
  const arrived = new Map<string, number>();
  let text = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += value;
      const blocks = text.split('\n\n');
      text = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const proposalId = data ? (JSON.parse(data) as { proposalId?: string }).proposalId : undefined;
        if (proposalId && !arrived.has(proposalId)) arrived.set(proposalId, performance.now());
      }
    }
  })();
  const delays: number[] = [];
  const json = { 'content-type': 'application/json' };
  for (let round = 0; round < ROUNDS; round++) {
    const created = await fetch(`${t.server.url}/api/datasets/lieux/proposals`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        kind: 'change',
        rowId: rowIds[round % 2],
        proposed: { horaires: `${8 + (round % 3)}h-${17 + round}h` },
        idempotencyKey: `bench-changes-${String(round).padStart(8, '0')}`,
      }),
    });
    const { proposalId } = (await created.json()) as { proposalId: string };
    const sent = performance.now();
    await fetch(`${t.server.url}/api/datasets/lieux/proposals/${proposalId}/accept`, {
      method: 'POST',
      headers: { ...json, ...t.headers('moderator') },
      body: '{}',
    });
    while (!arrived.has(proposalId)) await new Promise((resolve) => setTimeout(resolve, 1));
    delays.push(arrived.get(proposalId)! - sent);
  }
  controller.abort();
  await reading;
  const sorted = delays.sort((a, b) => a - b);
  console.log(
    `accept → SSE event: n=${sorted.length} p50=${quantile(sorted, 0.5).toFixed(1)} ms p99=${quantile(sorted, 0.99).toFixed(1)} ms max=${sorted.at(-1)!.toFixed(1)} ms`,
  );
} finally {
  await t.cleanup();
}
