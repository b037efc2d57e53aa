/**
 * Signing webhook deliveries with the Standard Webhooks scheme: a `whsec_` secret (base64 of 32
 * random bytes), `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. Invariants:
 * the body signed is the exact bytes sent; a secret is made from the system's random source and
 * shown to its owner once (only the deliverer keeps it).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { WEBHOOK_HEADERS } from '@datapatch/protocol';

const PREFIX = 'whsec_';

/** A new secret, `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** The key bytes of a `whsec_` secret; throws on anything else (a secret is never guessed at). */
function secretKey(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new Error('a webhook secret starts with whsec_');
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  if (key.length < 16) throw new Error('a webhook secret holds at least 16 bytes');
  return key;
}

/** The `webhook-signature` value for one delivery. `timestamp` is in whole seconds since 1970. */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three headers of a signed delivery (with the JSON content type). */
export function signedHeaders(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    [WEBHOOK_HEADERS.id]: id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: webhookSignature(secret, id, timestamp, body),
  };
}
