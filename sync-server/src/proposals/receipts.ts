/**
 * Secrets around a proposal. The receipt is random and only its SHA-256 is stored; to answer a
 * retried submission with the *same* receipt, the receipt is also kept sealed (AES-256-GCM)
 * under a key derived from the idempotency key, which is itself stored only as an HMAC. A copy
 * of the database therefore yields neither receipts nor idempotency keys.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RandomSource } from '../access/dependencies.ts';

const RECEIPT_PREFIX = 'dpr_';

export function newReceipt(random: RandomSource): string {
  return RECEIPT_PREFIX + random(32).toString('base64url');
}

export function receiptHash(receipt: string): string {
  return createHash('sha256').update(receipt).digest('hex');
}

/** Constant-time: whether `receipt` is the one whose hash is stored. */
export function receiptMatches(receipt: string, storedHash: string): boolean {
  if (typeof receipt !== 'string' || !receipt.startsWith(RECEIPT_PREFIX) || receipt.length > 100)
    return false;
  const given = Buffer.from(receiptHash(receipt), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export function idempotencyKeyHash(secret: Buffer, datasetId: string, key: string): string {
  return createHmac('sha256', secret).update(`idempotency\0${datasetId}\0${key}`).digest('hex');
}

function boxKey(secret: Buffer, datasetId: string, key: string): Buffer {
  return createHmac('sha256', secret).update(`receipt-box\0${datasetId}\0${key}`).digest();
}

export function sealReceipt(
  secret: Buffer,
  datasetId: string,
  idempotencyKey: string,
  receipt: string,
  random: RandomSource,
): string {
  const iv = random(12);
  const cipher = createCipheriv('aes-256-gcm', boxKey(secret, datasetId, idempotencyKey), iv);
  const sealed = Buffer.concat([cipher.update(receipt, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
}

/** The sealed receipt, or undefined when the key is not the one it was sealed with. */
export function openReceipt(
  secret: Buffer,
  datasetId: string,
  idempotencyKey: string,
  box: string,
): string | undefined {
  const [iv, tag, sealed] = box.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !sealed) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', boxKey(secret, datasetId, idempotencyKey), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
