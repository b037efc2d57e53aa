/**
 * `/api/datasets/:id/webhooks/*`: a dataset's webhooks, for its owners only — register (the
 * secret is in that answer and never again), list, remove, send a test event, turn back on, the
 * last deliveries. Invariants: a destination is checked before it is kept; a new webhook gets
 * only the changes made after it was registered; a webhook of another dataset is a 404.
 */
import { roomName, type WebhookDeliveryView, WebhookErrorCode, type WebhookView } from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import { lastCursor } from '../data/change-feed.ts';
import type { Webhook, WebhookDelivery, WebhookStore } from '../store/webhook-store.ts';
import type { WebhookDeliverer } from '../webhooks/deliverer.ts';
import { checkDestination } from '../webhooks/destination.ts';
import { newWebhookSecret } from '../webhooks/signature.ts';
import { jsonBody, type RouteDependencies, requireDatasetAccess } from './access-guard.ts';

/** The most webhooks one dataset holds. */
export const MAX_WEBHOOKS_PER_DATASET = 10;
const MAX_URL_LENGTH = 2048;

export interface WebhookRoutesOptions {
  store: WebhookStore;
  deliverer: Pick<WebhookDeliverer, 'sendTest' | 'wake'>;
  relay: Pick<RouteDependencies['relay'], 'readDocument'>;
  /** Destinations on private or loopback addresses are accepted (`DATAPATCH_WEBHOOKS_ALLOW_PRIVATE=1`). */
  allowPrivate: boolean;
}

export function webhookView(hook: Webhook, withSecret = false): WebhookView {
  return {
    id: hook.id,
    url: hook.url,
    enabled: hook.enabled,
    failures: hook.failures,
    disabledReason: hook.disabledReason,
    createdAt: new Date(hook.createdAt).toISOString(),
    ...(withSecret ? { secret: hook.secret } : {}),
  };
}

function deliveryView(delivery: WebhookDelivery): WebhookDeliveryView {
  return { ...delivery, at: new Date(delivery.at).toISOString() };
}

function fail(c: Context, status: 400 | 404 | 409, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

export function webhookRoutes(options: WebhookRoutesOptions): Hono {
  const { store, deliverer } = options;
  const app = new Hono();

  /** The dataset id when the caller owns it, else the guard's answer. */
  async function owned(c: Context): Promise<string | Response> {
    const id = c.req.param('id') ?? '';
    const caller = await requireDatasetAccess(c, id, 'own');
    return caller instanceof Response ? caller : id;
  }

  /** The dataset's webhook named in the path, else a 404. */
  async function webhookOf(c: Context, datasetId: string): Promise<Webhook | Response> {
    const hook = await store.get(c.req.param('wid') ?? '');
    if (hook === null || hook.datasetId !== datasetId)
      return fail(c, 404, WebhookErrorCode.notFound, 'This dataset has no such webhook');
    return hook;
  }

  app.get('/api/datasets/:id/webhooks', async (c) => {
    const id = await owned(c);
    if (id instanceof Response) return id;
    return c.json({ webhooks: (await store.list(id)).map((hook) => webhookView(hook)) });
  });

  app.post('/api/datasets/:id/webhooks', async (c) => {
    const id = await owned(c);
    if (id instanceof Response) return id;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const url = body.url;
    if (typeof url !== 'string' || url.length > MAX_URL_LENGTH)
      return fail(
        c,
        400,
        WebhookErrorCode.badUrl,
        `url: an http(s) URL of at most ${MAX_URL_LENGTH} characters`,
      );
    const checked = await checkDestination(url, { allowPrivate: options.allowPrivate });
    if (!checked.ok) return fail(c, 400, checked.code, checked.message);
    if ((await store.list(id)).length >= MAX_WEBHOOKS_PER_DATASET)
      return fail(
        c,
        409,
        WebhookErrorCode.tooMany,
        `A dataset holds at most ${MAX_WEBHOOKS_PER_DATASET} webhooks`,
      );
    const cursor = await options.relay.readDocument(roomName(id, 'validated'), lastCursor);
    const hook = await store.register({
      datasetId: id,
      url: checked.url.href,
      secret: newWebhookSecret(),
      cursor,
    });
    return c.json({ webhook: webhookView(hook, true) }, 201);
  });

  app.delete('/api/datasets/:id/webhooks/:wid', async (c) => {
    const id = await owned(c);
    if (id instanceof Response) return id;
    const hook = await webhookOf(c, id);
    if (hook instanceof Response) return hook;
    await store.remove(id, hook.id);
    return c.body(null, 204);
  });

  app.post('/api/datasets/:id/webhooks/:wid/test', async (c) => {
    const id = await owned(c);
    if (id instanceof Response) return id;
    const hook = await webhookOf(c, id);
    if (hook instanceof Response) return hook;
    return c.json({ delivery: deliveryView(await deliverer.sendTest(hook)) });
  });

  app.post('/api/datasets/:id/webhooks/:wid/enable', async (c) => {
    const id = await owned(c);
    if (id instanceof Response) return id;
    const hook = await webhookOf(c, id);
    if (hook instanceof Response) return hook;
    await store.enable(id, hook.id);
    await deliverer.wake(id);
    const now = await store.get(hook.id);
    return now
      ? c.json({ webhook: webhookView(now) })
      : fail(c, 404, WebhookErrorCode.notFound, 'Removed meanwhile');
  });

  app.get('/api/datasets/:id/webhooks/:wid/deliveries', async (c) => {
    const id = await owned(c);
    if (id instanceof Response) return id;
    const hook = await webhookOf(c, id);
    if (hook instanceof Response) return hook;
    return c.json({ deliveries: (await store.deliveries(hook.id)).map(deliveryView) });
  });

  return app;
}
