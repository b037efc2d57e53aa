/**
 * `startServer`: one HTTP server carrying the API, the built app and the sync relay, over one
 * SQLite database in the data folder. Invariant: `close()` stops taking connections, makes
 * every accepted update durable, compacts open rooms and closes the database, in that order.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDataset, readSchema } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { createAdaptorServer } from '@hono/node-server';
import * as Y from 'yjs';
import { type Authorizer, allowEveryone } from './authorizer.ts';
import { refreshSummaryOnEviction } from './dataset-summaries.ts';
import { openDataAccess } from './http/data-routes.ts';
import { createHttpApp } from './http-app.ts';
import { defaultHttpTimeouts, type HttpTimeouts, httpServerOptions } from './http-timeouts.ts';
import type { ImportLimits } from './imports/import-limits.ts';
import type { InstanceConfig } from './instance-config.ts';
import { SyncRelay } from './relay.ts';
import {
  type AccessOptions,
  deliverOnLoad,
  ensureServerDatasets,
  openAccess,
  roomAuthorizer,
  type ServerAccess,
  schemaCache,
  schemaFields,
} from './server-access.ts';
import type { DatasetRegistry } from './store/dataset-registry.ts';
import { openDatabase } from './store/sqlite/sqlite-database.ts';
import { SqliteDatasetRegistry } from './store/sqlite/sqlite-dataset-registry.ts';
import { SqliteUpdateStore } from './store/sqlite/sqlite-update-store.ts';
import type { UpdateStore } from './store/update-store.ts';

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
}

export const defaultSettings: Omit<ServerSettings, 'dataDir' | 'appDir'> = {
  port: 8080,
  host: '127.0.0.1',
  // A 30,000-row import is about 5 MB encoded: room to spare.
  maxMessageBytes: 32 * MIB,
  roomGraceMs: 10_000,
  compactAfterUpdates: 500,
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
}

export interface RunningServer {
  url: string;
  port: number;
  relay: SyncRelay;
  registry: DatasetRegistry;
  access: ServerAccess;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const db = openDatabase(options.dataDir);
  const updates = new SqliteUpdateStore(db);
  const registry = new SqliteDatasetRegistry(db);
  const access = await openAccess(db, options.access);
  if (
    options.onFirstStart &&
    (await updates.listRooms()).length === 0 &&
    (await registry.list()).length === 0
  ) {
    await options.onFirstStart({ updates, registry });
  }
  await settleServerDatasets(access, updates, registry);
  const relay = new SyncRelay({
    store: updates,
    authorizer: options.authorizer ?? (options.openAccess ? allowEveryone : roomAuthorizer(access.deps)),
    onRoomLoaded: deliverOnLoad(access.deps),
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
  const app = createHttpApp({
    registry,
    appDir: options.appDir,
    roomsInMemory: () => relay.roomsInMemory().length,
    relay,
    ...(options.instance ? { instance: options.instance } : {}),
    ...(options.openAccess ? { dataAccess: openDataAccess } : {}),
    ...(options.importLimits ? { importLimits: options.importLimits } : {}),
    accessRoutes: {
      access,
      relay,
      schemaFor: schemaCache((room) =>
        relay.readDocument(room, (doc) => (isDataset(doc) ? readSchema(doc) : undefined)),
      ),
      trustProxy: options.trustProxy ?? false,
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
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    relay,
    registry,
    access,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await relay.close();
        server.closeAllConnections();
        await stopped;
        await updates.close();
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
    if (access.deps.db.prepare('SELECT 1 FROM dataset_settings WHERE dataset_id = ?').get(id)) {
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
  ensureServerDatasets(access.deps, missing);
}
