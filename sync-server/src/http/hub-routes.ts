/**
 * Hub members run their hubs and datasets from the app: their hubs with members, a member's hub
 * role, removing a member; a dataset owner removes a role or revokes an invite. Invariants: hub
 * admins manage their hub, dataset owners their dataset's roles and invites (DESIGN.md); every
 * write is CSRF-checked; anything that changes who may do what re-asks open websockets at once.
 */
import { AccessErrorCode } from '@datapatch/protocol';
import { Hono } from 'hono';
import {
  getHub,
  hubRoleOf,
  hubsOf,
  invitesOn,
  namedHubMembers,
  removeHubMember,
  revokeInvite,
  revokeRole,
  setHubRole,
} from '../access/index.ts';
import {
  GuardErrorCode,
  jsonBody,
  type RouteDependencies,
  reauthorizeDataset,
  requireDatasetAccess,
  requireSignedIn,
  sendFailure,
} from './access-guard.ts';

/** Ids made by `newId` (22 URL-safe characters); anything else is refused unread. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const hubNotFound = { error: { code: AccessErrorCode.hubNotFound, message: 'No such hub' } };

export function hubRoutes(deps: RouteDependencies): Hono {
  const app = new Hono();
  const { store } = deps.access.deps;

  /** The caller's hubs, each with its members (email, name, hub role): what the hub screen shows. */
  app.get('/api/hubs', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const hubs = [];
    for (const hub of await hubsOf(store, caller.userId ?? '')) {
      hubs.push({
        id: hub.id,
        name: hub.name,
        createdAt: hub.createdAt,
        hubRole: hub.hubRole,
        members: await namedHubMembers(store, hub.id),
      });
    }
    return c.json({ hubs });
  });

  /** Members see their hub; to everyone else it does not exist. */
  app.get('/api/hubs/:hubId', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const hubId = c.req.param('hubId');
    const hubRole = ID.test(hubId) ? await hubRoleOf(store, hubId, caller.userId ?? '') : undefined;
    const hub = hubRole ? await getHub(store, hubId) : undefined;
    if (!hub || !hubRole) return c.json(hubNotFound, 404);
    return c.json({ hub: { ...hub, hubRole, members: await namedHubMembers(store, hubId) } });
  });

  /** `{hubRole: 'admin' | 'member'}`: hub admins only; the last admin cannot step down. */
  app.patch('/api/hubs/:hubId/members/:userId', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    if (body.hubRole !== 'admin' && body.hubRole !== 'member') {
      return c.json(
        { error: { code: GuardErrorCode.invalidBody, message: "hubRole is 'admin' or 'member'" } },
        400,
      );
    }
    const hubId = c.req.param('hubId');
    const userId = c.req.param('userId');
    if (!ID.test(hubId) || !ID.test(userId)) return c.json(hubNotFound, 404);
    const result = await setHubRole(deps.access.deps, {
      hubId,
      userId,
      hubRole: body.hubRole,
      by: caller.userId ?? '',
    });
    if (!result.ok) return sendFailure(c, result);
    return c.json({
      member: (await namedHubMembers(store, hubId)).find((member) => member.userId === userId),
    });
  });

  /** A hub admin removes a member, or a member leaves; the roles the hub holds leave with them. */
  app.delete('/api/hubs/:hubId/members/:userId', async (c) => {
    const caller = requireSignedIn(c);
    if (caller instanceof Response) return caller;
    const hubId = c.req.param('hubId');
    const userId = c.req.param('userId');
    if (!ID.test(hubId) || !ID.test(userId)) return c.json(hubNotFound, 404);
    const result = await removeHubMember(deps.access.deps, { hubId, userId, by: caller.userId ?? '' });
    if (!result.ok) return sendFailure(c, result);
    // The hub's dataset roles no longer reach them: their open connections are asked again.
    await reauthorizeDataset(deps, null);
    return c.json({ removed: result.removed });
  });

  /** The owner takes back a person's or a hub's role (the same as PUT roles with `role: null`). */
  app.delete('/api/datasets/:id/roles/:kind/:subjectId', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'own');
    if (caller instanceof Response) return caller;
    const kind = c.req.param('kind');
    const subjectId = c.req.param('subjectId');
    if ((kind !== 'user' && kind !== 'hub') || !ID.test(subjectId)) {
      return c.json({ error: { code: AccessErrorCode.userNotFound, message: 'No such person or hub' } }, 404);
    }
    const result = await revokeRole(deps.access.deps, {
      datasetId,
      subject: { kind, id: subjectId },
      by: caller.userId ?? '',
    });
    if (!result.ok) return sendFailure(c, result);
    await reauthorizeDataset(deps, datasetId);
    return c.json({ revoked: result.revoked });
  });

  /** The owner cancels an invite link of this dataset; those who joined keep their role. */
  app.delete('/api/datasets/:id/invites/:inviteId', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'own');
    if (caller instanceof Response) return caller;
    const inviteId = c.req.param('inviteId');
    // An invite of another dataset is not this dataset's to revoke, even for its owner.
    if (!(await invitesOn(store, datasetId)).some((invite) => invite.id === inviteId)) {
      return c.json({ error: { code: AccessErrorCode.inviteNotFound, message: 'No such invite' } }, 404);
    }
    const result = await revokeInvite(deps.access.deps, { inviteId, by: caller.userId ?? '' });
    if (!result.ok) return sendFailure(c, result);
    return c.json({ invite: result.invite });
  });

  return app;
}
