import { addProposal, readRows, setCell } from '@datapatch/core';
import { type ChangesPage, type FeedChange, roomName } from '@datapatch/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessTestServer, startAccessServer } from '../testing/http-server.ts';
import { OFFICIAL_SOURCE } from '../upstream/take-release.ts';

let t: AccessTestServer;
let rowIds: string[];
beforeAll(async () => {
  t = await startAccessServer();
  rowIds = await t.server.relay.readDocument(roomName('lieux', 'validated'), (doc) =>
    readRows(doc).map((row) => row.id),
  );
});
afterAll(async () => {
  await t.cleanup();
});

const json = { 'content-type': 'application/json' };
async function feed(path: string, who: 'anonymous' | 'reader' | 'stranger' = 'anonymous') {
  return fetch(`${t.server.url}/api/datasets/${path}`, { headers: t.headers(who) });
}
async function page(since: string | null): Promise<ChangesPage> {
  const response = await feed(`lieux/changes${since ? `?since=${since}` : ''}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ChangesPage;
}
let keys = 0;
/** A proposal to `rowId` that a moderator accepts; its id. */
async function acceptedProposal(rowId: string, proposed: Record<string, unknown>): Promise<string> {
  const created = await fetch(`${t.server.url}/api/datasets/lieux/proposals`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      kind: 'change',
      rowId,
      proposed,
      idempotencyKey: `change-feed-test-${String(++keys).padStart(6, '0')}`,
    }),
  });
  expect(created.status).toBe(202);
  const { proposalId } = (await created.json()) as { proposalId: string };
  const accepted = await fetch(`${t.server.url}/api/datasets/lieux/proposals/${proposalId}/accept`, {
    method: 'POST',
    headers: { ...json, ...t.headers('moderator') },
    body: '{}',
  });
  expect(accepted.status).toBe(200);
  return proposalId;
}

/** Reads Server-Sent Events from a response until `count` change events came. */
async function readEvents(response: Response, count: number): Promise<{ id: string; data: FeedChange }[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const events: { id: string; data: FeedChange }[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    let end = text.indexOf('\n\n');
    while (end >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const id = /^id: ?(.*)$/m.exec(block)?.[1];
      const data = /^data: ?(.*)$/m.exec(block)?.[1];
      if (id !== undefined && data !== undefined) events.push({ id, data: JSON.parse(data) as FeedChange });
      end = text.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

describe('GET /api/datasets/:id/changes', () => {
  it('gives exactly the accepted changes after a cursor, with old and new values, role and proposal', async () => {
    const start = await page(null);
    expect(start.changes[0]).toMatchObject({ action: 'imported', count: 2 });
    const cursor = start.next;
    const proposalId = await acceptedProposal(rowIds[0]!, { horaires: '8h-18h', places: 5 });
    await t.server.relay.changeDocuments([roomName('lieux', 'validated')], ([doc]) => {
      setCell(doc!, rowIds[1]!, 'nom', 'Piscine municipale', { id: t.userIds.editor });
    });
    const after = await page(cursor);
    const fields = after.changes.map((c) => [
      c.action,
      c.recordId,
      c.field,
      c.old,
      c.new,
      c.role,
      c.proposalId,
    ]);
    expect(fields).toEqual(
      expect.arrayContaining([
        ['changed', rowIds[0], 'horaires', '9h-17h', '8h-18h', 'proposition anonyme', proposalId],
        ['changed', rowIds[0], 'places', 3, 5, 'proposition anonyme', proposalId],
      ]),
    );
    expect(after.changes).toHaveLength(3);
    expect(after.changes[2]).toMatchObject({
      action: 'changed',
      recordId: rowIds[1],
      field: 'nom',
      old: 'Piscine',
      new: 'Piscine municipale',
      role: 'editor',
    });
    expect(after.more).toBe(false);
    // Nothing new after the last cursor; the cursor stays.
    expect(await page(after.next)).toMatchObject({ changes: [], next: after.next, more: false });
  });

  it('a proposal from a release of the official source, once accepted, is told as "source officielle"', async () => {
    const since = (await page(null)).next;
    const proposalId = await t.server.relay.changeDocuments(
      [roomName('lieux', 'pending')],
      ([pending]) =>
        addProposal(pending!, {
          datasetId: 'lieux',
          kind: 'change',
          rowId: rowIds[0]!,
          proposed: { horaires: '7h-19h' },
          comment: `${OFFICIAL_SOURCE} — lieux.csv (2026-12-01) : la source et les hubs ont changé ces champs différemment`,
        }).id,
    );
    const accepted = await fetch(`${t.server.url}/api/datasets/lieux/proposals/${proposalId}/accept`, {
      method: 'POST',
      headers: { ...json, ...t.headers('moderator') },
      body: '{}',
    });
    expect(accepted.status).toBe(200);
    expect((await page(since)).changes).toEqual([
      expect.objectContaining({ field: 'horaires', new: '7h-19h', role: 'source officielle', proposalId }),
    ]);
  });

  it('pages with limit, and each page resumes where the last ended', async () => {
    const all = (await page(null)).changes;
    const seen: FeedChange[] = [];
    let since = '';
    for (;;) {
      const response = await feed(`lieux/changes?limit=1${since ? `&since=${since}` : ''}`);
      const one = (await response.json()) as ChangesPage;
      seen.push(...one.changes);
      if (!one.more) break;
      since = one.next!;
    }
    expect(seen).toEqual(all);
  });

  it('refuses a cursor it never gave and a bad limit; hides a private dataset from those who may not read it', async () => {
    expect((await feed('lieux/changes?since=bm90LWEtY3Vyc29y')).status).toBe(400);
    expect((await feed('lieux/changes?since=../../x')).status).toBe(400);
    expect((await feed('lieux/changes?limit=0')).status).toBe(400);
    expect((await feed('lieux/changes?limit=5000')).status).toBe(400);
    expect((await feed('secret/changes')).status).toBe(404);
    expect((await feed('secret/changes', 'stranger')).status).toBe(404);
    expect((await feed('secret/changes', 'reader')).status).toBe(200);
    expect((await feed('nowhere/changes')).status).toBe(404);
  });
});

describe('GET /api/datasets/:id/changes/stream', () => {
  it('resumes after Last-Event-ID, then sends a change as it is accepted', async () => {
    const before = (await page(null)).changes;
    const from = before.at(-2)!;
    const controller = new AbortController();
    const response = await fetch(`${t.server.url}/api/datasets/lieux/changes/stream`, {
      headers: { 'last-event-id': from.cursor },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = readEvents(response, 2);
    const proposalId = await acceptedProposal(rowIds[1]!, { places: 40 });
    const got = await events;
    controller.abort();
    expect(got[0]).toEqual({ id: before.at(-1)!.cursor, data: before.at(-1) });
    expect(got[1]!.data).toMatchObject({ action: 'changed', field: 'places', new: 40, proposalId });
    expect(got[1]!.id).toBe(got[1]!.data.cursor);
  });

  it('refuses more than four open streams from one address', async () => {
    const controllers = [0, 1, 2, 3].map(() => new AbortController());
    const open = await Promise.all(
      controllers.map((controller) =>
        fetch(`${t.server.url}/api/datasets/lieux/changes/stream`, { signal: controller.signal }),
      ),
    );
    expect(open.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const fifth = await fetch(`${t.server.url}/api/datasets/lieux/changes/stream`);
    expect(fifth.status).toBe(429);
    for (const controller of controllers) controller.abort();
  });
});
