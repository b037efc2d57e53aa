import { afterEach, describe, expect, it, vi } from 'vitest';
import { sqliteLimits, testDependencies } from '../testing/access-dependencies.ts';
import { addressHasher } from './addresses.ts';
import { changePasswordLimited, createLoginGuards, type LoginLimits, signIn } from './login.ts';
import { sessionFor } from './sessions.ts';
import { createUser } from './users.ts';

const PASSWORD = 'the right passphrase';
// Small limits keep the test fast (each wrong guess costs a real scrypt); see DEFAULT_LOGIN_LIMITS.
const LIMITS: LoginLimits = {
  perPair: [
    { points: 3, durationSeconds: 60 },
    { points: 5, durationSeconds: 900 },
  ],
  perAccount: { points: 6, durationSeconds: 900 },
  perAddress: { points: 8, durationSeconds: 3600, blockSeconds: 3600 },
  knownAddressSeconds: 3600,
};

async function setup() {
  const deps = testDependencies();
  const made = await createUser(deps, { email: 'mod@example.org', password: PASSWORD });
  if (!made.ok) throw new Error(made.error.code);
  const guards = createLoginGuards({ kind: 'memory' }, LIMITS);
  const from = await addressHasher(deps);
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
    expect((await sessionFor(deps, ok.token))?.userId).toBe(userId);
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

  it('an address sending many wrong passwords is slowed down, and the owner still signs in from their own address', async () => {
    const { deps, guards, from, userId } = await setup();
    const attacker = from('203.0.113.66');
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const guess = await signIn(deps, guards, {
        email: 'mod@example.org',
        password: `guess ${i} guess`,
        addressHash: attacker,
      });
      if (!guess.ok) codes.push(guess.error.code);
    }
    expect(codes.slice(0, 3)).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials']);
    expect(codes.slice(3)).toEqual(['too_many_attempts', 'too_many_attempts', 'too_many_attempts']);
    const owner = await signIn(deps, guards, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: from('192.0.2.99'),
    });
    if (!owner.ok) throw new Error(owner.error.code);
    expect((await sessionFor(deps, owner.token))?.userId).toBe(userId);
    // The attacker's own pair stays slowed, even with the right password.
    const stillWaiting = await signIn(deps, guards, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: attacker,
    });
    expect(stillWaiting).toMatchObject({ ok: false, error: { code: 'too_many_attempts' } });
    if (!stillWaiting.ok) expect(stillWaiting.error.retryAfterMs).toBeGreaterThan(0);
  });

  it('the pair slows down step by step: a few tries a minute, then a longer wait', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { deps, guards, from } = await setup();
    const here = from('198.51.100.7');
    const attempt = () =>
      signIn(deps, guards, { email: 'mod@example.org', password: 'wrong wrong wrong', addressHash: here });
    for (let i = 0; i < 3; i++)
      expect(await attempt()).toMatchObject({ error: { code: 'invalid_credentials' } });
    const first = await attempt();
    if (first.ok) throw new Error('unreachable');
    expect(first.error.code).toBe('too_many_attempts');
    expect(first.error.retryAfterMs).toBeLessThanOrEqual(60_000);
    vi.setSystemTime(Date.now() + 61_000);
    // The minute is over: two more tries fill the quarter-hour window, then the wait is longer.
    for (let i = 0; i < 2; i++)
      expect(await attempt()).toMatchObject({ error: { code: 'invalid_credentials' } });
    const second = await attempt();
    if (second.ok) throw new Error('unreachable');
    expect(second.error.code).toBe('too_many_attempts');
    expect(second.error.retryAfterMs).toBeGreaterThan(60_000);
    vi.setSystemTime(Date.now() + 901_000);
    const ok = await signIn(deps, guards, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: here,
    });
    expect(ok.ok).toBe(true);
  });

  it('guessing spread over many addresses meets the account ceiling, but an address the owner used gets in', async () => {
    const { deps, guards, from } = await setup();
    const home = from('192.0.2.10');
    expect(
      (await signIn(deps, guards, { email: 'mod@example.org', password: PASSWORD, addressHash: home })).ok,
    ).toBe(true);
    // The owner's sign-in spent one of the ceiling's six points; five strangers spend the rest.
    for (let i = 0; i < 5; i++) {
      const guess = await signIn(deps, guards, {
        email: 'mod@example.org',
        password: `guess ${i} guess`,
        addressHash: from(`203.0.113.${i}`),
      });
      expect(guess).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
    }
    const stranger = await signIn(deps, guards, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: from('198.51.100.200'),
    });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'too_many_attempts' } });
    const owner = await signIn(deps, guards, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: home,
    });
    expect(owner.ok).toBe(true);
  });

  it('one address guessing across many accounts is stopped', async () => {
    const { deps, guards, from } = await setup();
    const attacker = from('203.0.113.66');
    for (let i = 0; i < 8; i++) {
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

  it('with the SQLite store, a slowed pair stays slowed after a restart of the limiter', async () => {
    const { deps, from } = await setup();
    const limits = sqliteLimits();
    const before = createLoginGuards(limits.store(), LIMITS);
    for (let i = 0; i < 3; i++) {
      await signIn(deps, before, {
        email: 'mod@example.org',
        password: 'wrong wrong wrong',
        addressHash: from('198.51.100.1'),
      });
    }
    const after = createLoginGuards(limits.store(), LIMITS);
    const blocked = await signIn(deps, after, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: from('198.51.100.1'),
    });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'too_many_attempts' } });
    const elsewhere = await signIn(deps, after, {
      email: 'mod@example.org',
      password: PASSWORD,
      addressHash: from('192.0.2.2'),
    });
    expect(elsewhere.ok).toBe(true);
    const keys = JSON.stringify(limits.keys());
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
