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
import type { AccessLevel } from './authorizer.ts';
import type { RunningServer } from './server.ts';
import { openDatabase } from './store/sqlite/sqlite-database.ts';
import { SqliteUpdateStore } from './store/sqlite/sqlite-update-store.ts';
import {
  closeClient,
  closeCode,
  connectClient,
  openRawSocket,
  startTestServer,
  type TestClient,
  temporaryDataDir,
  waitFor,
  waitSynced,
} from './testing/clients.ts';

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

async function client(server: RunningServer, room = ROOM): Promise<TestClient> {
  const c = connectClient(server.url, room);
  cleanups.push(() => closeClient(c));
  await waitSynced(c);
  return c;
}

function cells(c: TestClient): Record<string, unknown> {
  return c.doc.getMap('cells').toJSON();
}

describe('clients on one room converge through the relay', () => {
  it('two clients see each other’s edits', async () => {
    const server = await serverFor({ dataDir: freshDir() });
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
    const server = await serverFor({ dataDir: freshDir() });
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
});

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

describe('rooms leave memory and come back', () => {
  it('an empty room is evicted after the grace period and reloads with all its data', async () => {
    const server = await serverFor({ dataDir: freshDir(), roomGraceMs: 50 });
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
    const dataDir = freshDir();
    const server = await serverFor({ dataDir, compactAfterUpdates: 10 });
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

    const store = new SqliteUpdateStore(openDatabase(dataDir));
    const stored = await store.loadRoom(ROOM);
    await store.close();
    expect(stored.updates.length).toBeLessThan(10);
    const fromDisk = new Y.Doc();
    for (const u of stored.updates) Y.applyUpdate(fromDisk, u);
    expect(fromDisk.getMap('cells').toJSON()).toEqual(a.doc.getMap('cells').toJSON());
    expect(fromDisk.getArray('rows').toJSON()).toEqual(b.doc.getArray('rows').toJSON());
  });

  it('a busy room is compacted while updates keep arriving, and nothing is lost', async () => {
    const dataDir = freshDir();
    const server = await serverFor({ dataDir, compactAfterUpdates: 20 });
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

    const store = new SqliteUpdateStore(openDatabase(dataDir));
    const stored = await store.loadRoom(ROOM);
    await store.close();
    expect(stored.updates.length).toBeLessThan(300);
    const fromDisk = new Y.Doc();
    for (const u of stored.updates) Y.applyUpdate(fromDisk, u);
    expect(fromDisk.getMap('cells').toJSON()).toEqual(a.doc.getMap('cells').toJSON());
    expect(fromDisk.getArray('rows').toJSON()).toEqual(b.doc.getArray('rows').toJSON());
  });
});
