import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/access-dependencies.ts';
import { hashPassword, isAcceptablePassword, needsRehash, verifyPassword } from './passwords.ts';

const random = seededRandom(1);

describe('password hashing', () => {
  it('a password verifies against its own hash and a wrong one does not', async () => {
    const stored = await hashPassword('correct horse battery', random);
    expect(stored.startsWith('scrypt$15$8$1$')).toBe(true);
    expect(stored).not.toContain('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('the same password hashed twice gives two different hashes (per-hash salt)', async () => {
    const a = await hashPassword('same password 123', random);
    const b = await hashPassword('same password 123', random);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password 123', b)).toBe(true);
  });

  it('a password typed in composed or decomposed Unicode is the same password', async () => {
    const stored = await hashPassword('mot de passe \u00e9t\u00e9', random);
    expect(await verifyPassword('mot de passe e\u0301te\u0301', stored)).toBe(true);
  });

  it('a malformed or tampered stored hash refuses instead of throwing', async () => {
    expect(await verifyPassword('anything at all', '')).toBe(false);
    expect(await verifyPassword('anything at all', 'scrypt$30$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA')).toBe(false);
    expect(await verifyPassword('anything at all', 'bcrypt$2b$10$whatever')).toBe(false);
  });

  it('passwords shorter than 12 or longer than 1024 characters are refused', () => {
    expect(isAcceptablePassword('short')).toBe(false);
    expect(isAcceptablePassword('twelve chars')).toBe(true);
    expect(isAcceptablePassword('x'.repeat(1025))).toBe(false);
  });

  it('a hash made with a lower cost is flagged for upgrade', async () => {
    expect(needsRehash(await hashPassword('upgrade me please', random))).toBe(false);
    expect(needsRehash('scrypt$14$8$1$salt$key')).toBe(true);
  });
});
