/**
 * Anonymous proposals across two real `datapatch serve` processes on one PostgreSQL schema and
 * one Redis, with real accounts (no open access): accounts, sessions, dataset settings and the
 * instance secrets live in PostgreSQL, so an address and an idempotency key hash alike on both
 * and the owner's one session reads the pending room on either process.
 */
import { randomBytes } from 'node:crypto';
import { getProposal } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { summarizeDataset } from '../data/dataset-summaries.ts';
import { openPostgres } from '../store/postgres/postgres-database.ts';
import { PostgresDatasetRegistry } from '../store/postgres/postgres-dataset-registry.ts';
import { PostgresProposalStore } from '../store/postgres/postgres-proposal-store.ts';
import { PostgresUpdateStore } from '../store/postgres/postgres-update-store.ts';
import { closeClient, connectClient, waitFor, waitSynced } from '../testing/clients.ts';
import {
  type ClusterProcess,
  type ClusterSettings,
  spawnCluster,
  stopClusterProcess,
} from '../testing/cluster.ts';
import { smallDataset } from '../testing/http-server.ts';
import { createTestSchema, requireServices, TEST_REDIS_URL, testKeyPrefix } from '../testing/services.ts';

const services = await requireServices('the several-process proposal tests', ['postgres', 'redis']);
const LONG = { timeout: 240_000 };
const PENDING = roomName('lieux', 'pending');

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const ADMIN = { email: 'owner@example.org', password: 'a long enough owner passphrase' };

/** A schema with the dataset `lieux` in it (public, proposals open: the servers' own dataset). */
async function cluster(env: NodeJS.ProcessEnv): Promise<{ servers: ClusterProcess[]; databaseUrl: string }> {
  const schema = await createTestSchema();
  cleanups.push(() => schema.drop());
  const db = await openPostgres(schema.url, { maxConnections: 1 });
  const updates = new PostgresUpdateStore(db);
  const doc = smallDataset('lieux', 'Lieux');
  await updates.appendUpdates([{ room: roomName('lieux', 'validated'), update: Y.encodeStateAsUpdate(doc) }]);
  await new PostgresDatasetRegistry(db).upsert(summarizeDataset(doc)!);
  await updates.close();
  const settings: ClusterSettings = {
    databaseUrl: schema.url,
    redisUrl: TEST_REDIS_URL,
    keyPrefix: testKeyPrefix(),
    env: {
      DATAPATCH_TRUST_PROXY: '1',
      // The cluster helper opens every room by default; here the access rules decide.
      DATAPATCH_INSECURE_OPEN_ACCESS: '0',
      DATAPATCH_ADMIN_EMAIL: ADMIN.email,
      DATAPATCH_ADMIN_PASSWORD: ADMIN.password,
      ...env,
    },
  };
  const servers = await spawnCluster(2, settings);
  for (const server of servers) cleanups.push(() => stopClusterProcess(server));
  return { servers, databaseUrl: schema.url };
}

/** The first owner's bearer token, signed in on `server` (sessions are shared in PostgreSQL). */
async function ownerToken(server: ClusterProcess): Promise<string> {
  const answer = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...ADMIN, kind: 'bearer' }),
  });
  expect(answer.status, await answer.clone().text()).toBe(200);
  return ((await answer.json()) as { token: string }).token;
}

async function proposalStore(databaseUrl: string): Promise<PostgresProposalStore> {
  const store = new PostgresProposalStore(await openPostgres(databaseUrl, { maxConnections: 2 }));
  cleanups.push(() => store.close());
  return store;
}

async function post(
  server: ClusterProcess,
  key: string,
  from: string,
): Promise<{ status: number; proposalId?: string; code?: string }> {
  const response = await fetch(`${server.url}/api/datasets/lieux/proposals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({
      kind: 'create',
      proposed: { nom: `Lieu ${key}`, places: 1 },
      idempotencyKey: key,
    }),
  });
  const answer = (await response.json()) as { proposalId?: string; error?: { code: string } };
  return {
    status: response.status,
    ...(answer.proposalId ? { proposalId: answer.proposalId } : {}),
    ...(answer.error ? { code: answer.error.code } : {}),
  };
}

// Without PostgreSQL or Redis these are skipped; requireServices printed why (and fails under CI).
describe.skipIf(!services.available)('proposals across two processes', () => {
  it(
    'the same key sent to both at once makes one proposal; one address keeps one cap and one rate limit',
    LONG,
    async () => {
      const { servers, databaseUrl } = await cluster({
        DATAPATCH_PROPOSALS_PER_ADDRESS: '8',
        DATAPATCH_MAX_PENDING_PER_ADDRESS: '5',
      });
      const [a, b] = servers as [ClusterProcess, ClusterProcess];
      const store = await proposalStore(databaseUrl);

      // Ten keys, each sent to both processes at the same moment, from ten addresses.
      const keys = Array.from(
        { length: 10 },
        (_, i) => `cluster-twin-${i}-${randomBytes(4).toString('hex')}`,
      );
      const twins = await Promise.all(
        keys.map((key, i) => Promise.all([post(a, key, `198.51.100.${i}`), post(b, key, `198.51.100.${i}`)])),
      );
      for (const [first, second] of twins) {
        expect(first.status).toBe(202);
        expect(second.status).toBe(202);
        expect(second.proposalId).toBe(first.proposalId);
      }
      for (const [first] of twins) expect(await store.get(first.proposalId!)).toBeDefined();

      // Twelve posts from one address spread over both: 8 pass the rate limit counted on Redis for
      // both processes, of which 5 fit under the pending cap counted in PostgreSQL.
      const burst = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          post(i % 2 ? b : a, `cluster-burst-${String(i).padStart(8, '0')}`, '203.0.113.9'),
        ),
      );
      const codes = burst.map((answer) => (answer.status === 202 ? 'accepted' : answer.code));
      expect(codes.filter((code) => code === 'accepted')).toHaveLength(5);
      expect(codes.filter((code) => code === 'too_many_pending')).toHaveLength(3);
      expect(codes.filter((code) => code === 'rate_limited')).toHaveLength(4);
      const accepted = burst.filter((answer) => answer.status === 202);
      for (const answer of accepted) expect(await store.get(answer.proposalId!)).toBeDefined();
    },
  );

  it(
    'a stored proposal reaches the pending document once when both processes open the room',
    LONG,
    async () => {
      const { servers, databaseUrl } = await cluster({});
      const [a, b] = servers as [ClusterProcess, ClusterProcess];
      const store = await proposalStore(databaseUrl);
      // Stored but not delivered, as after a crash between the two writes.
      const now = Date.now();
      const id = `stored-${randomBytes(6).toString('hex')}`;
      await store.intake(
        [
          {
            id,
            dataset_id: 'lieux',
            idempotency_key_hash: id,
            receipt_hash: 'h',
            receipt_box: 'b',
            body: JSON.stringify({ kind: 'create', base: {}, proposed: { nom: 'Gymnase', places: 4 } }),
            address_hash: 'a'.repeat(64),
            created_at: now,
            updated_at: now,
            revision: 1,
            delivered_revision: 0,
            settled_at: null,
          },
        ],
        50,
      );
      // The pending room is the moderators': the owner's one session opens it on both.
      const token = await ownerToken(a);
      const readers = [
        connectClient(a.url, PENDING, undefined, token),
        connectClient(b.url, PENDING, undefined, token),
      ];
      for (const reader of readers) cleanups.push(() => closeClient(reader));
      await Promise.all(readers.map((reader) => waitSynced(reader)));
      for (const reader of readers)
        await waitFor(
          () => getProposal(reader.doc, id) !== undefined,
          'the proposal in the pending document',
        );
      // Recorded in the transaction that held the lease, just after the update was broadcast.
      for (let tries = 0; (await store.get(id))?.delivered_revision !== 1; tries++) {
        expect(tries, 'the delivery recorded').toBeLessThan(500);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }

      // In the shared log, exactly one update writes it.
      const db = await openPostgres(databaseUrl, { maxConnections: 1 });
      const updates = new PostgresUpdateStore(db);
      cleanups.push(() => updates.close());
      const logged = await updates.loadSince(PENDING, 0);
      const writers = logged.filter(({ update }) => {
        const alone = new Y.Doc();
        Y.applyUpdate(alone, update);
        return getProposal(alone, id) !== undefined;
      });
      expect(writers).toHaveLength(1);
    },
  );
});
