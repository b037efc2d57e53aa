/**
 * Sign-in with rate limits per account and per address. Each attempt spends a point *before*
 * the password is checked, so parallel guesses cannot all slip past the limit while scrypt
 * runs; a success gives the points back. Unknown and known emails are limited alike.
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
  perAccount: Limit;
  perAddress: Limit;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAccount: { points: 10, durationSeconds: 15 * 60, blockSeconds: 15 * 60 },
  perAddress: { points: 100, durationSeconds: 60 * 60, blockSeconds: 60 * 60 },
};

export interface LoginGuards {
  perAccount: RateLimiterAbstract;
  perAddress: RateLimiterAbstract;
}

export function createLoginGuards(
  store: LimiterStore,
  limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
): LoginGuards {
  return {
    perAccount: createLimiter(store, 'login-account', limits.perAccount),
    perAddress: createLimiter(store, 'login-address', limits.perAddress),
  };
}

// People type passwords into the email box: the limiter key must not keep what was typed.
function accountKey(deps: AccessDependencies, email: string): string {
  return createHmac('sha256', instanceSecret(deps, 'address-salt'))
    .update(`account:${normaliseEmail(email)}`)
    .digest('hex');
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
  const account = accountKey(deps, request.email);
  const byAddress = await spend(guards.perAddress, request.addressHash);
  if (!byAddress.allowed)
    return fail(AccessErrorCode.tooManyAttempts, { retryAfterMs: byAddress.retryAfterMs });
  const byAccount = await spend(guards.perAccount, account);
  if (!byAccount.allowed)
    return fail(AccessErrorCode.tooManyAttempts, { retryAfterMs: byAccount.retryAfterMs });

  const user = await checkPassword(deps, request.email, request.password);
  if (!user) return fail(AccessErrorCode.invalidCredentials);

  await guards.perAccount.delete(account);
  await guards.perAddress.reward(request.addressHash, 1);
  const { token, session } = createSession(deps, user.id, {
    kind: request.kind ?? 'cookie',
    label: request.label ?? '',
  });
  return { ok: true, user, token, session };
}

/**
 * Password change through the same per-account limit as sign-in, so a stolen session cannot
 * be used to guess the current password at leisure.
 */
export async function changePasswordLimited(
  deps: AccessDependencies,
  guards: LoginGuards,
  input: Parameters<typeof changePassword>[1],
): Promise<Result<{ revokedSessions: number }, AccessErrorCode>> {
  const user = getUser(deps.db, input.userId);
  if (!user) return fail(AccessErrorCode.userNotFound);
  const account = accountKey(deps, user.email);
  const allowed = await spend(guards.perAccount, account);
  if (!allowed.allowed) return fail(AccessErrorCode.tooManyAttempts, { retryAfterMs: allowed.retryAfterMs });
  const changed = await changePassword(deps, input);
  if (changed.ok) await guards.perAccount.delete(account);
  return changed;
}
