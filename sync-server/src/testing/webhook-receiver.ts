/**
 * A webhook receiver on 127.0.0.1 for tests, with its own Standard Webhooks verifier written
 * from the specification (not the server's signer): it records the events whose signature and
 * timestamp check out, refuses the rest, and can be told to fail or be switched off.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEvent } from '@datapatch/protocol';

/** Standard Webhooks verification: `v1,` base64 HMAC-SHA256 of `id.timestamp.body`, 5 min tolerance. */
export function verifyStandardWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface ReceivedEvent {
  id: string;
  event: WebhookEvent;
}

export class WebhookReceiver {
  /** Events accepted (signature good, answered 200), in arrival order. */
  readonly received: ReceivedEvent[] = [];
  /** Requests refused for a bad signature. */
  badSignatures = 0;
  /** While set, answer every request with this status without recording it. */
  failWith: number | null = null;
  secret = '';
  #server: Server | null = null;
  #port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hook`;
  }

  /** Listens (again on the same port when it listened before). */
  async start(): Promise<void> {
    const server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        if (this.failWith !== null) {
          response.writeHead(this.failWith).end();
          return;
        }
        if (!verifyStandardWebhook(this.secret, request.headers, body)) {
          this.badSignatures++;
          response.writeHead(401).end();
          return;
        }
        this.received.push({
          id: String(request.headers['webhook-id']),
          event: JSON.parse(body) as WebhookEvent,
        });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.#port, '127.0.0.1', resolve));
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening: connections are refused until `start()` again. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once `count` events were accepted (rejects after `ms`). */
  async waitFor(count: number, ms = 10_000): Promise<ReceivedEvent[]> {
    const until = Date.now() + ms;
    while (this.received.length < count) {
      if (Date.now() > until) throw new Error(`${this.received.length} of ${count} webhook events came`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.received;
  }
}
