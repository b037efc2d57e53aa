/**
 * For the access tests: a real server with accounts and roles on port 0, a first owner from the
 * environment, two small datasets ('lieux' public with proposals open, 'secret' private) and one
 * bearer token per role. Not used in production.
 */
import { createDataset } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import * as Y from 'yjs';
import { createSession, grantRole, type Role, updateDatasetSettings } from '../access/index.ts';
import { summarizeDataset } from '../data/dataset-summaries.ts';
import { defaultSettings, type RunningServer, type StartOptions, startServer } from '../server/server.ts';
import { insertTestUser } from './access-dependencies.ts';
import { temporaryDataDir } from './clients.ts';

export const ADMIN = { email: 'owner@example.org', password: 'correct horse battery staple' };
export const ROLE_NAMES = ['anonymous', 'stranger', 'reader', 'editor', 'moderator', 'owner'] as const;
export type Who = (typeof ROLE_NAMES)[number];

export function smallDataset(datasetId: string, title: string): Y.Doc {
  const doc = new Y.Doc();
  createDataset(
    doc,
    {
      meta: { datasetId, title, licence: 'etalab-2.0' },
      schema: {
        fields: [
          { name: 'nom', type: 'string', constraints: { required: true } },
          { name: 'horaires', type: 'string' },
          { name: 'places', type: 'integer', constraints: { minimum: 0 } },
        ],
      },
      rows: [
        { nom: 'Mairie', horaires: '9h-17h', places: 3 },
        { nom: 'Piscine', horaires: '10h-20h', places: 0 },
      ],
    },
    { id: 'test-seed' },
  );
  return doc;
}

export interface AccessTestServer {
  server: RunningServer;
  /** Bearer token of each signed-in role (not 'anonymous'). */
  tokens: Record<Exclude<Who, 'anonymous'>, string>;
  userIds: Record<Exclude<Who, 'anonymous'>, string>;
  headers(who: Who, extra?: Record<string, string>): Record<string, string>;
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function startAccessServer(overrides: Partial<StartOptions> = {}): Promise<AccessTestServer> {
  const data = temporaryDataDir();
  const server = await startServer({
    ...defaultSettings,
    port: 0,
    appDir: null,
    dataDir: data.dir,
    roomGraceMs: 60_000,
    access: {
      admin: { DATAPATCH_ADMIN_EMAIL: ADMIN.email, DATAPATCH_ADMIN_PASSWORD: ADMIN.password },
      intakeLimits: {
        perAddress: { points: 100_000, durationSeconds: 600 },
        perDataset: { points: 100_000, durationSeconds: 3600 },
        invalidPerAddress: { points: 100_000, durationSeconds: 600 },
        maxPendingPerAddress: 100_000,
      },
    },
    onFirstStart: async ({ updates, registry }) => {
      for (const [id, title] of [
        ['lieux', 'Lieux'],
        ['secret', 'Secret'],
      ] as const) {
        const doc = smallDataset(id, title);
        await updates.appendUpdates([
          { room: roomName(id, 'validated'), update: Y.encodeStateAsUpdate(doc) },
        ]);
        const summary = summarizeDataset(doc);
        if (summary) await registry.upsert(summary);
        doc.destroy();
      }
    },
    ...overrides,
  });
  const deps = server.access.deps;
  const owner = (await deps.store.findUserByEmail(ADMIN.email))!.id;
  await updateDatasetSettings(deps, { datasetId: 'secret', by: owner, changes: { visibility: 'private' } });
  const userIds = { owner } as AccessTestServer['userIds'];
  const tokens = {
    owner: (await createSession(deps, owner, { kind: 'bearer' })).token,
  } as AccessTestServer['tokens'];
  for (const who of ['stranger', 'reader', 'editor', 'moderator'] as const) {
    const id = await insertTestUser(deps, who);
    userIds[who] = id;
    tokens[who] = (await createSession(deps, id, { kind: 'bearer' })).token;
    if (who === 'stranger') continue;
    for (const datasetId of ['lieux', 'secret']) {
      await grantRole(deps, { datasetId, by: owner, subject: { kind: 'user', id }, role: who as Role });
    }
  }
  return {
    server,
    tokens,
    userIds,
    dataDir: data.dir,
    headers: (who, extra = {}) => ({
      ...(who === 'anonymous' ? {} : { authorization: `Bearer ${tokens[who]}` }),
      ...extra,
    }),
    async cleanup() {
      await server.close();
      data.remove();
    },
  };
}
