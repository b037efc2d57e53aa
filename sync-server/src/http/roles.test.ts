import { type DocumentKind, roomName } from '@datapatch/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { accessTo, type Role } from '../access/index.ts';
import { updateMessage } from '../relay/sync-messages.ts';
import { syncUrl, waitFor } from '../testing/clients.ts';
import { type AccessTestServer, ROLE_NAMES, startAccessServer, type Who } from '../testing/http-server.ts';

let t: AccessTestServer;
beforeAll(async () => {
  t = await startAccessServer();
});
afterAll(async () => {
  await t.cleanup();
});

const roleOf = (who: Who): Role | 'anonymous' =>
  who === 'anonymous' || who === 'stranger' ? 'anonymous' : who;
const visibility = (datasetId: string): 'public' | 'private' =>
  datasetId === 'lieux' ? 'public' : 'private';

function client(who: Who, room: string, doc = new Y.Doc()) {
  const provider = new WebsocketProvider(syncUrl(t.server.url), room, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws is the Node WebSocket the provider expects.
    WebSocketPolyfill: WebSocket as any,
    disableBc: true,
    params: who === 'anonymous' ? {} : { token: t.tokens[who] },
  });
  const close = () => {
    provider.destroy();
    doc.destroy();
  };
  return { doc, provider, close };
}

function rawSocket(who: Who, room: string): WebSocket {
  const query = who === 'anonymous' ? '' : `?token=${t.tokens[who]}`;
  return new WebSocket(`${syncUrl(t.server.url)}/${room}${query}`);
}

function serverValue(room: string, key: string): Promise<unknown> {
  return t.server.relay.readDocument(room, (doc) => doc.getMap('probe').get(key));
}

async function waitForServer(room: string, ok: (doc: Y.Doc) => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await t.server.relay.readDocument(room, ok))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${room}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const cells: [Who, string, DocumentKind][] = [];
for (const who of ROLE_NAMES)
  for (const datasetId of ['lieux', 'secret'])
    for (const kind of ['validated', 'pending'] as const) cells.push([who, datasetId, kind]);

describe('every role × room × read/write over a real websocket, as DESIGN.md says', () => {
  it.each(cells)('%s in %s/%s', async (who, datasetId, kind) => {
    const room = roomName(datasetId, kind);
    const expected = accessTo(roleOf(who), kind, { visibility: visibility(datasetId) });
    if (expected === 'none') {
      const ws = rawSocket(who, room);
      const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
      expect(code).toBe(4403);
      return;
    }
    const c = client(who, room);
    try {
      await waitFor(() => c.provider.synced, 'sync');
      const key = `${who}-${kind}`;
      c.doc.getMap('probe').set(key, 'written');
      if (expected === 'write') {
        const deadline = Date.now() + 10_000;
        while ((await serverValue(room, key)) !== 'written' && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        expect(await serverValue(room, key)).toBe('written');
      } else {
        // A writer's update sent after ours arrives after it: once seen, ours was dropped.
        const writer = client('owner', room);
        await waitFor(() => writer.provider.synced, 'writer sync');
        writer.doc.getMap('probe').set(`${key}-marker`, 'seen');
        const deadline = Date.now() + 10_000;
        while ((await serverValue(room, `${key}-marker`)) !== 'seen' && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        writer.close();
        expect(await serverValue(room, key)).toBeUndefined();
      }
    } finally {
      c.close();
    }
  });
});

describe('every role × dataset × need over HTTP', () => {
  const httpCells: [Who, string, 'read' | 'moderate' | 'own'][] = [];
  for (const who of ROLE_NAMES)
    for (const datasetId of ['lieux', 'secret'])
      for (const need of ['read', 'moderate', 'own'] as const) httpCells.push([who, datasetId, need]);
  const paths = {
    read: (id: string) => `/api/datasets/${id}/changes`,
    moderate: (id: string) => `/api/datasets/${id}/proposals`,
    own: (id: string) => `/api/datasets/${id}/settings`,
  };
  it.each(httpCells)('%s on %s wanting %s', async (who, datasetId, need) => {
    const role = roleOf(who);
    const settings = { visibility: visibility(datasetId) };
    const mayRead = accessTo(role, 'validated', settings) !== 'none';
    const allowed =
      need === 'read'
        ? mayRead
        : need === 'moderate'
          ? accessTo(role, 'pending', settings) === 'write'
          : role === 'owner';
    const expected = !mayRead ? 404 : allowed ? 200 : who === 'anonymous' ? 401 : 403;
    const response = await fetch(`${t.server.url}${paths[need](datasetId)}`, { headers: t.headers(who) });
    expect(response.status).toBe(expected);
  });

  it('lists a private dataset only to those who may read it', async () => {
    const ids = async (who: Who) =>
      (
        (await (await fetch(`${t.server.url}/api/datasets`, { headers: t.headers(who) })).json()) as {
          datasets: { id: string }[];
        }
      ).datasets.map((d) => d.id);
    expect(await ids('anonymous')).toEqual(['lieux']);
    expect(await ids('stranger')).toEqual(['lieux']);
    expect((await ids('reader')).sort()).toEqual(['lieux', 'secret']);
  });
});

describe('an anonymous client crafting Yjs updates to a public validated room', () => {
  it('changes nothing on the server (overwrite, delete, squatted client id, huge, corrupt)', async () => {
    const room = roomName('lieux', 'validated');
    const before = await t.server.relay.readDocument(room, (doc) => JSON.stringify(doc.toJSON()));
    const serverState = await t.server.relay.readDocument(room, (doc) => Y.encodeStateAsUpdate(doc));
    const clientIds = await t.server.relay.readDocument(room, (doc) => [...doc.store.clients.keys()]);

    // A copy of the server's document, edited: overwrite cells, delete the changelog…
    const forged = new Y.Doc();
    Y.applyUpdate(forged, serverState);
    const base = Y.encodeStateVector(forged);
    forged.transact(() => {
      forged.getMap('cells').set('x\u001fnom', 'pwned');
      const changelog = forged.getArray('changelog');
      changelog.delete(0, changelog.length);
      forged.getMap('meta').set('title', 'pwned');
    });
    const overwrite = Y.encodeStateAsUpdate(forged, base);
    // …an update under the client id of the server's own writer…
    const squatter = new Y.Doc();
    squatter.clientID = clientIds[0] ?? 1;
    squatter.getMap('meta').set('title', 'squatted');
    const squat = Y.encodeStateAsUpdate(squatter);
    const huge = Y.encodeStateAsUpdate(
      (() => {
        const d = new Y.Doc();
        d.getMap('meta').set('description', 'x'.repeat(2_000_000));
        return d;
      })(),
    );
    const corrupt = new Uint8Array([0, 2, 200, 1, 2, 3, 4, 5, 6, 7]);

    const ws = rawSocket('anonymous', room);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    for (const update of [overwrite, squat, huge]) ws.send(updateMessage(update));
    ws.send(corrupt);
    // Sync-step-2 carrying the forged update too (message type 0, sync type 1).
    const step2 = updateMessage(overwrite);
    step2[1] = 1;
    ws.send(step2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    ws.close();
    const after = await t.server.relay.readDocument(room, (doc) => JSON.stringify(doc.toJSON()));
    expect(after).toBe(before);
    // Control: the very same forged update from the owner is a valid update and is applied.
    const ownerWs = rawSocket('owner', room);
    await new Promise<void>((resolve) => ownerWs.once('open', () => resolve()));
    ownerWs.send(updateMessage(overwrite));
    await waitForServer(room, (doc) => doc.getMap('meta').get('title') === 'pwned');
    ownerWs.close();
  });
});

describe('roles changed or revoked take effect on open connections', () => {
  it('an editor made reader is read-only at once; revoked on a private dataset, disconnected', async () => {
    const room = roomName('secret', 'validated');
    const editor = client('editor', room);
    await waitFor(() => editor.provider.synced, 'sync');
    const closed = new Promise<number>((resolve) =>
      editor.provider.on('connection-close', (event) => resolve(event?.code ?? 0)),
    );
    const put = (role: string | null) =>
      fetch(`${t.server.url}/api/datasets/secret/roles`, {
        method: 'PUT',
        headers: t.headers('owner', { 'content-type': 'application/json' }),
        body: JSON.stringify({ subject: { kind: 'user', id: t.userIds.editor }, role }),
      });
    expect((await put('reader')).status).toBe(200);
    editor.doc.getMap('probe').set('after-downgrade', 'x');
    const owner = client('owner', room);
    await waitFor(() => owner.provider.synced, 'owner sync');
    owner.doc.getMap('probe').set('downgrade-marker', 'x');
    const deadline = Date.now() + 10_000;
    while ((await serverValue(room, 'downgrade-marker')) !== 'x' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await serverValue(room, 'after-downgrade')).toBeUndefined();
    owner.close();

    expect((await put(null)).status).toBe(200);
    expect(await closed).toBe(4403);
    editor.close();
    // Put the role back for the other tests.
    expect((await put('editor')).status).toBe(200);
  });
});
