import { roomName } from '@datapatch/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createSession } from '../access/index.ts';
import { syncUrl, waitFor } from '../testing/clients.ts';
import { type AccessTestServer, startAccessServer, type Who } from '../testing/http-server.ts';

let t: AccessTestServer;
beforeAll(async () => {
  t = await startAccessServer();
});
afterAll(async () => {
  await t.cleanup();
});

const json = { 'content-type': 'application/json' };

function call(who: Who, method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  return fetch(`${t.server.url}${path}`, {
    method,
    headers: t.headers(who, { ...(body === undefined ? {} : json), ...extra }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function answer<T>(response: Response): Promise<{ status: number; body: T }> {
  return { status: response.status, body: (await response.json()) as T };
}

/** A y-websocket client with `who`'s token; resolves the close code when the server drops it. */
async function connected(who: Who, room: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(syncUrl(t.server.url), room, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws is the Node WebSocket the provider expects.
    WebSocketPolyfill: WebSocket as any,
    disableBc: true,
    params: who === 'anonymous' ? {} : { token: t.tokens[who] },
  });
  const closed = new Promise<number>((resolve) =>
    provider.on('connection-close', (event) => resolve(event?.code ?? 0)),
  );
  await waitFor(() => provider.synced, `${who} sync`);
  return {
    closed,
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

interface HubView {
  id: string;
  name: string;
  hubRole: string;
  members: { userId: string; email: string; hubRole: string }[];
}

async function newHub(name: string): Promise<string> {
  const made = await answer<{ hub: { id: string } }>(await call('owner', 'POST', '/api/hubs', { name }));
  expect(made.status).toBe(201);
  return made.body.hub.id;
}

describe('hub members run their hubs over HTTP', () => {
  it('a member lists their hubs with every member; others see none of it', async () => {
    const hubId = await newHub('Métropole de Lyon');
    expect(
      (await call('owner', 'POST', `/api/hubs/${hubId}/members`, { email: 'editor@example.org' })).status,
    ).toBe(201);
    const mine = await answer<{ hubs: HubView[] }>(await call('editor', 'GET', '/api/hubs'));
    expect(mine.status).toBe(200);
    const hub = mine.body.hubs.find((one) => one.id === hubId);
    expect(hub).toMatchObject({ name: 'Métropole de Lyon', hubRole: 'member' });
    expect(hub?.members.map((m) => `${m.userId}:${m.hubRole}`).sort()).toEqual(
      [`${t.userIds.owner}:admin`, `${t.userIds.editor}:member`].sort(),
    );
    expect(hub?.members.every((m) => m.email.includes('@'))).toBe(true);

    const stranger = await answer<{ hubs: HubView[] }>(await call('stranger', 'GET', '/api/hubs'));
    expect(stranger.body.hubs.some((one) => one.id === hubId)).toBe(false);
    expect((await call('stranger', 'GET', `/api/hubs/${hubId}`)).status).toBe(404);
    expect((await call('editor', 'GET', `/api/hubs/${hubId}`)).status).toBe(200);
    expect((await call('anonymous', 'GET', '/api/hubs')).status).toBe(401);
  });

  it("only a hub admin changes a member's hub role; the last admin can neither step down nor leave", async () => {
    const hubId = await newHub('Ville de Nantes');
    await call('owner', 'POST', `/api/hubs/${hubId}/members`, { email: 'reader@example.org' });
    const path = (who: Who) => `/api/hubs/${hubId}/members/${t.userIds[who as 'owner']}`;

    const byMember = await answer<{ error: { code: string } }>(
      await call('reader', 'PATCH', path('reader'), { hubRole: 'admin' }),
    );
    expect(byMember).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await call('owner', 'PATCH', path('owner'), { hubRole: 'member' })).status).toBe(403);
    expect((await call('owner', 'DELETE', path('owner'))).status).toBe(403);
    expect((await call('owner', 'PATCH', path('owner'), { hubRole: 'chief' })).status).toBe(400);
    expect((await call('owner', 'PATCH', path('stranger'), { hubRole: 'admin' })).status).toBe(404);

    const promoted = await answer<{ member: { hubRole: string } }>(
      await call('owner', 'PATCH', path('reader'), { hubRole: 'admin' }),
    );
    expect(promoted).toMatchObject({ status: 200, body: { member: { hubRole: 'admin' } } });
    // With a second admin, the first may step down.
    expect((await call('owner', 'PATCH', path('owner'), { hubRole: 'member' })).status).toBe(200);
    // A member may leave on their own.
    expect(await answer(await call('owner', 'DELETE', path('owner')))).toEqual({
      status: 200,
      body: { removed: true },
    });
    const left = await answer<{ hubs: HubView[] }>(await call('owner', 'GET', '/api/hubs'));
    expect(left.body.hubs.some((one) => one.id === hubId)).toBe(false);
  });

  it("removing a member takes the hub's dataset role from their open connection at once", async () => {
    const hubId = await newHub('Département du Gard');
    await call('owner', 'POST', `/api/hubs/${hubId}/members`, { email: 'stranger@example.org' });
    const granted = await call('owner', 'PUT', '/api/datasets/secret/roles', {
      subject: { kind: 'hub', id: hubId },
      role: 'reader',
    });
    expect(granted.status).toBe(200);
    const stranger = await connected('stranger', roomName('secret', 'validated'));
    const removed = await call('owner', 'DELETE', `/api/hubs/${hubId}/members/${t.userIds.stranger}`);
    expect(removed.status).toBe(200);
    expect(await stranger.closed).toBe(4403);
    stranger.close();
    await call('owner', 'DELETE', `/api/datasets/secret/roles/hub/${hubId}`);
  });
});

describe('a dataset owner removes roles and revokes invites over HTTP', () => {
  it('DELETE of a role disconnects the open connection it allowed; only owners may, and never the last owner', async () => {
    const reader = await connected('reader', roomName('secret', 'validated'));
    const rolePath = (who: 'reader' | 'owner') => `/api/datasets/secret/roles/user/${t.userIds[who]}`;
    expect((await call('moderator', 'DELETE', rolePath('reader'))).status).toBe(403);
    expect((await call('stranger', 'DELETE', rolePath('reader'))).status).toBe(404);
    expect(await answer(await call('owner', 'DELETE', rolePath('reader')))).toEqual({
      status: 200,
      body: { revoked: true },
    });
    expect(await reader.closed).toBe(4403);
    reader.close();
    const lastOwner = await answer<{ error: { code: string } }>(
      await call('owner', 'DELETE', rolePath('owner')),
    );
    expect(lastOwner).toMatchObject({ status: 409, body: { error: { code: 'last_owner' } } });
    expect((await call('owner', 'DELETE', '/api/datasets/secret/roles/robot/x')).status).toBe(404);
    // Put the role back for the other tests.
    await call('owner', 'PUT', '/api/datasets/secret/roles', { email: 'reader@example.org', role: 'reader' });
  });

  it('an owner lists and revokes invites; a revoked link admits nobody; another dataset cannot revoke it', async () => {
    const made = await answer<{ invite: { id: string }; token: string }>(
      await call('owner', 'POST', '/api/datasets/lieux/invites', { role: 'editor', maxUses: 5 }),
    );
    expect(made.status).toBe(201);
    const listed = await answer<{ invites: { id: string; revoked: boolean }[] }>(
      await call('owner', 'GET', '/api/datasets/lieux/invites'),
    );
    expect(listed.body.invites).toContainEqual(
      expect.objectContaining({ id: made.body.invite.id, revoked: false }),
    );
    expect((await call('moderator', 'GET', '/api/datasets/lieux/invites')).status).toBe(403);
    expect(
      (await call('moderator', 'DELETE', `/api/datasets/lieux/invites/${made.body.invite.id}`)).status,
    ).toBe(403);
    expect(
      (await call('owner', 'DELETE', `/api/datasets/secret/invites/${made.body.invite.id}`)).status,
    ).toBe(404);

    const revoked = await answer<{ invite: { revoked: boolean } }>(
      await call('owner', 'DELETE', `/api/datasets/lieux/invites/${made.body.invite.id}`),
    );
    expect(revoked).toMatchObject({ status: 200, body: { invite: { revoked: true } } });
    const accepted = await answer<{ error: { code: string } }>(
      await call('stranger', 'POST', `/api/invites/${made.body.token}/accept`),
    );
    expect(accepted).toMatchObject({ status: 410, body: { error: { code: 'invite_revoked' } } });
  });

  it('cookie-borne removals from another site are refused (CSRF); from our own page they pass', async () => {
    const cookie = `datapatch_session=${(await createSession(t.server.access.deps, t.userIds.owner, { kind: 'cookie' })).token}`;
    const hubId = await newHub('Commune de Brest');
    await call('owner', 'POST', `/api/hubs/${hubId}/members`, { email: 'moderator@example.org' });
    const evil = { cookie, origin: 'https://evil.example' };
    const paths = [
      ['DELETE', `/api/hubs/${hubId}/members/${t.userIds.moderator}`],
      ['PATCH', `/api/hubs/${hubId}/members/${t.userIds.moderator}`],
      ['DELETE', `/api/datasets/secret/roles/user/${t.userIds.reader}`],
      ['DELETE', '/api/datasets/lieux/invites/someinvite'],
    ] as const;
    for (const [method, path] of paths) {
      const refused = await answer<{ error: { code: string } }>(
        await fetch(`${t.server.url}${path}`, {
          method,
          headers: { ...evil, ...json },
          body: JSON.stringify({ hubRole: 'admin' }),
        }),
      );
      expect(refused, `${method} ${path}`).toMatchObject({
        status: 403,
        body: { error: { code: 'cross_site_request' } },
      });
    }
    const own = await fetch(`${t.server.url}/api/hubs/${hubId}/members/${t.userIds.moderator}`, {
      method: 'PATCH',
      headers: { cookie, origin: t.server.url, ...json },
      body: JSON.stringify({ hubRole: 'admin' }),
    });
    expect(own.status).toBe(200);
    const reader = await call('owner', 'GET', '/api/datasets/secret/roles');
    const roles = (await reader.json()) as { roles: { subject: { id: string } }[] };
    expect(roles.roles.some((grant) => grant.subject.id === t.userIds.reader)).toBe(true);
  });
});
