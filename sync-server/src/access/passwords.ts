/**
 * Password hashing with scrypt (memory-hard; N = 2^15, r = 8, p = 1 → 32 MiB per hash).
 * A stored hash carries its own parameters and salt, so raising the cost later keeps old
 * hashes verifiable. Comparison is constant-time; passwords are NFC-normalised first so the
 * same password typed on two systems matches.
 */
import { type BinaryLike, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import type { RandomSource } from './dependencies.ts';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

const COST_LOG2 = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function scryptAsync(password: BinaryLike, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  // Node refuses by default when 128·N·r reaches 32 MiB, which N = 2^15 does exactly.
  const maxmem = 256 * (options.N ?? 1) * (options.r ?? 1) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Length counted in characters (code points), not UTF-16 units or bytes. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFC')].length;
}

export function isAcceptablePassword(password: string): boolean {
  const length = passwordLength(password);
  return length >= PASSWORD_MIN_LENGTH && length <= PASSWORD_MAX_LENGTH;
}

export async function hashPassword(password: string, random: RandomSource): Promise<string> {
  const salt = random(SALT_LENGTH);
  const key = await scryptAsync(password.normalize('NFC'), salt, {
    N: 2 ** COST_LOG2,
    r: BLOCK_SIZE,
    p: PARALLELISM,
  });
  return [
    'scrypt',
    COST_LOG2,
    BLOCK_SIZE,
    PARALLELISM,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** False for a wrong password and for a malformed stored hash (never throws on bad input). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, costText, blockText, parallelText, saltText, keyText] = parts as [string, ...string[]];
  const costLog2 = Number(costText);
  const r = Number(blockText);
  const p = Number(parallelText);
  // Bounds keep a tampered row from making one verification eat gigabytes.
  if (
    ![costLog2, r, p].every(Number.isInteger) ||
    costLog2 < 10 ||
    costLog2 > 20 ||
    r < 1 ||
    r > 32 ||
    p !== 1
  ) {
    return false;
  }
  const salt = Buffer.from(saltText ?? '', 'base64url');
  const expected = Buffer.from(keyText ?? '', 'base64url');
  if (salt.length < SALT_LENGTH || expected.length !== KEY_LENGTH) return false;
  if (passwordLength(password) > PASSWORD_MAX_LENGTH) return false;
  const key = await scryptAsync(password.normalize('NFC'), salt, { N: 2 ** costLog2, r, p });
  return timingSafeEqual(key, expected);
}

/** True when a hash was made with weaker parameters than today's, so sign-in can upgrade it. */
export function needsRehash(stored: string): boolean {
  const [scheme, costText, blockText] = stored.split('$');
  return scheme !== 'scrypt' || Number(costText) < COST_LOG2 || Number(blockText) < BLOCK_SIZE;
}

/**
 * Spends the same time as a real verification, for sign-ins to unknown emails, so response
 * time does not tell which emails have accounts.
 */
const DUMMY_HASH = `scrypt$${COST_LOG2}$${BLOCK_SIZE}$${PARALLELISM}$${Buffer.alloc(SALT_LENGTH, 7).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`;
export async function verifyNothing(password: string): Promise<false> {
  await verifyPassword(password, DUMMY_HASH);
  return false;
}
