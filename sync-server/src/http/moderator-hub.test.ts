import { readChangelog, readRows } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub } from '../access/index.ts';
import { type AccessTestServer, startAccessServer } from '../testing/http-server.ts';

let t: AccessTestServer;
beforeAll(async () => {
  t = await startAccessServer();
});
afterAll(async () => {
  await t.cleanup();
});

describe('an accepted proposal names the moderator’s hub in the changelog', () => {
  it('writes the hub’s name as the change’s hub, so provenance can say "validée par Hub Bourgogne"', async () => {
    const made = await createHub(t.server.access.deps, {
      name: 'Hub Bourgogne',
      createdBy: t.userIds.moderator,
    });
    expect(made.ok).toBe(true);
    const room = roomName('lieux', 'validated');
    const rowId = await t.server.relay.readDocument(room, (doc) => readRows(doc)[0]?.id ?? '');
    const created = await fetch(`${t.server.url}/api/datasets/lieux/proposals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'change',
        rowId,
        base: {},
        proposed: { places: 7 },
        idempotencyKey: 'moderator-hub-test-000001',
      }),
    });
    const { proposalId } = (await created.json()) as { proposalId: string };
    const accepted = await fetch(`${t.server.url}/api/datasets/lieux/proposals/${proposalId}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...t.headers('moderator') },
      body: '{}',
    });
    expect(accepted.status).toBe(200);
    const entry = await t.server.relay.readDocument(room, (doc) => readChangelog(doc, { proposalId }).at(-1));
    expect(entry?.by.hub).toBe('Hub Bourgogne');
  });
});
