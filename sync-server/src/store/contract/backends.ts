/**
 * The backends the contract suite runs against, each opened fresh and empty per test: SQLite in
 * a temporary data folder, PostgreSQL in a schema of its own (dropped by `dispose`). `another()`
 * is a second, independent handle on the same data, as a second process would hold.
 */
import { PostgresAccessStore } from '../../store/postgres/postgres-access-store.ts';
import { openPostgres } from '../../store/postgres/postgres-database.ts';
import { PostgresDatasetRegistry } from '../../store/postgres/postgres-dataset-registry.ts';
import { PostgresProposalStore } from '../../store/postgres/postgres-proposal-store.ts';
import { PostgresUpdateStore } from '../../store/postgres/postgres-update-store.ts';
import { PostgresWebhookStore } from '../../store/postgres/postgres-webhook-store.ts';
import { temporaryDataDir } from '../../testing/clients.ts';
import { createTestSchema } from '../../testing/services.ts';
import type { AccessStore } from '../access-store.ts';
import type { DatasetRegistry } from '../dataset-registry.ts';
import type { ProposalStore } from '../proposal-store.ts';
import { openSqliteAccessStore } from '../sqlite/sqlite-access-store.ts';
import { openDatabase } from '../sqlite/sqlite-database.ts';
import { SqliteDatasetRegistry } from '../sqlite/sqlite-dataset-registry.ts';
import { SqliteProposalStore } from '../sqlite/sqlite-proposal-store.ts';
import { SqliteUpdateStore } from '../sqlite/sqlite-update-store.ts';
import { SqliteWebhookStore } from '../sqlite/sqlite-webhook-store.ts';
import type { UpdateStore } from '../update-store.ts';
import type { WebhookStore } from '../webhook-store.ts';

export interface StoreHandle {
  updates: UpdateStore;
  registry: DatasetRegistry;
  proposals: ProposalStore;
  access: AccessStore;
  webhooks: WebhookStore;
}

export interface OpenBackend extends StoreHandle {
  another(): Promise<StoreHandle>;
  /** Makes every later insert into the update log fail, as a full disk would; returns the undo. */
  refuseWrites(): Promise<() => Promise<void>>;
  dispose(): Promise<void>;
}

export interface StoreBackend {
  name: string;
  /** Whether several processes may hold handles at once (else one process owns the data). */
  shared: boolean;
  open(): Promise<OpenBackend>;
}

export const sqliteBackend: StoreBackend = {
  name: 'SQLite',
  shared: false,
  async open() {
    const data = temporaryDataDir();
    const handles: (UpdateStore | ProposalStore)[] = [];
    const handle = (): StoreHandle & { db: ReturnType<typeof openDatabase> } => {
      const db = openDatabase(data.dir);
      const updates = new SqliteUpdateStore(db);
      const proposals = new SqliteProposalStore(db, { marksDelayMs: 1 });
      handles.push(proposals, updates);
      return {
        db,
        updates,
        registry: new SqliteDatasetRegistry(db),
        proposals,
        access: openSqliteAccessStore(db),
        webhooks: new SqliteWebhookStore(db),
      };
    };
    const first = handle();
    return {
      updates: first.updates,
      registry: first.registry,
      proposals: first.proposals,
      access: first.access,
      webhooks: first.webhooks,
      another: async () => handle(),
      async refuseWrites() {
        first.db.exec(
          `CREATE TRIGGER refuse BEFORE INSERT ON updates BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
        );
        return async () => {
          first.db.exec('DROP TRIGGER refuse');
        };
      },
      async dispose() {
        for (const opened of handles) await opened.close();
        data.remove();
      },
    };
  },
};

export const postgresBackend: StoreBackend = {
  name: 'PostgreSQL',
  shared: true,
  async open() {
    const schema = await createTestSchema();
    const handles: (UpdateStore | ProposalStore)[] = [];
    const handle = async () => {
      const db = await openPostgres(schema.url, { maxConnections: 4 });
      const updates = new PostgresUpdateStore(db);
      const proposals = new PostgresProposalStore(await openPostgres(schema.url, { maxConnections: 4 }));
      handles.push(proposals, updates);
      return {
        db,
        updates,
        registry: new PostgresDatasetRegistry(db),
        proposals,
        access: new PostgresAccessStore(db),
        webhooks: new PostgresWebhookStore(db),
      };
    };
    const first = await handle();
    return {
      updates: first.updates,
      registry: first.registry,
      proposals: first.proposals,
      access: first.access,
      webhooks: first.webhooks,
      another: handle,
      async refuseWrites() {
        await first.db.pool.query(
          `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk says no'; END $$;
           CREATE TRIGGER refuse BEFORE INSERT ON updates FOR EACH ROW EXECUTE FUNCTION refuse();`,
        );
        return async () => {
          await first.db.pool.query('DROP TRIGGER refuse ON updates; DROP FUNCTION refuse();');
        };
      },
      async dispose() {
        for (const opened of handles) await opened.close();
        await schema.drop();
      },
    };
  },
};
