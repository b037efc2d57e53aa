/**
 * Joining and getting back in: an invited person creates their account from the invitation link
 * and takes its role in one step; a hub admin (or an instance owner) makes a password reset link
 * for a member, mailed when the instance has SMTP and shown to copy otherwise; the member sets a
 * new password with it. Invariants: both steps that make a session are limited per address like
 * sign-in and refused from other sites; a reset link works once and ends every other session.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import {
  acceptHubInvite,
  acceptHubInviteWithNewAccount,
  acceptInviteWithNewAccount,
  createHubInvite,
  createPasswordReset,
  createSession,
  findUserByEmail,
  getUser,
  hashAddress,
  passwordResetFor,
  redeemPasswordReset,
  SESSION_LIFETIMES,
  sessionCookie,
  spend,
  type User,
} from '../access/index.ts';
import { passwordResetMail } from '../mail/password-reset-mail.ts';
import {
  clientAddress,
  GuardErrorCode,
  isSameOrigin,
  jsonBody,
  type RouteDependencies,
  reauthorizeDataset,
  requireSignedIn,
  sendFailure,
} from './access-guard.ts';
import { wantsSecureCookie } from './secure-transport.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function badBody(c: Context, message: string): Response {
  return c.json({ error: { code: GuardErrorCode.invalidBody, message } }, 400);
}

export function joiningRoutes(deps: RouteDependencies): Hono {
  const app = new Hono();
  const { access } = deps;

  /**
   * Steps that hand out a session: refused from another site (it would sign the victim in as
   * someone else), and limited per address with sign-in's own limiter.
   */
  async function guardSessionStep(c: Context): Promise<Response | null> {
    if (c.req.header('origin') !== undefined && !isSameOrigin(c)) {
      return c.json({ error: { code: GuardErrorCode.crossSite, message: 'Use this site' } }, 403);
    }
    const address = await hashAddress(access.deps, clientAddress(c, deps.trustProxy));
    const allowed = await spend(access.loginGuards.perAddress, address);
    if (!allowed.allowed) {
      return sendFailure(c, {
        error: {
          code: AccessErrorCode.tooManyAttempts,
          message: 'Too many attempts',
          retryAfterMs: allowed.retryAfterMs,
        },
      });
    }
    return null;
  }

  /** `{email, name?, password}` from the body, or the 400 to send. */
  async function newAccountFrom(
    c: Context,
  ): Promise<{ email: string; displayName: string; password: string } | Response> {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const { email, name, password } = body;
    if (typeof email !== 'string' || typeof password !== 'string' || email.length > 320) {
      return badBody(c, 'email and password are strings');
    }
    if (name !== undefined && typeof name !== 'string') return badBody(c, 'name is a string');
    return { email, displayName: name ?? '', password };
  }

  async function signInAs(
    c: Context,
    user: User,
  ): Promise<{ id: string; email: string; displayName: string }> {
    const { token } = await createSession(access.deps, user.id, {
      kind: 'cookie',
      label: (c.req.header('user-agent') ?? '').slice(0, 200),
    });
    c.header(
      'Set-Cookie',
      sessionCookie(token, {
        maxAgeMs: SESSION_LIFETIMES.cookie.maxAgeMs,
        secure: wantsSecureCookie(c, { secureCookies: access.secureCookies, trustProxy: deps.trustProxy }),
      }),
    );
    return { id: user.id, email: user.email, displayName: user.displayName };
  }

  /** `{email, name, password}`: a new account that takes the invite's role; signed in at once. */
  app.post('/api/invites/:token/join', async (c) => {
    const refused = await guardSessionStep(c);
    if (refused) return refused;
    const account = await newAccountFrom(c);
    if (account instanceof Response) return account;
    const result = await acceptInviteWithNewAccount(access.deps, { token: c.req.param('token'), ...account });
    if (!result.ok) return sendFailure(c, result);
    const user = await signInAs(c, result.user);
    await reauthorizeDataset(deps, result.datasetId);
    return c.json({ user, datasetId: result.datasetId, role: result.role }, 201);
  });

  /** `{lifetimeMs?, maxUses?}` (hub admins): a link that makes whoever opens it a member of the hub. */
  app.post('/api/hubs/:hubId/invites', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const hubId = c.req.param('hubId');
    if (!ID.test(hubId))
      return sendFailure(c, { error: { code: AccessErrorCode.hubNotFound, message: 'No such hub' } });
    const made = await createHubInvite(access.deps, {
      hubId,
      by: caller.userId ?? '',
      lifetimeMs: typeof body.lifetimeMs === 'number' ? body.lifetimeMs : 7 * 24 * 60 * 60 * 1000,
      maxUses: typeof body.maxUses === 'number' ? body.maxUses : 1,
    });
    return made.ok ? c.json({ invite: made.invite, token: made.token }, 201) : sendFailure(c, made);
  });

  /** The signed-in person joins the hub of the link. */
  app.post('/api/hub-invites/:token/accept', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const result = await acceptHubInvite(access.deps, {
      token: c.req.param('token'),
      userId: caller.userId ?? '',
    });
    if (!result.ok) return sendFailure(c, result);
    // The hub's dataset roles now reach this person's open websockets too.
    await reauthorizeDataset(deps, null);
    return c.json({ hubId: result.hubId, hubName: result.hubName });
  });

  /** `{email, name, password}`: a new account that joins the link's hub; signed in at once. */
  app.post('/api/hub-invites/:token/join', async (c) => {
    const refused = await guardSessionStep(c);
    if (refused) return refused;
    const account = await newAccountFrom(c);
    if (account instanceof Response) return account;
    const result = await acceptHubInviteWithNewAccount(access.deps, {
      token: c.req.param('token'),
      ...account,
    });
    if (!result.ok) return sendFailure(c, result);
    const user = await signInAs(c, result.user);
    return c.json({ user, hubId: result.hubId, hubName: result.hubName }, 201);
  });

  /**
   * `{userId | email}` (a hub admin of one of their hubs, or an instance owner): a reset link,
   * mailed to the member when the instance has SMTP, else answered to copy.
   */
  app.post('/api/password-resets', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const target =
      typeof body.userId === 'string' && ID.test(body.userId)
        ? await getUser(access.deps.store, body.userId)
        : typeof body.email === 'string' && body.email.length <= 320
          ? await findUserByEmail(access.deps.store, body.email)
          : undefined;
    if (!target)
      return sendFailure(c, { error: { code: AccessErrorCode.userNotFound, message: 'No such account' } });
    const made = await createPasswordReset(access.deps, { userId: target.id, by: caller.userId ?? '' });
    if (!made.ok) return sendFailure(c, made);
    const origin = access.publicUrl ?? new URL(c.req.url).origin;
    const link = new URL(`/reset/${made.token}`, origin).href;
    if (access.mailer) {
      const by = await getUser(access.deps.store, caller.userId ?? '');
      const sent = await access.mailer.send(
        passwordResetMail({
          to: made.user.email,
          name: made.user.displayName,
          link,
          expiresAt: made.expiresAt,
          by: by ? `${by.displayName} (${by.email})` : 'Data Patch',
        }),
      );
      if (sent.ok) return c.json({ emailed: true, expiresAt: made.expiresAt }, 201);
      console.error(`datapatch: password reset mail not sent (${sent.reason}); the link is shown to copy`);
    }
    return c.json({ emailed: false, link, expiresAt: made.expiresAt }, 201);
  });

  /** Whose account the link resets and until when, for the reset page; 404/410 when it is dead. */
  app.get('/api/password-resets/:token', async (c) => {
    const found = await passwordResetFor(access.deps, c.req.param('token'));
    return found.ok ? c.json({ email: found.email, expiresAt: found.expiresAt }) : sendFailure(c, found);
  });

  /** `{password}`: the new password; the link is spent, every session ends, this one begins. */
  app.post('/api/password-resets/:token', async (c) => {
    const refused = await guardSessionStep(c);
    if (refused) return refused;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    if (typeof body.password !== 'string') return badBody(c, 'password is a string');
    const result = await redeemPasswordReset(access.deps, {
      token: c.req.param('token'),
      newPassword: body.password,
    });
    if (!result.ok) return sendFailure(c, result);
    // Ended sessions may hold open websockets: ask again at once.
    await reauthorizeDataset(deps, null);
    const user = await signInAs(c, result.user);
    return c.json({ user, revokedSessions: result.revokedSessions });
  });

  return app;
}
