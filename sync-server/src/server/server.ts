/**
 * `startServer`: one HTTP server carrying the API, the built app and the sync relay, over the
 * data folder's SQLite database, or with the update log on PostgreSQL and rooms kept in step
 * with other processes through Redis. Invariants: one server per data folder (its lock); several
 * processes share accounts, roles and proposals through PostgreSQL (only sign-in limits stay per
 * data folder) and re-check each other's sockets after a change of rights (cluster-reauthorization);
 * `close()` stops taking connections, makes every accepted update durable, compacts open rooms
 * and closes the stores, in that order.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDataset, readSchema } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { createAdaptorServer } from '@hono/node-server';
import * as Y from 'yjs';
import { ClusterReauthorization } from '../bus/cluster-reauthorization.ts';
import { RedisBus } from '../bus/redis-bus.ts';
import { refreshSummaryOnEviction } from '../data/dataset-summaries.ts';
import type { ImportLimits } from '../data/imports/import-limits.ts';
import { roomsOfDataset } from '../http/access-guard.ts';
import { createHttpApp } from '../http/app.ts';
import { changesReader, feedRoleOf } from '../http/change-routes.ts';
import { openDataAccess } from '../http/data-routes.ts';
import { defaultHttpTimeouts, type HttpTimeouts, httpServerOptions } from '../http/timeouts.ts';
import { PendingDelivery } from '../proposals/pending-delivery.ts';
import { type Authorizer, allowEveryone } from '../relay/authorizer.ts';
import { SyncRelay } from '../relay/relay.ts';
import type { DatasetRegistry } from '../store/dataset-registry.ts';
import { openServerStores, StoreStartError } from '../store/open-stores.ts';
import type { ProposalStore } from '../store/proposal-store.ts';
import { openRedisLimiters, type RedisLimiters } from '../store/redis/redis-rate-limits.ts';
import { lockDataFolder } from '../store/sqlite/data-folder-lock.ts';
import type { UpdateStore } from '../store/update-store.ts';
import { type DelivererOptions, WebhookDeliverer } from '../webhooks/deliverer.ts';
import {
  type AccessOptions,
  ensureServerDatasets,
  openAccess,
  roomAuthorizer,
  type ServerAccess,
  schemaCache,
  schemaFields,
} from './access-wiring.ts';
import type { InstanceConfig } from './instance-config.ts';

export const MIB = 1024 * 1024;

export interface ServerSettings {
  port: number;
  host: string;
  dataDir: string;
  /** Built app folder; null or missing folder: API and sync only. */
  appDir: string | null;
  maxMessageBytes: number;
  roomGraceMs: number;
  compactAfterUpdates: number;
  /** PostgreSQL for the update log and dataset list; null: the data folder's SQLite. */
  databaseUrl: string | null;
  /** Redis that keeps rooms in step with other processes; needs `databaseUrl`. */
  redisUrl: string | null;
}

export const defaultSettings: Omit<ServerSettings, 'dataDir' | 'appDir'> = {
  port: 8080,
  host: '127.0.0.1',
  // A 30,000-row import is about 5 MB encoded: room to spare.
  maxMessageBytes: 32 * MIB,
  roomGraceMs: 10_000,
  compactAfterUpdates: 500,
  databaseUrl: null,
  redisUrl: null,
};

export interface StartOptions extends ServerSettings {
  /** Replaces the accounts-and-roles authorizer of websocket rooms (tests). */
  authorizer?: Authorizer;
  /** Tests only: every room writable by anyone and the data API open, as before accounts. */
  openAccess?: boolean;
  /** First owner from the environment, proposal limits, secure cookies. */
  access?: AccessOptions;
  /** Read the client address from X-Forwarded-For (only behind your own proxy). */
  trustProxy?: boolean;
  /** Runs once the database is open, before the first connection (e.g. the demo dataset). */
  onFirstStart?: (stores: { updates: UpdateStore; registry: DatasetRegistry }) => Promise<void>;
  onStoreFailure?: (error: unknown) => void;
  /** Served to the app at `GET /api/config` (basemap of the map view). */
  instance?: InstanceConfig;
  /** Budgets and concurrency of imports (default `defaultImportLimits`). */
  importLimits?: Partial<ImportLimits>;
  /** How long the HTTP server waits for slow clients (default `defaultHttpTimeouts`). */
  httpTimeouts?: Partial<HttpTimeouts>;
  /** Channel prefix on Redis (several instances, or tests, on one Redis). */
  redisKeyPrefix?: string;
  /** Tests: how long the bus lets a gap or a lagging room wait before it reads the store. */
  busTiming?: { gapWaitMs?: number; catchUpIntervalMs?: number };
  /** Webhook delivery: private destinations allowed (tests), retry and sweep timing. */
  webhooks?: Partial<Omit<DelivererOptions, 'store' | 'readChanges'>>;
}

export { StoreStartError };

export interface RunningServer {
  url: string;
  port: number;
  relay: SyncRelay;
  registry: DatasetRegistry;
  access: ServerAccess;
  proposals: ProposalStore;
  /** Where the update log is: the data folder, or the database URL without its password. */
  storage: string;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  if (options.redisUrl !== null && options.databaseUrl === null)
    throw new StoreStartError('redis-needs-database', 'several processes need --database-url');
  const lock = lockDataFolder(options.dataDir);
  if (lock === null)
    throw new StoreStartError('data-folder-in-use', `another server is using ${options.dataDir}`);
  let stores: Awaited<ReturnType<typeof openServerStores>>;
  let bus: RedisBus | null = null;
  let reauthorization: ClusterReauthorization | null = null;
  // Bound to the relay once it exists; announcements before that have no socket to re-check.
  let reauthorizeHere = async (_datasetId: string | null): Promise<void> => undefined;
  let limiters: RedisLimiters | null = null;
  try {
    stores = await openServerStores(options.dataDir, options.databaseUrl);
    if (options.redisUrl !== null) {
      const prefix = options.redisKeyPrefix ?? 'datapatch:';
      limiters = await openRedisLimiters(options.redisUrl, `${prefix}rate:`).catch(async (error: unknown) => {
        await stores.close();
        const { code, message } = error as { code?: string; message?: string };
        throw new StoreStartError(code ?? 'redis-unreachable', message ?? String(error));
      });
      bus = await RedisBus.connect({
        redisUrl: options.redisUrl,
        store: stores.updates,
        ...(options.redisKeyPrefix ? { keyPrefix: options.redisKeyPrefix } : {}),
        ...options.busTiming,
      }).catch(async (error: unknown) => {
        await limiters?.close();
        await stores.close();
        const { code, message } = error as { code?: string; message?: string };
        throw new StoreStartError(code ?? 'redis-unreachable', message ?? String(error));
      });
      reauthorization = await ClusterReauthorization.connect({
        redisUrl: options.redisUrl,
        ...(options.redisKeyPrefix ? { keyPrefix: options.redisKeyPrefix } : {}),
        reauthorize: (datasetId) => reauthorizeHere(datasetId),
      }).catch(async (error: unknown) => {
        await bus?.close();
        await limiters?.close();
        await stores.close();
        const { code, message } = error as { code?: string; message?: string };
        throw new StoreStartError(code ?? 'redis-unreachable', message ?? String(error));
      });
    }
  } catch (error) {
    lock.release();
    throw error;
  }
  const { updates, registry } = stores;
  const access = await openAccess(stores.access, stores.folder, {
    ...options.access,
    // Several processes: every rate limit counts them all together.
    ...(limiters ? { limiterStore: limiters.store } : {}),
  });
  const onFirstStart = options.onFirstStart;
  if (onFirstStart) {
    // Several processes may start on one empty database: one seeds, the others find it done.
    await stores.exclusive(async () => {
      if ((await updates.listRooms()).length === 0 && (await registry.list()).length === 0)
        await onFirstStart({ updates, registry });
    });
  }
  await settleServerDatasets(access, updates, registry);
  const pendingDelivery = new PendingDelivery(stores.proposals);
  const relay = new SyncRelay({
    store: updates,
    ...(bus ? { hooks: bus } : {}),
    authorizer: options.authorizer ?? (options.openAccess ? allowEveryone : roomAuthorizer(access.deps)),
    onRoomLoaded: pendingDelivery.roomLoaded,
    maxMessageBytes: options.maxMessageBytes,
    roomGraceMs: options.roomGraceMs,
    compactAfterUpdates: options.compactAfterUpdates,
    onRoomEvicted: refreshSummaryOnEviction(registry),
    onStoreFailure:
      options.onStoreFailure ??
      ((error) => {
        // Durability cannot be promised any more: stop, clients keep their data and resync later.
        console.error('datapatch: the database refused an append, stopping', error);
        process.exit(1);
      }),
  });
  bus?.attach(relay);
  const webhooks = new WebhookDeliverer({
    allowPrivate: false,
    ...options.webhooks,
    store: stores.webhooks,
    readChanges: changesReader({ relay, roleOf: feedRoleOf(access.deps.store) }),
  });
  pendingDelivery.attach(relay);
  reauthorizeHere = (datasetId) => relay.reauthorize(roomsOfDataset(datasetId));
  const app = createHttpApp({
    registry,
    appDir: options.appDir,
    roomsInMemory: () => relay.roomsInMemory().length,
    relay,
    ...(options.instance ? { instance: options.instance } : {}),
    trustProxy: options.trustProxy ?? false,
    ...(options.openAccess ? { dataAccess: openDataAccess } : {}),
    ...(options.importLimits ? { importLimits: options.importLimits } : {}),
    webhooks: {
      store: stores.webhooks,
      deliverer: webhooks,
      allowPrivate: options.webhooks?.allowPrivate ?? false,
    },
    accessRoutes: {
      access,
      proposals: stores.proposals,
      relay,
      schemaFor: schemaCache((room) =>
        relay.readDocument(room, (doc) => (isDataset(doc) ? readSchema(doc) : undefined)),
      ),
      trustProxy: options.trustProxy ?? false,
      ...(reauthorization
        ? { announceReauthorization: (id: string | null) => reauthorization.announce(id) }
        : {}),
    },
  });
  const server = createAdaptorServer({
    fetch: app.fetch,
    serverOptions: httpServerOptions({ ...defaultHttpTimeouts, ...options.httpTimeouts }),
  }) as Server;
  server.on('upgrade', (request, socket, head) => {
    if (!relay.handleUpgrade(request, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  webhooks.start();
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    relay,
    registry,
    access,
    proposals: stores.proposals,
    storage: stores.kind === 'sqlite' ? `SQLite in ${stores.location}` : `PostgreSQL at ${stores.location}`,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await webhooks.stop();
        await relay.close();
        server.closeAllConnections();
        await stopped;
        await reauthorization?.close();
        await bus?.close();
        await limiters?.close();
        await stores.close();
        lock.release();
      })();
      return closing;
    },
  };
}

/** Datasets in the registry without access settings (the demo, CLI imports) get the server's. */
async function settleServerDatasets(
  access: ServerAccess,
  updates: UpdateStore,
  registry: DatasetRegistry,
): Promise<void> {
  const missing: { id: string; fields: string[] }[] = [];
  for (const { id } of await registry.list()) {
    if (await access.deps.store.datasetSettings(id)) {
      missing.push({ id, fields: [] }); // settings kept; still given an owner if it has none
      continue;
    }
    const stored = await updates.loadRoom(roomName(id, 'validated'));
    const doc = new Y.Doc();
    Y.transact(doc, () => {
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    });
    missing.push({ id, fields: isDataset(doc) ? schemaFields(doc) : [] });
    doc.destroy();
  }
  await ensureServerDatasets(access.deps, missing);
}
