import type { ChangesPage, FeedChange } from '@datapatch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ChangesReader } from '../http/change-routes.ts';
import { openMemoryDatabase } from '../store/sqlite/sqlite-database.ts';
import { SqliteWebhookStore } from '../store/sqlite/sqlite-webhook-store.ts';
import { verifyStandardWebhook, WebhookReceiver } from '../testing/webhook-receiver.ts';
import { WebhookDeliverer } from './deliverer.ts';
import { newWebhookSecret, signedHeaders } from './signature.ts';

/** A change feed in memory: `add()` appends a change and wakes the document's watchers. */
function memoryFeed() {
  const doc = new Y.Doc();
  const changes: FeedChange[] = [];
  const read: ChangesReader = async (datasetId, since, limit) => {
    const start = since === null ? 0 : changes.findIndex((change) => change.cursor === since) + 1;
    if (since !== null && start === 0) return 'bad-cursor';
    const slice = changes.slice(start, start + limit);
    const answer: ChangesPage = {
      datasetId,
      changes: slice,
      next: slice.at(-1)?.cursor ?? since,
      more: false,
    };
    return { answer, doc };
  };
  return {
    read,
    add() {
      const n = changes.length + 1;
      changes.push({
        cursor: `c${n}`,
        action: 'deleted',
        recordId: `r${n}`,
        at: new Date().toISOString(),
        role: 'editor',
      });
      doc.getMap('m').set('n', n);
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { disableAfter?: number } = {}) {
  const store = new SqliteWebhookStore(openMemoryDatabase());
  const feed = memoryFeed();
  const receiver = new WebhookReceiver();
  receiver.secret = newWebhookSecret();
  await receiver.start();
  cleanups.push(() => receiver.stop());
  const hook = await store.register({
    datasetId: 'lieux',
    url: receiver.url,
    secret: receiver.secret,
    cursor: null,
  });
  const deliverer = new WebhookDeliverer({
    store,
    readChanges: feed.read,
    allowPrivate: true,
    retryBaseMs: 50,
    maxRetryMs: 200,
    sweepMs: 60_000,
    ...options,
  });
  cleanups.push(() => deliverer.stop());
  return { store, feed, receiver, hook, deliverer };
}

describe('the verifier written from the specification', () => {
  it('accepts the signer’s headers and refuses a changed body, another secret or an old timestamp', () => {
    const secret = newWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(secret, 'msg_1', now, '{"a":1}');
    expect(verifyStandardWebhook(secret, headers, '{"a":1}')).toBe(true);
    expect(verifyStandardWebhook(secret, headers, '{"a":2}')).toBe(false);
    expect(verifyStandardWebhook(newWebhookSecret(), headers, '{"a":1}')).toBe(false);
    expect(verifyStandardWebhook(secret, signedHeaders(secret, 'msg_1', now - 600, '{}'), '{}')).toBe(false);
  });
});

describe('WebhookDeliverer', () => {
  it('sends each change once, signed, in order, woken by the document', async () => {
    const { feed, receiver, deliverer, store, hook } = await setup();
    deliverer.start();
    feed.add();
    feed.add();
    feed.add();
    const got = await receiver.waitFor(3);
    expect(receiver.badSignatures).toBe(0);
    expect(got.map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
    expect(got.map((r) => r.event.data.change?.recordId)).toEqual(['r1', 'r2', 'r3']);
    expect(got[0]!.event).toMatchObject({ type: 'dataset.changed', data: { datasetId: 'lieux' } });
    expect((await store.get(hook.id))?.cursor).toBe('c3');
  });

  it('with the receiver down then up, delivers every event exactly once and in order after retries', async () => {
    const { feed, receiver, deliverer, store, hook } = await setup();
    await receiver.stop();
    deliverer.start();
    for (let i = 0; i < 5; i++) feed.add();
    while ((await store.get(hook.id))!.failures < 2) await new Promise((r) => setTimeout(r, 20));
    receiver.failWith = 503;
    await receiver.start();
    while ((await store.get(hook.id))!.failures < 3) await new Promise((r) => setTimeout(r, 20));
    receiver.failWith = null;
    await receiver.waitFor(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.map((r) => r.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    const deliveries = await store.deliveries(hook.id);
    expect(deliveries.filter((d) => d.status === 'failed').length).toBeGreaterThanOrEqual(3);
    expect(deliveries.some((d) => d.responseCode === 503)).toBe(true);
    expect(await store.get(hook.id)).toMatchObject({ cursor: 'c5', failures: 0, enabled: true });
  });

  it('turns the webhook off after N failures in a row, and a test event goes out on demand', async () => {
    const { feed, receiver, deliverer, store, hook } = await setup({ disableAfter: 3 });
    receiver.failWith = 500;
    deliverer.start();
    feed.add();
    while ((await store.get(hook.id))!.enabled) await new Promise((r) => setTimeout(r, 20));
    const off = await store.get(hook.id);
    expect(off).toMatchObject({ enabled: false, failures: 3, cursor: null });
    expect(off?.disabledReason).toMatch(/3/);
    receiver.failWith = null;
    const test = await deliverer.sendTest(off!);
    expect(test).toMatchObject({ status: 'delivered', responseCode: 200 });
    expect(receiver.received.map((r) => r.event.type)).toEqual(['webhook.test']);
    expect((await store.deliveries(hook.id))[0]!.eventId).toBe(test.eventId);
  });

  it('refuses a loopback destination unless the instance allows private addresses', async () => {
    const { receiver, store, hook } = await setup();
    const strict = new WebhookDeliverer({ store, readChanges: memoryFeed().read, allowPrivate: false });
    const refused = await strict.sendTest(hook);
    expect(refused).toMatchObject({ status: 'failed', responseCode: null });
    expect(refused.error).toMatch(/private or loopback/);
    expect(receiver.received).toEqual([]);
  });
});
