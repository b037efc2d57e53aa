/**
 * Joining and getting back in, over the server's API: creating an account from an invitation
 * link, a hub admin's password reset link, and setting a new password with it. Invariants: calls
 * are same-origin (the server refuses these from other sites); failures are values with the
 * server's code; the strength hint only advises, the server's 12-character rule is the judge.
 */
import type { DatasetRole } from './account.ts';

type Fetch = typeof fetch;
export type Failed = { ok: false; code: string; retryAfterMs?: number };

async function send(
  fetcher: Fetch,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<{ ok: true; body: Record<string, unknown> } | Failed> {
  let response: Response;
  try {
    response = await fetcher(url, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    return { ok: false, code: 'network' };
  }
  const parsed = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.ok && parsed !== null) return { ok: true, body: parsed };
  const error = parsed?.error as { code?: unknown; retryAfterMs?: unknown } | undefined;
  return {
    ok: false,
    code: typeof error?.code === 'string' ? error.code : `http_${response.status}`,
    ...(typeof error?.retryAfterMs === 'number' ? { retryAfterMs: error.retryAfterMs } : {}),
  };
}

export type NewAccount = { email: string; name: string; password: string };

export type Joined =
  | { ok: true; kind: 'dataset'; datasetId: string; role: Exclude<DatasetRole, 'owner'> }
  | { ok: true; kind: 'hub'; hubName: string };

/**
 * `POST /api/invites/:token/join` (a dataset link: the role) or `/api/hub-invites/:token/join`
 * (a hub link, `dph_`: membership): the account is made, joins, and is signed in (cookie).
 */
export async function joinWithNewAccount(
  fetcher: Fetch,
  token: string,
  account: NewAccount,
): Promise<Joined | Failed> {
  const hub = token.startsWith('dph_');
  const answer = await send(
    fetcher,
    'POST',
    `/api/${hub ? 'hub-invites' : 'invites'}/${encodeURIComponent(token)}/join`,
    { email: account.email.trim(), name: account.name.trim(), password: account.password },
  );
  if (!answer.ok) return answer;
  if (hub) {
    const { hubName } = answer.body;
    return typeof hubName === 'string'
      ? { ok: true, kind: 'hub', hubName }
      : { ok: false, code: 'bad-response' };
  }
  const { datasetId, role } = answer.body;
  if (typeof datasetId !== 'string' || (role !== 'reader' && role !== 'editor' && role !== 'moderator'))
    return { ok: false, code: 'bad-response' };
  return { ok: true, kind: 'dataset', datasetId, role };
}

/** `POST /api/password-resets`: mailed to the member, or a link for the admin to copy. */
export async function makeResetLink(
  fetcher: Fetch,
  userId: string,
): Promise<{ ok: true; emailed: boolean; link: string | null; expiresAt: number | null } | Failed> {
  const answer = await send(fetcher, 'POST', '/api/password-resets', { userId });
  if (!answer.ok) return answer;
  const { emailed, link, expiresAt } = answer.body;
  return {
    ok: true,
    emailed: emailed === true,
    link: typeof link === 'string' ? link : null,
    expiresAt: typeof expiresAt === 'number' ? expiresAt : null,
  };
}

/** `GET /api/password-resets/:token`: whose account, until when. */
export async function resetLinkInfo(
  fetcher: Fetch,
  token: string,
): Promise<{ ok: true; email: string; expiresAt: number } | Failed> {
  const answer = await send(fetcher, 'GET', `/api/password-resets/${encodeURIComponent(token)}`);
  if (!answer.ok) return answer;
  const { email, expiresAt } = answer.body;
  return typeof email === 'string' && typeof expiresAt === 'number'
    ? { ok: true, email, expiresAt }
    : { ok: false, code: 'bad-response' };
}

/** `POST /api/password-resets/:token`: the new password; signed in, every other session ended. */
export async function setPasswordWithLink(
  fetcher: Fetch,
  token: string,
  password: string,
): Promise<{ ok: true } | Failed> {
  const answer = await send(fetcher, 'POST', `/api/password-resets/${encodeURIComponent(token)}`, {
    password,
  });
  return answer.ok ? { ok: true } : answer;
}

export const PASSWORD_MIN_LENGTH = 12;
export type Strength = 'too-short' | 'weak' | 'fair' | 'strong';

/**
 * A hint while typing, not a rule: length counts most (a passphrase of four words beats a short
 * jumble); repeated or sequential characters and the person's own email or name count against it.
 */
export function passwordStrength(password: string, personal: readonly string[] = []): Strength {
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) return 'too-short';
  const lower = password.toLowerCase();
  const own = personal
    .flatMap((p) => p.toLowerCase().split(/[^\p{L}\p{N}]+/u))
    .filter((part) => part.length >= 3)
    .some((part) => lower.includes(part));
  const distinct = new Set(chars).size;
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{L}\p{N}]/u].filter((re) => re.test(password)).length;
  let score = chars.length >= 20 ? 3 : chars.length >= 16 ? 2 : 1;
  score += classes >= 3 ? 1 : 0;
  if (distinct < chars.length / 3) score -= 2;
  if (own) score -= 1;
  if (/^(.)\1+$/u.test(password) || /(0123|1234|2345|abcd|azer|qwer|motdepasse|password)/i.test(password))
    score -= 2;
  return score >= 3 ? 'strong' : score >= 2 ? 'fair' : 'weak';
}
