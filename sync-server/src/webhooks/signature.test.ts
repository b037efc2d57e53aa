import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signedHeaders, webhookSignature } from './signature.ts';

/**
 * A receiver's check written from the Standard Webhooks specification, with WebCrypto rather
 * than the signer's node:crypto: strip `whsec_`, base64-decode the key, HMAC-SHA256 over
 * `id.timestamp.body`, compare with each space-separated `v1,` signature.
 */
async function receiverAccepts(
  secret: string,
  headers: Record<string, string>,
  body: string,
): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    'raw',
    Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (ch) => ch.charCodeAt(0)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const content = new TextEncoder().encode(
    `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`,
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, content));
  const expected = btoa(String.fromCharCode(...mac));
  return (headers['webhook-signature'] ?? '')
    .split(' ')
    .some((part) => part.startsWith('v1,') && part.slice(3) === expected);
}

describe('Standard Webhooks signatures', () => {
  it('gives the specification’s own example signature', () => {
    // The example of github.com/standard-webhooks/standard-webhooks (spec/standard-webhooks.md).
    expect(
      webhookSignature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('a receiver checking by the specification accepts a delivery, and refuses it altered or with another secret', async () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ type: 'change', data: { recordId: 'r1', field: 'nom', new: 'Mairie' } });
    const headers = signedHeaders(secret, 'msg_1', 1_765_000_000, body);
    expect(await receiverAccepts(secret, headers, body)).toBe(true);
    expect(await receiverAccepts(secret, headers, body.replace('Mairie', 'Mairie!'))).toBe(false);
    expect(await receiverAccepts(secret, { ...headers, 'webhook-timestamp': '1765000001' }, body)).toBe(
      false,
    );
    expect(await receiverAccepts(newWebhookSecret(), headers, body)).toBe(false);
  });

  it('refuses a secret that is not a whsec_ secret', () => {
    expect(() => webhookSignature('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'm', 1, '')).toThrow(/whsec_/);
    expect(() => webhookSignature('whsec_', 'm', 1, '')).toThrow(/16 bytes/);
  });
});
