/**
 * Delivers each enabled webhook's changes, one signed event per change, in feed order. The
 * webhook's stored cursor is the outbox: a change is sent until its receiver answers 2xx, then
 * the cursor moves past it, so a crash only ever resends (receivers dedupe by `webhook-id`, the
 * change cursor), never skips. Failures back off exponentially; `disableAfter` failures in a row
 * turn the webhook off. One loop per webhook runs at a time, under the store's lease.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { WebhookEvent } from '@datapatch/protocol';
import type * as Y from 'yjs';
import type { ChangesReader } from '../http/change-routes.ts';
import type { Webhook, WebhookDelivery, WebhookStore } from '../store/webhook-store.ts';
import { checkDestination } from './destination.ts';
import { signedHeaders } from './signature.ts';

export interface DelivererOptions {
  store: WebhookStore;
  readChanges: ChangesReader;
  /** Send to private and loopback addresses (`DATAPATCH_WEBHOOKS_ALLOW_PRIVATE=1`). */
  allowPrivate: boolean;
  /** First retry delay; doubled after each failure up to `maxRetryMs` (default 1 s, 10 min). */
  retryBaseMs?: number;
  maxRetryMs?: number;
  /** Failures in a row before the webhook is turned off (default 10). */
  disableAfter?: number;
  /** How often every enabled webhook is looked at, whatever woke it (default 30 s). */
  sweepMs?: number;
  /** How long a receiver has to answer (default 10 s). */
  timeoutMs?: number;
}

const PAGE = 100;

/** Sends a body to a checked address (never resolving the name again); the status or a thrown error. */
function post(
  url: URL,
  addresses: string[],
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
) {
  const lookup: LookupFunction = (_host, options, callback) => {
    const address = addresses[0]!;
    const family = isIP(address);
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: unknown[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  return new Promise<number>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup,
        timeout: timeoutMs,
        signal,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

export class WebhookDeliverer {
  readonly #options: Required<DelivererOptions>;
  readonly #running = new Map<string, Promise<void>>();
  readonly #again = new Set<string>();
  readonly #watched = new WeakSet<Y.Doc>();
  readonly #stop = new AbortController();
  #sweep: NodeJS.Timeout | undefined;

  constructor(options: DelivererOptions) {
    this.#options = {
      retryBaseMs: 1000,
      maxRetryMs: 600_000,
      disableAfter: 10,
      sweepMs: 30_000,
      timeoutMs: 10_000,
      ...options,
    };
  }

  start(): void {
    const sweep = () => {
      void this.wake();
    };
    this.#sweep = setInterval(sweep, this.#options.sweepMs);
    this.#sweep.unref();
    sweep();
  }

  /** Stops sending: an attempt under way is cut off, and its change goes again at the next start. */
  async stop(): Promise<void> {
    clearInterval(this.#sweep);
    this.#stop.abort();
    await Promise.allSettled([...this.#running.values()]);
  }

  /** Looks for changes to send for a dataset's webhooks (every dataset's when none is named). */
  async wake(datasetId?: string): Promise<void> {
    if (this.#stop.signal.aborted) return;
    try {
      const hooks =
        datasetId === undefined
          ? await this.#options.store.enabled()
          : await this.#options.store.list(datasetId);
      for (const hook of hooks) if (hook.enabled) this.#start(hook.id);
    } catch (error) {
      console.error('datapatch: could not list webhooks', error);
    }
  }

  /** Sends a test event now; recorded among the deliveries, the cursor and failures untouched. */
  async sendTest(hook: Webhook): Promise<WebhookDelivery> {
    const event: WebhookEvent = {
      type: 'webhook.test',
      timestamp: new Date().toISOString(),
      data: { datasetId: hook.datasetId },
    };
    const delivery = await this.#send(hook, `test_${randomUUID()}`, event);
    await this.#options.store.recordDelivery(hook.id, delivery);
    return delivery;
  }

  #start(id: string): void {
    if (this.#running.has(id)) {
      this.#again.add(id);
      return;
    }
    const run = (async () => {
      do {
        this.#again.delete(id);
        await this.#options.store.lease(id, () => this.#deliver(id));
      } while (this.#again.has(id) && !this.#stop.signal.aborted);
    })()
      .catch((error: unknown) => console.error(`datapatch: webhook ${id} delivery stopped`, error))
      .finally(() => this.#running.delete(id));
    this.#running.set(id, run);
  }

  /** Sends every change after the webhook's cursor, until none is left, it is off, or we stop. */
  async #deliver(id: string): Promise<void> {
    const { store, readChanges } = this.#options;
    while (!this.#stop.signal.aborted) {
      const hook = await store.get(id);
      if (!hook?.enabled) return;
      const read = await readChanges(hook.datasetId, hook.cursor, PAGE);
      if (read === null || read === 'bad-cursor') return;
      this.#watch(read.doc, hook.datasetId);
      const change = read.answer.changes[0];
      if (change === undefined) return;
      for (const next of read.answer.changes) {
        const event: WebhookEvent = {
          type: 'dataset.changed',
          timestamp: new Date().toISOString(),
          data: { datasetId: hook.datasetId, change: next },
        };
        const delivery = await this.#send(hook, next.cursor, event);
        if (this.#stop.signal.aborted) return;
        if (delivery.status === 'delivered') {
          await store.recordDelivery(id, delivery, next.cursor);
          continue;
        }
        const after = await store.recordFailure(id, delivery, this.#options.disableAfter);
        if (!after?.enabled) return;
        const wait = Math.min(
          this.#options.maxRetryMs,
          this.#options.retryBaseMs * 2 ** (after.failures - 1),
        );
        await this.#sleep(wait);
        break;
      }
    }
  }

  /** Wakes the dataset's webhooks when its document receives an update. */
  #watch(doc: Y.Doc, datasetId: string): void {
    if (this.#watched.has(doc)) return;
    this.#watched.add(doc);
    doc.on('update', () => {
      void this.wake(datasetId);
    });
  }

  async #send(hook: Webhook, eventId: string, event: WebhookEvent): Promise<WebhookDelivery> {
    const at = Date.now();
    const failed = (responseCode: number | null, error: string): WebhookDelivery => ({
      eventId,
      status: 'failed',
      at,
      responseCode,
      error,
    });
    const checked = await checkDestination(hook.url, { allowPrivate: this.#options.allowPrivate });
    if (!checked.ok) return failed(null, checked.message);
    const body = JSON.stringify(event);
    const headers = signedHeaders(hook.secret, eventId, Math.floor(at / 1000), body);
    try {
      const status = await post(
        checked.url,
        checked.addresses,
        headers,
        body,
        this.#options.timeoutMs,
        this.#stop.signal,
      );
      if (status >= 200 && status < 300)
        return { eventId, status: 'delivered', at, responseCode: status, error: null };
      return failed(status, `HTTP ${status}`);
    } catch (error) {
      return failed(null, (error as Error).message || String(error));
    }
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#stop.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }
}

/**
 * The instance's webhook settings: `DATAPATCH_WEBHOOKS_ALLOW_PRIVATE=1`,
 * `DATAPATCH_WEBHOOKS_RETRY_BASE_MS`, `DATAPATCH_WEBHOOKS_SWEEP_MS` (a bad number: the default).
 */
export function webhookSettingsFromEnvironment(
  env: NodeJS.ProcessEnv,
): Pick<DelivererOptions, 'allowPrivate' | 'retryBaseMs' | 'sweepMs'> {
  const positive = (text: string | undefined) => {
    const value = Number(text);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const retryBaseMs = positive(env.DATAPATCH_WEBHOOKS_RETRY_BASE_MS);
  const sweepMs = positive(env.DATAPATCH_WEBHOOKS_SWEEP_MS);
  return {
    allowPrivate: env.DATAPATCH_WEBHOOKS_ALLOW_PRIVATE === '1',
    ...(retryBaseMs ? { retryBaseMs } : {}),
    ...(sweepMs ? { sweepMs } : {}),
  };
}
