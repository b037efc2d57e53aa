import type { IncomingMessage } from 'node:http';
import {
  CLOSE_MALFORMED_MESSAGE,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_UNKNOWN_ROOM,
  READ_ONLY_NOTICE,
} from '@datapatch/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RunningServer } from '../server/server.ts';
import { spawnServer } from '../testing/child-server.ts';
import {
  closeClient,
  closeCode,
  connectClient,
  openRawSocket,
  openSilentSocket,
  startTestServer,
  type TestClient,
  temporaryDataDir,
  waitFor,
  waitSynced,
} from '../testing/clients.ts';
import { awarenessMessageOf, nestedJson, QUERY_AWARENESS } from '../testing/messages.ts';
import { type BackendStorage, type ServerBackend, serverBackends } from '../testing/server-backends.ts';
import type { AccessLevel } from './authorizer.ts';

const ROOM = 'ds/demo/validated';
const OTHER_ROOM = 'ds/other/validated';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function serverFor(overrides: Parameters<typeof startTestServer>[0]): Promise<RunningServer> {
  const server = await startTestServer(overrides);
  cleanups.push(() => server.close());
  return server;
}

function freshDir(): string {
  const data = temporaryDataDir();
  cleanups.push(data.remove);
  return data.dir;
}

// The tests whose outcome depends on the update log run on every backend; the others (access,
// malformed input, presence) never reach the store and run once, on SQLite.
const backends = await serverBackends('the relay suite');

/** A server on `backend` in a fresh data folder, and the store under it. */
async function backendServer(
  backend: ServerBackend,
  overrides: Partial<Parameters<typeof startTestServer>[0]> = {},
): Promise<{ server: RunningServer; storage: BackendStorage }> {
  const dataDir = freshDir();
  const storage = await backend.open(dataDir);
  cleanups.push(() => storage.dispose());
  const server = await serverFor({ dataDir, databaseUrl: storage.databaseUrl, ...overrides });
  return { server, storage };
}

async function client(server: RunningServer, room = ROOM): Promise<TestClient> {
  const c = connectClient(server.url, room);
  cleanups.push(() => closeClient(c));
  await waitSynced(c);
  return c;
}

function cells(c: TestClient): Record<string, unknown> {
  return c.doc.getMap('cells').toJSON();
}

for (const backend of backends) {
  // PostgreSQL is skipped only when it does not answer: requireServices printed why (CI fails instead).
  describe.skipIf(!backend.available)(
    `clients on one room converge through the relay (${backend.name})`,
    () => {
      it('two clients see each other’s edits', async () => {
        const { server } = await backendServer(backend);
        const [a, b] = [await client(server), await client(server)];
        a.doc.getMap('cells').set('a', 1);
        b.doc.getMap('cells').set('b', 2);
        await waitFor(
          () => Object.keys(cells(a)).length === 2 && Object.keys(cells(b)).length === 2,
          'convergence',
        );
        expect(cells(a)).toEqual({ a: 1, b: 2 });
        expect(cells(b)).toEqual(cells(a));
      });

      it('ten clients editing at once converge, and a late joiner receives everything', async () => {
        const { server } = await backendServer(backend);
        const clients = await Promise.all(Array.from({ length: 10 }, () => client(server)));
        clients.forEach((c, i) => {
          for (let k = 0; k < 20; k++) c.doc.getMap('cells').set(`c${i}-${k}`, k);
          c.doc.getArray('log').push([`from ${i}`]);
        });
        const expected = 10 * 20;
        await waitFor(
          () =>
            clients.every(
              (c) => Object.keys(cells(c)).length === expected && c.doc.getArray('log').length === 10,
            ),
          'ten clients to converge',
        );
        // Deep equality: map key order is local insertion order, the array order is shared.
        const reference = clients[0]!.doc.toJSON();
        for (const c of clients) expect(c.doc.toJSON()).toEqual(reference);

        const late = await client(server);
        expect(Object.keys(cells(late))).toHaveLength(expected);
        expect(late.doc.getArray('log').length).toBe(10);
        expect(late.doc.toJSON()).toEqual(reference);
      });
    },
  );
}

describe('read-only clients', () => {
  it('receive the document, have their writes dropped, are told once and stay connected', async () => {
    const authorizer = (request: IncomingMessage): AccessLevel =>
      new URL(request.url ?? '/', 'http://x').searchParams.get('as') === 'reader' ? 'read' : 'write';
    const server = await serverFor({ dataDir: freshDir(), authorizer });
    const writer = await client(server);
    writer.doc.getMap('cells').set('title', 'Sanisettes');

    const reader = connectClient(server.url, ROOM);
    cleanups.push(() => closeClient(reader));
    reader.provider.params = { as: 'reader' };
    // Reconnect with the parameter (the first connection started before it was set).
    reader.provider.disconnect();
    const notices: string[] = [];
    reader.provider.messageHandlers[2] = (_encoder, decoder) => {
      decoding.readVarUint(decoder); // permission-denied sub-type
      notices.push(decoding.readVarString(decoder));
    };
    reader.provider.connect();
    await waitFor(() => cells(reader).title === 'Sanisettes', 'the reader to receive the document');

    reader.doc.getMap('cells').set('title', 'vandalised');
    reader.doc.getMap('cells').set('other', 'also dropped');
    writer.doc.getMap('cells').set('after', 'still flowing');
    await waitFor(() => cells(reader).after === 'still flowing', 'the reader to keep receiving');
    await waitFor(() => notices.length > 0, 'the read-only notice');

    expect(notices).toEqual([READ_ONLY_NOTICE]);
    expect(reader.provider.wsconnected).toBe(true);
    expect(cells(writer)).toEqual({ title: 'Sanisettes', after: 'still flowing' });
    const late = await client(server);
    expect(cells(late)).toEqual({ title: 'Sanisettes', after: 'still flowing' });
  });
});

/** A y-websocket "update" message carrying `update`. */
function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** A bit flip of a real update that Yjs decodes but throws on while integrating it. */
function updateThatBreaksYjs(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 7;
  doc.getMap('cells').set('x', 'value');
  doc.getArray('rows').push([{ a: 1 }, 'b']);
  const text = doc.getText('notes');
  text.insert(0, 'hello');
  text.delete(1, 2);
  const update = Y.encodeStateAsUpdate(doc);
  for (let i = 0; i < update.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const flipped = update.slice();
      flipped[i]! ^= 1 << bit;
      try {
        Y.decodeUpdate(flipped);
      } catch {
        continue;
      }
      const target = new Y.Doc();
      target.getMap('cells').set('before', 1);
      try {
        Y.applyUpdate(target, flipped);
      } catch {
        return flipped;
      }
    }
  }
  throw new Error('no such bit flip for this Yjs version');
}

function validUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('cells').set('x', 'a value long enough to cut in the middle');
  return Y.encodeStateAsUpdate(doc);
}

describe('malformed input closes only the connection that sent it', () => {
  const stateVector = Y.encodeStateVector(new Y.Doc());
  const syncStep1 = (() => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint8Array(encoder, stateVector);
    return encoding.toUint8Array(encoder);
  })();
  const update = validUpdate();
  const cases: [string, Uint8Array | string, number][] = [
    ['garbage bytes', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), CLOSE_MALFORMED_MESSAGE],
    ['a truncated sync message', syncStep1.slice(0, syncStep1.length - 1), CLOSE_MALFORMED_MESSAGE],
    ['a truncated update', updateMessage(update.slice(0, update.length - 8)), CLOSE_MALFORMED_MESSAGE],
    [
      'an update of random bytes',
      updateMessage(new Uint8Array([1, 9, 200, 3, 7, 7, 7, 250, 1])),
      CLOSE_MALFORMED_MESSAGE,
    ],
    [
      'an update Yjs decodes but cannot integrate',
      updateMessage(updateThatBreaksYjs()),
      CLOSE_MALFORMED_MESSAGE,
    ],
    ['an unknown message type', new Uint8Array([7, 0]), CLOSE_MALFORMED_MESSAGE],
    ['an unknown sync message type', new Uint8Array([0, 9, 0]), CLOSE_MALFORMED_MESSAGE],
    ['trailing bytes after a message', new Uint8Array([...syncStep1, 0]), CLOSE_MALFORMED_MESSAGE],
    ['a text frame', 'hello', CLOSE_MALFORMED_MESSAGE],
    ['an oversized message', new Uint8Array(100 * 1024), CLOSE_MESSAGE_TOO_BIG],
  ];

  it.each(cases)('%s', async (_name, payload, expectedCode) => {
    const dataDir = freshDir();
    let server = await serverFor({ dataDir, maxMessageBytes: 64 * 1024 });
    const [a, b] = [await client(server), await client(server)];
    const elsewhere = await client(server, OTHER_ROOM);
    a.doc.getMap('cells').set('before', 1);
    await waitFor(() => cells(b).before === 1, 'the first edit');

    const attacker = await openRawSocket(server.url, ROOM);
    const closed = closeCode(attacker);
    attacker.send(payload);
    expect(await closed).toBe(expectedCode);

    a.doc.getMap('cells').set('after', 2);
    elsewhere.doc.getMap('cells').set('elsewhere', 3);
    const watcher = await client(server, OTHER_ROOM);
    await waitFor(() => cells(b).after === 2, 'the room to keep serving');
    await waitFor(() => cells(watcher).elsewhere === 3, 'other rooms to keep serving');

    // Nothing bad reached the disk: the room reloads cleanly with exactly the good edits.
    await server.close();
    server = await serverFor({ dataDir });
    const reloaded = await client(server);
    expect(cells(reloaded)).toEqual({ before: 1, after: 2 });
  });

  it('refuses a room name outside ds/<id>/validated|pending with its close code', async () => {
    const server = await serverFor({ dataDir: freshDir() });
    for (const room of ['lobby', 'ds/bad id/validated', 'ds/x/drafts', 'ds/x/validated/extra']) {
      const ws = await openRawSocket(server.url, room);
      expect(await closeCode(ws)).toBe(CLOSE_UNKNOWN_ROOM);
    }
  });
});

for (const backend of backends) {
  // PostgreSQL is skipped only when it does not answer: requireServices printed why (CI fails instead).
  describe.skipIf(!backend.available)(`rooms leave memory and come back (${backend.name})`, () => {
    it('an empty room is evicted after the grace period and reloads with all its data', async () => {
      const { server } = await backendServer(backend, { roomGraceMs: 50 });
      const writer = connectClient(server.url, ROOM);
      await waitSynced(writer);
      for (let k = 0; k < 30; k++) writer.doc.getMap('cells').set(`k${k}`, k);
      const peer = await client(server);
      await waitFor(() => Object.keys(cells(peer)).length === 30, 'the peer to receive the edits');
      closeClient(writer);
      closeClient(peer);
      await waitFor(() => !server.relay.roomsInMemory().includes(ROOM), 'the room to be evicted');

      const back = await client(server);
      expect(server.relay.roomsInMemory()).toContain(ROOM);
      expect(Object.keys(cells(back))).toHaveLength(30);
    });

    it('compaction merges the log into one update and keeps every update’s content', async () => {
      const { server, storage } = await backendServer(backend, { compactAfterUpdates: 10 });
      const [a, b] = [await client(server), await client(server)];
      for (let k = 0; k < 45; k++) {
        a.doc.getMap('cells').set(`a${k}`, k);
        b.doc.getArray('rows').push([`row ${k}`]);
        await new Promise((resolve) => setImmediate(resolve));
      }
      a.doc.getMap('cells').delete('a0');
      await waitFor(
        () => b.doc.getMap('cells').size === 44 && a.doc.getArray('rows').length === 45,
        'convergence',
      );
      await server.relay.settle();

      const store = await storage.openStore();
      const stored = await store.loadRoom(ROOM);
      await store.close();
      expect(stored.updates.length).toBeLessThan(10);
      const fromDisk = new Y.Doc();
      for (const u of stored.updates) Y.applyUpdate(fromDisk, u);
      expect(fromDisk.getMap('cells').toJSON()).toEqual(a.doc.getMap('cells').toJSON());
      expect(fromDisk.getArray('rows').toJSON()).toEqual(b.doc.getArray('rows').toJSON());
    });

    it('a busy room is compacted while updates keep arriving, and nothing is lost', async () => {
      const { server, storage } = await backendServer(backend, { compactAfterUpdates: 20 });
      const [a, b] = [await client(server), await client(server)];
      // No pause: updates of this room are always on their way to disk when compaction starts.
      for (let k = 0; k < 300; k++) {
        a.doc.getMap('cells').set(`a${k % 40}`, k);
        b.doc.getArray('rows').push([k]);
        if (k % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await waitFor(
        () => b.doc.getMap('cells').get('a19') === 299 && a.doc.getArray('rows').length === 300,
        'convergence',
      );
      await server.relay.settle();

      const store = await storage.openStore();
      const stored = await store.loadRoom(ROOM);
      await store.close();
      expect(stored.updates.length).toBeLessThan(300);
      const fromDisk = new Y.Doc();
      for (const u of stored.updates) Y.applyUpdate(fromDisk, u);
      expect(fromDisk.getMap('cells').toJSON()).toEqual(a.doc.getMap('cells').toJSON());
      expect(fromDisk.getArray('rows').toJSON()).toEqual(b.doc.getArray('rows').toJSON());
    });
  });
}

describe('presence (awareness) from clients', () => {
  /** The presences a client currently sees, without its own. */
  function presencesSeenBy(c: TestClient): Map<number, unknown> {
    const states = new Map(c.provider.awareness.getStates());
    states.delete(c.doc.clientID);
    return states;
  }

  it('a presence that cannot be encoded again stops neither the room nor the process', async () => {
    // A child process, so that a crash would be seen as its exit, not caught by the test runner.
    const data = temporaryDataDir();
    cleanups.push(data.remove);
    const child = await spawnServer(data.dir);
    cleanups.push(async () => {
      child.process.kill('SIGKILL');
      await child.exited;
    });
    let exited: number | string | null = null;
    void child.exited.then((code) => {
      exited = code;
    });
    const watcher = await openRawSocket(child.url, ROOM);
    cleanups.push(() => watcher.terminate());
    const received: Uint8Array[] = [];
    watcher.on('message', (data: Buffer) => received.push(new Uint8Array(data)));

    // JSON.parse reads it; JSON.stringify overflows the stack on it. The sender stays connected.
    const attacker = await openSilentSocket(child.url, ROOM);
    cleanups.push(() => attacker.destroy());
    attacker.send(awarenessMessageOf([{ clientId: 1, clock: 1, json: nestedJson(20_000) }]));
    expect(await attacker.closeFrame).toBe(CLOSE_MALFORMED_MESSAGE);

    watcher.send(QUERY_AWARENESS);
    await waitFor(() => received.some((m) => m[0] === 1), 'the answer to the presence query');
    const joiner = connectClient(child.url, ROOM);
    cleanups.push(() => closeClient(joiner));
    await waitSynced(joiner);
    joiner.doc.getMap('cells').set('after', 1);
    const late = connectClient(child.url, ROOM);
    cleanups.push(() => closeClient(late));
    await waitFor(() => cells(late).after === 1, 'a later joiner to receive the edit');
    const health = await fetch(`${child.url}/api/health`);
    expect(health.status).toBe(200);
    expect(exited).toBeNull();
    expect(child.output()).not.toMatch(/RangeError/);
  });

  const BAD_PRESENCES: [string, Uint8Array][] = [
    ['nested deeper than the limit', awarenessMessageOf([{ clientId: 5, clock: 1, json: nestedJson(17) }])],
    [
      'a state over the size limit',
      awarenessMessageOf([{ clientId: 5, clock: 1, json: JSON.stringify({ name: 'x'.repeat(9000) }) }]),
    ],
    [
      'a message over the size limit',
      awarenessMessageOf(
        Array.from({ length: 5 }, (_, i) => ({
          clientId: 5 + i,
          clock: 1,
          json: JSON.stringify({ n: 'y'.repeat(7000) }),
        })),
      ),
    ],
    ['a state that is not JSON', awarenessMessageOf([{ clientId: 5, clock: 1, json: '{"user":' }])],
    ['a state that is an array', awarenessMessageOf([{ clientId: 5, clock: 1, json: '[1,2]' }])],
    ['a state that is a number', awarenessMessageOf([{ clientId: 5, clock: 1, json: '42' }])],
    [
      'more client ids than one connection may hold',
      awarenessMessageOf(Array.from({ length: 5 }, (_, i) => ({ clientId: 5 + i, clock: 1, json: '{}' }))),
    ],
    ['a truncated presence', awarenessMessageOf([{ clientId: 5, clock: 1, json: '{}' }]).slice(0, -2)],
  ];

  it.each(BAD_PRESENCES)('%s closes only its sender and changes nothing', async (_name, payload) => {
    const server = await serverFor({ dataDir: freshDir() });
    const [ann, observer] = [await client(server), await client(server)];
    ann.provider.awareness.setLocalStateField('user', 'ann');
    await waitFor(() => presencesSeenBy(observer).size === 1, 'ann’s presence');

    const attacker = await openRawSocket(server.url, ROOM);
    const closed = closeCode(attacker);
    attacker.send(payload);
    expect(await closed).toBe(CLOSE_MALFORMED_MESSAGE);

    // Messages keep their order: had the bad presence been relayed, it would arrive first.
    ann.provider.awareness.setLocalStateField('user', 'ann again');
    await waitFor(
      () => (presencesSeenBy(observer).get(ann.doc.clientID) as { user?: string })?.user === 'ann again',
      'ann’s next presence',
    );
    expect([...presencesSeenBy(observer).keys()]).toEqual([ann.doc.clientID]);
    expect(ann.provider.wsconnected && observer.provider.wsconnected).toBe(true);
  });

  it('a connection can neither overwrite nor remove another connection’s presence', async () => {
    const server = await serverFor({ dataDir: freshDir() });
    const [ann, observer] = [await client(server), await client(server)];
    ann.provider.awareness.setLocalStateField('user', 'ann');
    await waitFor(() => presencesSeenBy(observer).size === 1, 'ann’s presence');
    const annId = ann.doc.clientID;

    const mallory = await openRawSocket(server.url, ROOM);
    cleanups.push(() => mallory.terminate());
    mallory.send(awarenessMessageOf([{ clientId: annId, clock: 1000, json: '{"user":"mallory"}' }]));
    mallory.send(awarenessMessageOf([{ clientId: annId, clock: 1001, json: 'null' }]));
    // Dropped, not refused: mallory's own presence, sent after, goes through.
    mallory.send(awarenessMessageOf([{ clientId: 4242, clock: 1, json: '{"user":"mallory"}' }]));
    await waitFor(() => presencesSeenBy(observer).has(4242), 'mallory’s own presence');

    expect(presencesSeenBy(observer).get(annId)).toEqual({ user: 'ann' });
    expect(presencesSeenBy(ann).get(4242)).toEqual({ user: 'mallory' });
    expect(mallory.readyState).toBe(mallory.OPEN);

    // Once ann leaves, her presence is gone for everyone, and her id is free again.
    closeClient(ann);
    await waitFor(() => !presencesSeenBy(observer).has(annId), 'ann’s presence to leave with her');
    // (A clock past ann's last one: clients, the observer included, keep the clocks they saw.)
    mallory.send(awarenessMessageOf([{ clientId: annId, clock: 5000, json: '{"user":"reused"}' }]));
    await waitFor(() => presencesSeenBy(observer).has(annId), 'the freed id to be usable');
  });
});
