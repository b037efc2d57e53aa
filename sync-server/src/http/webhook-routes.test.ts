import { readRows } from '@datapatch/core';
import { roomName, type WebhookDeliveryView, type WebhookView } from '@datapatch/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessTestServer, startAccessServer } from '../testing/http-server.ts';
import { WebhookReceiver } from '../testing/webhook-receiver.ts';

let t: AccessTestServer;
const receiver = new WebhookReceiver();
beforeAll(async () => {
  await receiver.start();
  t = await startAccessServer({
    webhooks: { allowPrivate: true, retryBaseMs: 50, sweepMs: 200, disableAfter: 2 },
  });
});
afterAll(async () => {
  await t.cleanup();
  await receiver.stop();
});

type Who = Parameters<AccessTestServer['headers']>[0];
function call(path: string, who: Who, method = 'GET', body?: unknown) {
  return fetch(`${t.server.url}/api/datasets/${path}`, {
    method,
    headers: t.headers(who, body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A proposal to a row of `lieux` that the owner accepts. */
let keys = 0;
async function acceptedChange(value: string): Promise<void> {
  const rowId = await t.server.relay.readDocument(
    roomName('lieux', 'validated'),
    (doc) => readRows(doc)[0]!.id,
  );
  const created = await fetch(`${t.server.url}/api/datasets/lieux/proposals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'change',
      rowId,
      proposed: { horaires: value },
      idempotencyKey: `webhook-test-${String(++keys).padStart(6, '0')}`,
    }),
  });
  expect(created.status).toBe(202);
  const { proposalId } = (await created.json()) as { proposalId: string };
  expect((await call(`lieux/proposals/${proposalId}/accept`, 'moderator', 'POST', {})).status).toBe(200);
}

describe('/api/datasets/:id/webhooks', () => {
  it('is for the dataset’s owners only', async () => {
    for (const who of ['editor', 'moderator', 'reader'] as const)
      expect((await call('lieux/webhooks', who)).status).toBe(403);
    expect((await call('lieux/webhooks', 'anonymous')).status).toBe(401);
    expect((await call('secret/webhooks', 'stranger')).status).toBe(404);
    expect((await call('lieux/webhooks', 'editor', 'POST', { url: receiver.url })).status).toBe(403);
  });

  it('refuses a URL that is not http(s), and nothing is kept', async () => {
    const refused = await call('lieux/webhooks', 'owner', 'POST', { url: 'ftp://example.org/x' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('webhook_bad_url');
    expect(
      ((await (await call('lieux/webhooks', 'owner')).json()) as { webhooks: unknown[] }).webhooks,
    ).toEqual([]);
  });

  it('registers (secret shown once), delivers later changes signed, tests, lists deliveries, removes', async () => {
    const created = await call('lieux/webhooks', 'owner', 'POST', { url: receiver.url });
    expect(created.status).toBe(201);
    const { webhook } = (await created.json()) as { webhook: WebhookView };
    expect(webhook.secret).toMatch(/^whsec_/);
    receiver.secret = webhook.secret!;
    const listed = (await (await call('lieux/webhooks', 'owner')).json()) as { webhooks: WebhookView[] };
    const { secret: _shownOnce, ...shown } = webhook;
    expect(listed.webhooks).toEqual([shown]);

    await acceptedChange('9h-12h');
    const [first] = await receiver.waitFor(1);
    expect(receiver.badSignatures).toBe(0);
    expect(first!.event).toMatchObject({
      type: 'dataset.changed',
      data: { datasetId: 'lieux', change: { action: 'changed', field: 'horaires', new: '9h-12h' } },
    });
    expect(first!.id).toBe(first!.event.data.change?.cursor);

    const tested = await call(`lieux/webhooks/${webhook.id}/test`, 'owner', 'POST');
    expect(tested.status).toBe(200);
    expect(((await tested.json()) as { delivery: WebhookDeliveryView }).delivery.status).toBe('delivered');
    expect(receiver.received.at(-1)!.event.type).toBe('webhook.test');
    const { deliveries } = (await (
      await call(`lieux/webhooks/${webhook.id}/deliveries`, 'owner')
    ).json()) as {
      deliveries: WebhookDeliveryView[];
    };
    expect(deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(deliveries[1]!.eventId).toBe(first!.id);

    expect((await call(`secret/webhooks/${webhook.id}`, 'owner', 'DELETE')).status).toBe(404);
    expect((await call(`lieux/webhooks/${webhook.id}`, 'owner', 'DELETE')).status).toBe(204);
    expect((await call(`lieux/webhooks/${webhook.id}/deliveries`, 'owner')).status).toBe(404);
  });
  it('turns a failing webhook off with a reason; turned back on, it delivers what waited', async () => {
    const created = await call('lieux/webhooks', 'owner', 'POST', { url: receiver.url });
    const { webhook } = (await created.json()) as { webhook: WebhookView };
    receiver.secret = webhook.secret!;
    receiver.failWith = 500;
    const before = receiver.received.length;
    await acceptedChange('7h-19h');
    let listed: WebhookView | undefined;
    while (listed?.enabled !== false) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      listed = ((await (await call('lieux/webhooks', 'owner')).json()) as { webhooks: WebhookView[] })
        .webhooks[0];
    }
    expect(listed).toMatchObject({ enabled: false, failures: 2 });
    expect(listed.disabledReason).toMatch(/2/);
    expect((await call(`lieux/webhooks/${webhook.id}/enable`, 'editor', 'POST')).status).toBe(403);
    receiver.failWith = null;
    const enabled = await call(`lieux/webhooks/${webhook.id}/enable`, 'owner', 'POST');
    expect(enabled.status).toBe(200);
    expect(((await enabled.json()) as { webhook: WebhookView }).webhook).toMatchObject({
      enabled: true,
      failures: 0,
    });
    const got = await receiver.waitFor(before + 1);
    expect(got.at(-1)!.event.data.change).toMatchObject({ field: 'horaires', new: '7h-19h' });
    expect((await call(`lieux/webhooks/${webhook.id}`, 'owner', 'DELETE')).status).toBe(204);
  });
});
