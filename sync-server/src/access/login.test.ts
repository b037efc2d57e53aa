import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashAddress } from './addresses.ts';
import { changePasswordLimited, createLoginGuards, type LoginLimits, signIn } from './login.ts';
import { sessionFor } from './sessions.ts';
import { testDependencies } from './test-dependencies.ts';
import { createUser } from './users.ts';

const PASSWORD = 'the right passphrase';
// Small limits keep the test fast (each wrong guess costs a real scrypt); the defaults are 10 and 100.
const LIMITS: LoginLimits = {
  perAccount: { points: 3, durationSeconds: 900, blockSeconds: 900 },
  perAddress: { points: 5, durationSeconds: 3600, blockSeconds: 3600 },
};

async function setup() {
  const deps = testDependencies();
  const made = await createUser(deps, { email: 'mod@example.org', password: PASSWORD });
  if (!made.ok) throw new Error(made.error.code);
  const guards = createLoginGuards({ kind: 'memory' }, LIMITS);
  const from = (address: string) => hashAddress(deps, address);
  return { deps, guards, from, userId: made.user.id };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('sign-in', () => {
  it('the right password opens a session; a wrong one or an unknown email gets the same code', async () => {
    const { deps, guards, from, userId } = await setup();
    const ok = await signIn(deps, guards, {
      email: 'MOD@example.org',
      password: PASSWORD,
      addressHash: from('192.0.2.1'),
    });
    if (!ok.ok) throw new Error(ok.error.code);
    expect(sessionFor(deps, ok.token)?.userId).toBe(userId);
    const wrong = await signIn(deps, guards, {
      email: 'mod@example.org',
      password: 'nope nope nope',
      addressHash: from('192.0.2.1'),
    });
    const unknown = await signIn(deps, guards, {
      email: 'who@example.org',
      password: PASSWORD,
      addressHash: from('192.0.2.1'),
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
  });

  it('after too many wrong passwords the account refuses even the right one, from any address', async () => {
    const { deps, guards, from } = await setup();
    for (let i = 0; i < 3; i++) {
      await signIn(deps, guards, {
        email: 'mod@example.org',
        password: `guess ${i} guess`,
        addressHash: from(`198.51.100.${i}`),
      });
    }
    const blocked = await signIn(deps, guards, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: from('192.0.2.99'),
    });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'too_many_attempts' } });
    if (blocked.ok) throw new Error('unreachable');
    expect(blocked.error.retryAfterMs).toBeGreaterThan(0);
  });

  it('the account opens again once the block is over', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { deps, guards, from } = await setup();
    for (let i = 0; i < 4; i++) {
      await signIn(deps, guards, {
        email: 'mod@example.org',
        password: 'wrong wrong wrong',
        addressHash: from('198.51.100.7'),
      });
    }
    vi.setSystemTime(Date.now() + 901_000);
    const ok = await signIn(deps, guards, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: from('192.0.2.8'),
    });
    expect(ok.ok).toBe(true);
  });

  it('one address guessing across many accounts is stopped', async () => {
    const { deps, guards, from } = await setup();
    const attacker = from('203.0.113.66');
    for (let i = 0; i < 5; i++) {
      await signIn(deps, guards, {
        email: `victim${i}@example.org`,
        password: 'password123456',
        addressHash: attacker,
      });
    }
    const next = await signIn(deps, guards, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: attacker,
    });
    expect(next).toMatchObject({ ok: false, error: { code: 'too_many_attempts' } });
    const elsewhere = await signIn(deps, guards, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: from('192.0.2.5'),
    });
    expect(elsewhere.ok).toBe(true);
  });

  it('a successful sign-in forgives earlier mistakes on the account', async () => {
    const { deps, guards, from } = await setup();
    const here = from('192.0.2.10');
    for (const round of [1, 2]) {
      for (let i = 0; i < 2; i++) {
        await signIn(deps, guards, {
          email: 'mod@example.org',
          password: `typo ${round} ${i} typo`,
          addressHash: here,
        });
      }
      const ok = await signIn(deps, guards, {
        email: 'mod@example.org',
        password: PASSWORD,
        addressHash: here,
      });
      expect(ok.ok).toBe(true);
    }
  });

  it('with the SQLite store, a block survives a restart of the limiter', async () => {
    const { deps, from } = await setup();
    const limitsDb = new Database(':memory:');
    const before = createLoginGuards({ kind: 'sqlite', db: limitsDb }, LIMITS);
    for (let i = 0; i < 3; i++) {
      await signIn(deps, before, {
        email: 'mod@example.org',
        password: 'wrong wrong wrong',
        addressHash: from('198.51.100.1'),
      });
    }
    const after = createLoginGuards({ kind: 'sqlite', db: limitsDb }, LIMITS);
    const blocked = await signIn(deps, after, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: from('192.0.2.2'),
    });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'too_many_attempts' } });
    const keys = JSON.stringify(limitsDb.prepare('SELECT key FROM rate_limits').all());
    expect(keys).not.toContain('mod@example.org');
    expect(keys).not.toContain('198.51.100.1');
  });
});

describe('password change under the sign-in limit', () => {
  it('guessing the current password from a signed-in session is stopped like sign-in guessing', async () => {
    const { deps, guards, userId } = await setup();
    for (let i = 0; i < 3; i++) {
      const guess = await changePasswordLimited(deps, guards, {
        userId,
        currentPassword: `guess number ${i}`,
        newPassword: 'attacker chosen passphrase',
      });
      expect(guess).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
    }
    const blocked = await changePasswordLimited(deps, guards, {
      userId,
      currentPassword: PASSWORD,
      newPassword: 'attacker chosen passphrase',
    });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'too_many_attempts' } });
  });
});
