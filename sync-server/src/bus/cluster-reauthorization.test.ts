/**
 * Re-authorisation announcements between two processes' modules in this test process, on a
 * Redis key prefix of their own (and a private redis-server for the outage).
 */
import { CLOSE_FORBIDDEN } from '@datapatch/protocol';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEMO_DATASET_ID, seedDemoDataset } from '../data/demo-dataset.ts';
import type { Authorizer } from '../relay/authorizer.ts';
import { defaultSettings, type RunningServer, startServer } from '../server/server.ts';
import { openPostgres } from '../store/postgres/postgres-database.ts';
import { PostgresDatasetRegistry } from '../store/postgres/postgres-dataset-registry.ts';
import { PostgresUpdateStore } from '../store/postgres/postgres-update-store.ts';
import { closeCode, openRawSocket, syncUrl, temporaryDataDir, waitFor } from '../testing/clients.ts';
import {
  type ClusterProcess,
  spawnCluster,
  startPrivateRedis,
  stopClusterProcess,
} from '../testing/cluster.ts';
import { ADMIN } from '../testing/http-server.ts';
import { createTestSchema, requireServices, TEST_REDIS_URL, testKeyPrefix } from '../testing/services.ts';
import { ClusterReauthorization } from './cluster-reauthorization.ts';

const services = await requireServices('the cross-process re-authorisation tests', ['redis']);

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function joinCluster(redisUrl: string, keyPrefix: string) {
  const asked: (string | null)[] = [];
  const cluster = await ClusterReauthorization.connect({
    redisUrl,
    keyPrefix,
    reauthorize: async (datasetId) => {
      asked.push(datasetId);
    },
  });
  cleanups.push(() => cluster.close());
  return { cluster, asked };
}

// Without Redis these are skipped: requireServices printed why (and fails them under CI=true).
describe.skipIf(!services.available)(
  'a change of rights on one process re-checks sockets on the others',
  () => {
    it('the other processes re-check the named dataset (or every room), the sender does not', async () => {
      const prefix = testKeyPrefix();
      const [a, b, c] = [
        await joinCluster(TEST_REDIS_URL, prefix),
        await joinCluster(TEST_REDIS_URL, prefix),
        await joinCluster(TEST_REDIS_URL, prefix),
      ];
      const elsewhere = await joinCluster(TEST_REDIS_URL, testKeyPrefix());
      await a.cluster.announce('lieux');
      await b.cluster.announce(null);
      await waitFor(
        () => a.asked.length === 1 && b.asked.length === 1 && c.asked.length === 2,
        'the announcements',
      );
      expect(a.asked).toEqual([null]);
      expect(b.asked).toEqual(['lieux']);
      expect(c.asked).toEqual(['lieux', null]);
      // Another instance on the same Redis (another prefix) hears nothing.
      await a.cluster.announce('lieux');
      await waitFor(() => b.asked.length === 2, 'the third announcement');
      expect(elsewhere.asked).toEqual([]);
    });

    it('a message that is not an announcement is ignored', async () => {
      const prefix = testKeyPrefix();
      const b = await joinCluster(TEST_REDIS_URL, prefix);
      const raw = new Redis(TEST_REDIS_URL);
      cleanups.push(() => void raw.disconnect());
      for (const payload of ['not json', '{"datasetId":"x"}', '{"sender":"s","datasetId":7}', '[]'])
        await raw.publish(`${prefix}reauthorize`, payload);
      await raw.publish(
        `${prefix}reauthorize`,
        JSON.stringify({ sender: 'another process', datasetId: 'ok' }),
      );
      await waitFor(() => b.asked.length > 0, 'the valid announcement');
      expect(b.asked).toEqual(['ok']);
    });

    it('announcements lost while Redis was away: every room is re-checked when it is back', async () => {
      const redis = await startPrivateRedis();
      cleanups.push(() => redis.stop());
      const prefix = testKeyPrefix();
      const [a, b] = [await joinCluster(redis.url, prefix), await joinCluster(redis.url, prefix)];
      await redis.kill();
      // Lost: Redis is down; the announce itself must not fail the route that made it.
      await a.cluster.announce('lieux');
      await redis.restart();
      await waitFor(() => b.asked.includes(null), 'the re-check after Redis came back', 20_000);
      expect(b.asked).not.toContain('lieux');
      // And announcements flow again, once the sender's connection is back too.
      const deadline = Date.now() + 15_000;
      while (!b.asked.includes('lieux') && Date.now() < deadline) {
        await a.cluster.announce('lieux');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(b.asked).toContain('lieux');
    });
  },
);

const withDatabase = await requireServices('re-authorisation between two servers', ['postgres', 'redis']);

// Without PostgreSQL and Redis this is skipped: requireServices printed why (and fails under CI=true).
describe.skipIf(!withDatabase.available)(
  'through the routes of two servers on one PostgreSQL and Redis',
  () => {
    it('a sign-out on one server closes, on the other, the sockets its authorizer now refuses', async () => {
      const schema = await createTestSchema();
      cleanups.push(() => schema.drop());
      const prefix = testKeyPrefix();
      // Accounts are not shared between processes yet: both servers ask one shared rule instead.
      let refused = false;
      const authorizer: Authorizer = () => (refused ? 'none' : 'write');
      const servers: RunningServer[] = [];
      for (let i = 0; i < 2; i++) {
        const data = temporaryDataDir();
        cleanups.push(data.remove);
        const server = await startServer({
          ...defaultSettings,
          port: 0,
          appDir: null,
          dataDir: data.dir,
          databaseUrl: schema.url,
          redisUrl: TEST_REDIS_URL,
          redisKeyPrefix: prefix,
          openAccess: true,
          authorizer,
          access: { admin: { DATAPATCH_ADMIN_EMAIL: ADMIN.email, DATAPATCH_ADMIN_PASSWORD: ADMIN.password } },
        });
        cleanups.push(() => server.close());
        servers.push(server);
      }
      const [a, b] = servers as [RunningServer, RunningServer];
      const sockets = [
        await openRawSocket(a.url, 'ds/x/validated'),
        await openRawSocket(b.url, 'ds/y/validated'),
      ];
      const closed = sockets.map(closeCode);

      const login = await fetch(`${a.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password, kind: 'bearer' }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      refused = true;
      const logout = await fetch(`${a.url}/api/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(logout.status).toBe(200);
      expect(await Promise.all(closed)).toEqual([CLOSE_FORBIDDEN, CLOSE_FORBIDDEN]);
    });
  },
);

const LONG = { timeout: 120_000 };

/** `fetch` with a JSON body and a bearer token; resolves with the status and the JSON answer. */
async function call(url: string, method: string, body: unknown, token?: string) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

// Without PostgreSQL and Redis this is skipped: requireServices printed why (and fails under CI=true).
describe.skipIf(!withDatabase.available)(
  'two server processes with accounts on one PostgreSQL and Redis',
  () => {
    it('a role removed on one process closes that person’s socket on the other', LONG, async () => {
      const schema = await createTestSchema();
      cleanups.push(() => schema.drop());
      // The demo dataset, as a first start seeds it (child test servers start with --no-demo).
      const db = await openPostgres(schema.url, { maxConnections: 1 });
      const updates = new PostgresUpdateStore(db);
      await seedDemoDataset({ updates, registry: new PostgresDatasetRegistry(db) });
      await updates.close();
      const servers = await spawnCluster(2, {
        databaseUrl: schema.url,
        redisUrl: TEST_REDIS_URL,
        keyPrefix: testKeyPrefix(),
        env: {
          DATAPATCH_INSECURE_OPEN_ACCESS: '0',
          DATAPATCH_ADMIN_EMAIL: ADMIN.email,
          DATAPATCH_ADMIN_PASSWORD: ADMIN.password,
        },
      });
      for (const server of servers) cleanups.push(() => stopClusterProcess(server));
      const [one, two] = servers as [ClusterProcess, ClusterProcess];
      const dataset = `${one.url}/api/datasets/${DEMO_DATASET_ID}`;

      const owner = await call(`${one.url}/api/auth/login`, 'POST', { ...ADMIN, kind: 'bearer' });
      expect(owner.status).toBe(200);
      const ownerToken = owner.json.token as string;
      // Private: without a role the editor may not even read, so losing it closes the socket.
      expect((await call(`${dataset}/settings`, 'PUT', { visibility: 'private' }, ownerToken)).status).toBe(
        200,
      );
      const invite = await call(`${dataset}/invites`, 'POST', { role: 'editor' }, ownerToken);
      expect(invite.status).toBe(201);
      const editor = { email: 'editrice@example.org', password: 'a long enough editor password' };
      const joined = await call(`${two.url}/api/invites/${invite.json.token as string}/join`, 'POST', {
        ...editor,
        name: 'Éditrice',
      });
      expect(joined.status).toBe(201);
      const login = await call(`${two.url}/api/auth/login`, 'POST', { ...editor, kind: 'bearer' });
      expect(login.status).toBe(200);

      const room = `ds/${DEMO_DATASET_ID}/validated`;
      const socket = new WebSocket(`${syncUrl(two.url)}/${room}?token=${login.json.token as string}`);
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const closed = closeCode(socket);
      const revoked = await call(`${dataset}/roles`, 'PUT', { email: editor.email, role: null }, ownerToken);
      expect(revoked.status).toBe(200);
      expect(await closed).toBe(CLOSE_FORBIDDEN);
    });
  },
);
