import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from '../testing/child-server.ts';
import {
  closeClient,
  connectClient,
  type TestClient,
  temporaryDataDir,
  waitFor,
  waitSynced,
} from '../testing/clients.ts';
import { type BackendStorage, type ServerBackend, serverBackends } from '../testing/server-backends.ts';

const ROOM = 'ds/durable/validated';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const backends = await serverBackends('the durability suite');

async function serve(dataDir: string, storage: BackendStorage): Promise<ChildServer> {
  const server = await spawnServer(dataDir, storage.args);
  cleanups.push(async () => {
    server.process.kill('SIGKILL');
    await server.exited;
  });
  return server;
}

/** A fresh data folder and update log on `backend`, removed after the test. */
async function freshStorage(backend: ServerBackend): Promise<{ dir: string; storage: BackendStorage }> {
  const data = temporaryDataDir();
  cleanups.push(data.remove);
  const storage = await backend.open(data.dir);
  cleanups.push(() => storage.dispose());
  return { dir: data.dir, storage };
}

async function join(server: ChildServer): Promise<TestClient> {
  const c = connectClient(server.url, ROOM);
  cleanups.push(() => closeClient(c));
  await waitSynced(c);
  return c;
}

for (const backend of backends) {
  // PostgreSQL is skipped only when it does not answer: requireServices printed why (CI fails instead).
  describe.skipIf(!backend.available)(
    `every update broadcast before a crash survives it (${backend.name})`,
    () => {
      it('kill -9 while a client is writing: what a peer received is all there after restart', async () => {
        const data = await freshStorage(backend);
        const first = await serve(data.dir, data.storage);
        const [writer, peer] = [await join(first), await join(first)];

        // The writer keeps writing; the kill lands in the middle of the stream.
        let writing = true;
        let written = 0;
        const writeLoop = (async () => {
          while (writing) {
            writer.doc.getMap('cells').set(`k${written}`, written);
            written++;
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        })();
        await waitFor(
          () => peer.doc.getMap('cells').size >= 150,
          'the peer to receive a good part of the stream',
        );
        first.process.kill('SIGKILL');
        expect(await first.exited).toBe('SIGKILL');
        writing = false;
        await writeLoop;
        const received = [...peer.doc.getMap('cells').keys()];
        closeClient(writer);
        closeClient(peer);

        const second = await serve(data.dir, data.storage);
        const after = await join(second);
        const kept = new Set(after.doc.getMap('cells').keys());
        const lost = received.filter((key) => !kept.has(key));
        expect(lost).toEqual([]);
        expect(received.length).toBeGreaterThanOrEqual(150);
      });

      it('SIGTERM stops cleanly (exit 0) and a restart has every edit', async () => {
        const data = await freshStorage(backend);
        const first = await serve(data.dir, data.storage);
        const writer = await join(first);
        for (let k = 0; k < 50; k++) writer.doc.getMap('cells').set(`k${k}`, k);
        const peer = await join(first);
        await waitFor(() => peer.doc.getMap('cells').size === 50, 'the edits to reach the server');
        first.process.kill('SIGTERM');
        expect(await first.exited).toBe(0);
        closeClient(writer);
        closeClient(peer);

        const second = await serve(data.dir, data.storage);
        const after = await join(second);
        expect(after.doc.getMap('cells').size).toBe(50);
      });
    },
  );
}
