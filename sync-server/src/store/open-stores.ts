/**
 * Opens the server's stores from its settings: the update log, dataset registry, proposals and
 * accounts on PostgreSQL when a database URL is given, else in the data folder's SQLite file. Invariants: a failure to
 * open is a `StoreStartError` with a stable code and a message naming what failed; on PostgreSQL
 * `exclusive` runs one process at a time across the instance (first-start seeding).
 */
import type { AccessStore } from './access-store.ts';
import type { DatasetRegistry } from './dataset-registry.ts';
import { PostgresAccessStore } from './postgres/postgres-access-store.ts';
import { openPostgres, redactUrl } from './postgres/postgres-database.ts';
import { PostgresDatasetRegistry } from './postgres/postgres-dataset-registry.ts';
import { PostgresProposalStore } from './postgres/postgres-proposal-store.ts';
import { PostgresUpdateStore } from './postgres/postgres-update-store.ts';
import { PostgresWebhookStore } from './postgres/postgres-webhook-store.ts';
import type { ProposalStore } from './proposal-store.ts';
import { openSqliteAccessStore } from './sqlite/sqlite-access-store.ts';
import { openDatabase, type SqliteDatabase } from './sqlite/sqlite-database.ts';
import { SqliteDatasetRegistry } from './sqlite/sqlite-dataset-registry.ts';
import { SqliteProposalStore } from './sqlite/sqlite-proposal-store.ts';
import { SqliteUpdateStore } from './sqlite/sqlite-update-store.ts';
import { SqliteWebhookStore } from './sqlite/sqlite-webhook-store.ts';
import type { UpdateStore } from './update-store.ts';
import type { WebhookStore } from './webhook-store.ts';

export interface ServerStores {
  kind: 'sqlite' | 'postgres';
  /** Where the update log is, for the start message (a URL's password hidden). */
  location: string;
  updates: UpdateStore;
  registry: DatasetRegistry;
  /** Anonymous proposals: beside the update log (PostgreSQL), else in the data folder. */
  proposals: ProposalStore;
  /** Accounts, sessions, hubs, roles, invites, dataset settings: beside the update log. */
  access: AccessStore;
  /** Webhooks, their change-feed cursors and recent deliveries: beside the update log. */
  webhooks: WebhookStore;
  /** The data folder's SQLite file (sign-in limits live there on every backend). */
  folder: SqliteDatabase;
  exclusive<T>(run: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class StoreStartError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export async function openServerStores(dataDir: string, databaseUrl: string | null): Promise<ServerStores> {
  const folder = openDatabase(dataDir);
  if (databaseUrl === null) {
    const updates = new SqliteUpdateStore(folder);
    const proposals = new SqliteProposalStore(folder);
    // This process alone owns the folder: deliver everything again as rooms load, in case a
    // crash came between a delivery mark and the document's update reaching the disk.
    proposals.forgetDeliveries();
    return {
      kind: 'sqlite',
      location: dataDir,
      updates,
      registry: new SqliteDatasetRegistry(folder),
      proposals,
      access: openSqliteAccessStore(folder),
      webhooks: new SqliteWebhookStore(folder),
      folder,
      // The data folder's lock already keeps this process alone.
      exclusive: (run) => run(),
      close: async () => {
        await proposals.close();
        await updates.close();
      },
    };
  }
  let db: Awaited<ReturnType<typeof openPostgres>>;
  let proposalsDb: Awaited<ReturnType<typeof openPostgres>>;
  try {
    db = await openPostgres(databaseUrl);
    // A pool of its own: a delivery holds a connection while the relay appends through `db`'s.
    proposalsDb = await openPostgres(databaseUrl).catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
  } catch (error) {
    folder.close();
    const { code, message } = error as { code?: string; message?: string };
    throw new StoreStartError(
      code === 'database-url-invalid' ? 'database-url-invalid' : 'database-unreachable',
      message ?? String(error),
    );
  }
  const updates = new PostgresUpdateStore(db);
  const proposals = new PostgresProposalStore(proposalsDb);
  return {
    kind: 'postgres',
    location: redactUrl(databaseUrl),
    updates,
    registry: new PostgresDatasetRegistry(db),
    proposals,
    // Accounts, roles and settings are the instance's, shared by every process.
    access: new PostgresAccessStore(db),
    webhooks: new PostgresWebhookStore(db),
    folder,
    async exclusive(run) {
      const client = await db.pool.connect();
      const key = `SELECT hashtextextended('datapatch-first-start:' || current_schema(), 0) AS key`;
      try {
        const { rows } = await client.query<{ key: string }>(key);
        await client.query('SELECT pg_advisory_lock($1)', [rows[0]!.key]);
        try {
          return await run();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [rows[0]!.key]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await proposals.close();
      await updates.close();
      folder.close();
    },
  };
}
