/**
 * Accounts over HTTP: sign-in (cookie for the app, bearer token for programs), sign-out, who am
 * I, password change; hubs; a dataset's roles, settings and invites for its owners; accepting
 * an invite (hub-routes.ts adds the hub screens' routes). Invariant: after anything that changes who may do what (roles, settings, invites,
 * sign-out, password), open websocket connections are asked again at once.
 */
import { type Context, Hono } from 'hono';
import {
  acceptInvite,
  addHubMember,
  changePasswordLimited,
  clearedSessionCookie,
  createHub,
  createInvite,
  type DatasetSettings,
  findUserByEmail,
  getUser,
  grantRole,
  grantsOn,
  hashAddress,
  hubsOf,
  invitesOn,
  isRole,
  revokeRole,
  rolesOf,
  SESSION_LIFETIMES,
  type Subject,
  sessionCookie,
  signIn,
  signOut,
  updateDatasetSettings,
} from '../access/index.ts';
import {
  callerOf,
  clientAddress,
  GuardErrorCode,
  isSameOrigin,
  jsonBody,
  type RouteDependencies,
  reauthorizeDataset,
  requireDatasetAccess,
  requireSignedIn,
  sendFailure,
} from './access-guard.ts';
import { hubRoutes } from './hub-routes.ts';
import { joiningRoutes } from './joining-routes.ts';
import { wantsSecureCookie } from './secure-transport.ts';

function badBody(message: string) {
  return { error: { code: GuardErrorCode.invalidBody, message } };
}

async function subjectFrom(deps: RouteDependencies, body: Record<string, unknown>): Promise<Subject | null> {
  if (typeof body.email === 'string') {
    const user = await findUserByEmail(deps.access.deps.store, body.email);
    return user ? { kind: 'user', id: user.id } : null;
  }
  const subject = body.subject as { kind?: unknown; id?: unknown } | undefined;
  if (
    subject &&
    (subject.kind === 'user' || subject.kind === 'hub') &&
    typeof subject.id === 'string' &&
    subject.id.length <= 64
  ) {
    return { kind: subject.kind, id: subject.id };
  }
  return null;
}

export function authRoutes(deps: RouteDependencies): Hono {
  const app = new Hono();
  const { access } = deps;

  app.post('/api/auth/login', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const { email, password } = body;
    const kind = body.kind === 'bearer' ? 'bearer' : 'cookie';
    if (typeof email !== 'string' || typeof password !== 'string' || email.length > 320) {
      return c.json(badBody('email and password are strings'), 400);
    }
    // A cookie handed out to a cross-site form would sign the victim in as the attacker.
    if (kind === 'cookie' && c.req.header('origin') !== undefined && !isSameOrigin(c)) {
      return c.json({ error: { code: GuardErrorCode.crossSite, message: 'Sign in from this site' } }, 403);
    }
    const result = await signIn(access.deps, access.loginGuards, {
      email,
      password,
      addressHash: await hashAddress(access.deps, clientAddress(c, deps.trustProxy)),
      kind,
      label: (c.req.header('user-agent') ?? '').slice(0, 200),
    });
    if (!result.ok) return sendFailure(c, result);
    const user = { id: result.user.id, email: result.user.email, displayName: result.user.displayName };
    if (kind === 'bearer') return c.json({ user, token: result.token, expiresAt: result.session.expiresAt });
    c.header(
      'Set-Cookie',
      sessionCookie(result.token, {
        maxAgeMs: SESSION_LIFETIMES.cookie.maxAgeMs,
        secure: wantsSecureCookie(c, { secureCookies: access.secureCookies, trustProxy: deps.trustProxy }),
      }),
    );
    return c.json({ user, expiresAt: result.session.expiresAt });
  });

  app.post('/api/auth/logout', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    await signOut(access.deps.store, caller.token ?? '');
    if (caller.via === 'cookie')
      c.header(
        'Set-Cookie',
        clearedSessionCookie({
          secure: wantsSecureCookie(c, { secureCookies: access.secureCookies, trustProxy: deps.trustProxy }),
        }),
      );
    await reauthorizeDataset(deps, null);
    return c.json({ ok: true });
  });

  /** The signed-in account with its hubs, or null (no session, or its user is gone). */
  const accountOf = async (c: Context) => {
    const user = await getUser(access.deps.store, callerOf(c).userId ?? '');
    if (!user) return null;
    const hubs = (await hubsOf(access.deps.store, user.id)).map((hub) => ({
      id: hub.id,
      name: hub.name,
      hubRole: hub.hubRole,
    }));
    // What the app shows each role (a moderator's links, an owner's settings); the server still
    // checks every request on its own.
    const datasets = (await rolesOf(access.deps.store, user.id)).map(({ datasetId, role }) => ({
      id: datasetId,
      role,
    }));
    return { ...user, hubs, datasets };
  };

  app.get('/api/auth/me', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const user = await accountOf(c);
    if (!user) return c.json({ error: { code: 'unauthenticated', message: 'Sign in first' } }, 401);
    return c.json({ user });
  });

  // The app asks who is there on every page: nobody signed in is an answer, not an error
  // (a 401 there is logged by browsers as a failed resource on every anonymous page).
  app.get('/api/auth/session', async (c) => c.json({ user: await accountOf(c) }));

  app.post('/api/auth/password', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    if (typeof body.currentPassword !== 'string' || typeof body.newPassword !== 'string') {
      return c.json(badBody('currentPassword and newPassword are strings'), 400);
    }
    const result = await changePasswordLimited(access.deps, access.loginGuards, {
      userId: caller.userId ?? '',
      currentPassword: body.currentPassword,
      newPassword: body.newPassword,
      ...(caller.token ? { keepSessionToken: caller.token } : {}),
    });
    if (!result.ok) return sendFailure(c, result);
    await reauthorizeDataset(deps, null);
    return c.json({ ok: true, revokedSessions: result.revokedSessions });
  });

  app.post('/api/hubs', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    if (typeof body.name !== 'string') return c.json(badBody('name is a string'), 400);
    const result = await createHub(access.deps, { name: body.name, createdBy: caller.userId ?? '' });
    return result.ok ? c.json({ hub: result.hub }, 201) : sendFailure(c, result);
  });

  app.post('/api/hubs/:hubId/members', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const user =
      typeof body.email === 'string' ? await findUserByEmail(access.deps.store, body.email) : undefined;
    if (!user)
      return c.json({ error: { code: 'user_not_found', message: 'No account with that email' } }, 404);
    const result = await addHubMember(access.deps, {
      hubId: c.req.param('hubId'),
      userId: user.id,
      hubRole: body.hubRole === 'admin' ? 'admin' : 'member',
      by: caller.userId ?? '',
    });
    if (!result.ok) return sendFailure(c, result);
    await reauthorizeDataset(deps, null);
    return c.json({ member: result.member }, 201);
  });

  app.route('/', hubRoutes(deps));
  app.route('/', joiningRoutes(deps));

  app.get('/api/datasets/:id/roles', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'own');
    if (caller instanceof Response) return caller;
    return c.json({ roles: await grantsOn(access.deps.store, datasetId) });
  });

  /** `{email | subject: {kind, id}, role}` grants; `role: null` takes the role back. */
  app.put('/api/datasets/:id/roles', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'own');
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const subject = await subjectFrom(deps, body);
    if (!subject) return c.json({ error: { code: 'user_not_found', message: 'No such person or hub' } }, 404);
    const by = caller.userId ?? '';
    let result: { ok: true } | ({ ok: false } & Parameters<typeof sendFailure>[1]);
    if (body.role === null) result = await revokeRole(access.deps, { datasetId, subject, by });
    else if (isRole(body.role))
      result = await grantRole(access.deps, { datasetId, subject, role: body.role, by });
    else return c.json(badBody('role is reader, editor, moderator, owner or null'), 400);
    if (!result.ok) return sendFailure(c, result);
    await reauthorizeDataset(deps, datasetId);
    return c.json({ roles: await grantsOn(access.deps.store, datasetId) });
  });

  app.get('/api/datasets/:id/settings', async (c) => {
    const caller = await requireDatasetAccess(c, c.req.param('id'), 'own');
    if (caller instanceof Response) return caller;
    return c.json({ settings: caller.settings });
  });

  app.put('/api/datasets/:id/settings', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'own');
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const changes: Partial<DatasetSettings> = {};
    if (body.visibility !== undefined) changes.visibility = body.visibility as DatasetSettings['visibility'];
    if (body.proposals !== undefined) changes.proposals = body.proposals as DatasetSettings['proposals'];
    if (body.proposableFields !== undefined)
      changes.proposableFields = body.proposableFields as DatasetSettings['proposableFields'];
    const schemaFields = (await deps.schemaFor(datasetId))?.fieldNames;
    const result = await updateDatasetSettings(access.deps, {
      datasetId,
      by: caller.userId ?? '',
      changes,
      ...(schemaFields ? { schemaFields } : {}),
    });
    if (!result.ok) return sendFailure(c, result);
    await reauthorizeDataset(deps, datasetId);
    return c.json({ settings: result.settings });
  });

  app.get('/api/datasets/:id/invites', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'own');
    if (caller instanceof Response) return caller;
    return c.json({ invites: await invitesOn(access.deps.store, datasetId) });
  });

  /** `{role, lifetimeMs?, maxUses?}` → the link's token, shown once. */
  app.post('/api/datasets/:id/invites', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'own');
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const result = await createInvite(access.deps, {
      datasetId,
      role: body.role as 'reader',
      lifetimeMs: typeof body.lifetimeMs === 'number' ? body.lifetimeMs : 7 * 24 * 60 * 60 * 1000,
      maxUses: typeof body.maxUses === 'number' ? body.maxUses : 1,
      by: caller.userId ?? '',
    });
    if (!result.ok) return sendFailure(c, result);
    return c.json({ invite: result.invite, token: result.token }, 201);
  });

  /** `{forHub?}`: the signed-in person (or a hub they administer) takes the invite's role. */
  app.post('/api/invites/:token/accept', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const body = c.req.header('content-type')?.includes('json') ? await jsonBody(c) : {};
    if (body instanceof Response) return body;
    const result = await acceptInvite(access.deps, {
      token: c.req.param('token'),
      userId: caller.userId ?? '',
      ...(typeof body.forHub === 'string' ? { forHub: body.forHub } : {}),
    });
    if (!result.ok) return sendFailure(c, result);
    await reauthorizeDataset(deps, result.datasetId);
    return c.json({ datasetId: result.datasetId, role: result.role, subject: result.subject });
  });

  return app;
}
