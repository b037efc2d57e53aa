import { readRows } from '@datapatch/core';
import { roomName, type WebhookView } from '@datapatch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { summarizeDataset } from '../data/dataset-summaries.ts';
import { openDatabase } from '../store/sqlite/sqlite-database.ts';
import { SqliteDatasetRegistry } from '../store/sqlite/sqlite-dataset-registry.ts';
import { SqliteUpdateStore } from '../store/sqlite/sqlite-update-store.ts';
import { type ChildServer, spawnServer } from '../testing/child-server.ts';
import { temporaryDataDir } from '../testing/clients.ts';
import { ADMIN, smallDataset } from '../testing/http-server.ts';
import { WebhookReceiver } from '../testing/webhook-receiver.ts';

const env = {
  DATAPATCH_ADMIN_EMAIL: ADMIN.email,
  DATAPATCH_ADMIN_PASSWORD: ADMIN.password,
  DATAPATCH_WEBHOOKS_ALLOW_PRIVATE: '1',
  DATAPATCH_WEBHOOKS_RETRY_BASE_MS: '50',
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A data folder holding the `lieux` dataset; the first row's id. */
async function seed(dir: string): Promise<string> {
  const db = openDatabase(dir);
  const updates = new SqliteUpdateStore(db);
  const doc = smallDataset('lieux', 'Lieux');
  await updates.appendUpdates([{ room: roomName('lieux', 'validated'), update: Y.encodeStateAsUpdate(doc) }]);
  const summary = summarizeDataset(doc);
  if (summary) await new SqliteDatasetRegistry(db).upsert(summary);
  await updates.close();
  return readRows(doc)[0]!.id;
}

async function serve(dir: string): Promise<{ server: ChildServer; auth: Record<string, string> }> {
  const server = await spawnServer(dir, [], env);
  cleanups.push(async () => {
    server.process.kill('SIGKILL');
    await server.exited;
  });
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...ADMIN, kind: 'bearer' }),
  });
  const { token } = (await login.json()) as { token: string };
  return { server, auth: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
}

describe('webhook delivery across a crash', () => {
  it('kill -9 between commit and delivery loses no event: after restart each goes once, in order', async () => {
    const data = temporaryDataDir();
    cleanups.push(data.remove);
    const rowId = await seed(data.dir);
    const receiver = new WebhookReceiver();
    await receiver.start();
    cleanups.push(() => receiver.stop());

    const { server: first, auth } = await serve(data.dir);
    const created = await fetch(`${first.url}/api/datasets/lieux/webhooks`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ url: receiver.url }),
    });
    expect(created.status).toBe(201);
    receiver.secret = ((await created.json()) as { webhook: WebhookView }).webhook.secret!;
    // The receiver is down: every change is committed, none can be delivered before the kill.
    await receiver.stop();
    const values = ['8h-12h', '9h-13h', '10h-14h'];
    for (const [i, value] of values.entries()) {
      const proposed = await fetch(`${first.url}/api/datasets/lieux/proposals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'change',
          rowId,
          proposed: { horaires: value },
          idempotencyKey: `webhook-crash-${String(i).padStart(6, '0')}`,
        }),
      });
      expect(proposed.status).toBe(202);
      const { proposalId } = (await proposed.json()) as { proposalId: string };
      const accepted = await fetch(`${first.url}/api/datasets/lieux/proposals/${proposalId}/accept`, {
        method: 'POST',
        headers: auth,
        body: '{}',
      });
      expect(accepted.status).toBe(200);
    }
    first.process.kill('SIGKILL');
    await first.exited;

    await receiver.start();
    await serve(data.dir);
    await receiver.waitFor(values.length, 20_000);
    // Time for a duplicate to arrive, were one to be sent.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.badSignatures).toBe(0);
    expect(receiver.received.map((r) => r.event.data.change?.new)).toEqual(values);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(values.length);
  });
});
