/**
 * Sign-in with limits that slow guessing down without locking the owner out. Wrong passwords are
 * counted per (account, address) pair in widening windows (a few tries a minute, then fewer per
 * quarter hour, then per day), so one address guessing never stops the account's owner elsewhere;
 * a per-account ceiling slows guessing spread over many addresses, but an address the account
 * signed in from lately passes it. Each attempt spends its points *before* scrypt runs, so
 * parallel guesses cannot all slip through while hashing; a success forgives the pair.
 */
import { createHmac } from 'node:crypto';
import { AccessErrorCode } from '@datapatch/protocol';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { instanceSecret } from './addresses.ts';
import type { AccessDependencies } from './dependencies.ts';
import { createLimiter, type Limit, type LimiterStore, spend } from './rate-limits.ts';
import { fail, type Result } from './result.ts';
import { createSession, type Session, type SessionKind } from './sessions.ts';
import { changePassword, checkPassword, getUser, normaliseEmail, type User } from './users.ts';

export interface LoginLimits {
  /** Attempts one address may make on one account, in each window: a slope, never a lock. */
  perPair: Limit[];
  /** Attempts on one account from addresses it has not signed in from lately, all together. */
  perAccount: Limit;
  /** Attempts from one address on any accounts (password spraying). */
  perAddress: Limit;
  /**
   * How long a successful sign-in lets its address past the per-account ceiling. At most 24 days:
   * the memory store expires keys with a timer, and Node's timers stop at 2^31 ms.
   */
  knownAddressSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perPair: [
    { points: 5, durationSeconds: 60 },
    { points: 10, durationSeconds: 15 * 60 },
    { points: 30, durationSeconds: 24 * 60 * 60 },
  ],
  perAccount: { points: 100, durationSeconds: 15 * 60 },
  perAddress: { points: 100, durationSeconds: 60 * 60, blockSeconds: 60 * 60 },
  knownAddressSeconds: 21 * 24 * 60 * 60,
};

export interface LoginGuards {
  perPair: RateLimiterAbstract[];
  perAccount: RateLimiterAbstract;
  perAddress: RateLimiterAbstract;
  knownAddresses: RateLimiterAbstract;
  knownAddressSeconds: number;
}

export function createLoginGuards(
  store: LimiterStore,
  limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
): LoginGuards {
  return {
    perPair: limits.perPair.map((limit, index) => createLimiter(store, `login-pair-${index}`, limit)),
    perAccount: createLimiter(store, 'login-account', limits.perAccount),
    perAddress: createLimiter(store, 'login-address', limits.perAddress),
    knownAddresses: createLimiter(store, 'login-known', {
      points: 1,
      durationSeconds: limits.knownAddressSeconds,
    }),
    knownAddressSeconds: limits.knownAddressSeconds,
  };
}

// People type passwords into the email box: the limiter key must not keep what was typed.
async function accountKey(deps: AccessDependencies, email: string): Promise<string> {
  return createHmac('sha256', await instanceSecret(deps, 'address-salt'))
    .update(`account:${normaliseEmail(email)}`)
    .digest('hex');
}

function pairKey(account: string, addressHash: string): string {
  return `${account}:${addressHash}`;
}

/** Spends one point in every window of the pair; the first window that refuses answers. */
async function spendPair(
  guards: LoginGuards,
  key: string,
): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
  for (const limiter of guards.perPair) {
    const answer = await spend(limiter, key);
    if (!answer.allowed) return answer;
  }
  return { allowed: true };
}

async function forgivePair(guards: LoginGuards, key: string): Promise<void> {
  for (const limiter of guards.perPair) await limiter.delete(key);
}

async function isKnownAddress(guards: LoginGuards, key: string): Promise<boolean> {
  const state = await guards.knownAddresses.get(key);
  // The memory store keeps an expired key until its timer fires: read the time left too.
  return state !== null && state.msBeforeNext > 0;
}

export interface SignInRequest {
  email: string;
  password: string;
  /** From `hashAddress`; the clear address never reaches this module. */
  addressHash: string;
  kind?: SessionKind;
  label?: string;
}

export async function signIn(
  deps: AccessDependencies,
  guards: LoginGuards,
  request: SignInRequest,
): Promise<Result<{ user: User; token: string; session: Session }, AccessErrorCode>> {
  const account = await accountKey(deps, request.email);
  const pair = pairKey(account, request.addressHash);
  const byAddress = await spend(guards.perAddress, request.addressHash);
  if (!byAddress.allowed)
    return fail(AccessErrorCode.tooManyAttempts, { retryAfterMs: byAddress.retryAfterMs });
  const byPair = await spendPair(guards, pair);
  if (!byPair.allowed) return fail(AccessErrorCode.tooManyAttempts, { retryAfterMs: byPair.retryAfterMs });
  if (!(await isKnownAddress(guards, pair))) {
    const byAccount = await spend(guards.perAccount, account);
    if (!byAccount.allowed)
      return fail(AccessErrorCode.tooManyAttempts, { retryAfterMs: byAccount.retryAfterMs });
  }

  const user = await checkPassword(deps, request.email, request.password);
  if (!user) return fail(AccessErrorCode.invalidCredentials);

  await forgivePair(guards, pair);
  await guards.perAddress.reward(request.addressHash, 1);
  await guards.knownAddresses.set(pair, 1, guards.knownAddressSeconds);
  const { token, session } = await createSession(deps, user.id, {
    kind: request.kind ?? 'cookie',
    label: request.label ?? '',
  });
  return { ok: true, user, token, session };
}

/**
 * Password change through the same sloped limit as sign-in (keyed on the account alone: the
 * caller is signed in), so a stolen session cannot be used to guess the current password at leisure.
 */
export async function changePasswordLimited(
  deps: AccessDependencies,
  guards: LoginGuards,
  input: Parameters<typeof changePassword>[1],
): Promise<Result<{ revokedSessions: number }, AccessErrorCode>> {
  const user = await getUser(deps.store, input.userId);
  if (!user) return fail(AccessErrorCode.userNotFound);
  const key = pairKey(await accountKey(deps, user.email), 'password-change');
  const allowed = await spendPair(guards, key);
  if (!allowed.allowed) return fail(AccessErrorCode.tooManyAttempts, { retryAfterMs: allowed.retryAfterMs });
  const changed = await changePassword(deps, input);
  if (changed.ok) await forgivePair(guards, key);
  return changed;
}
