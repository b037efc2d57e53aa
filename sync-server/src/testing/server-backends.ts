/**
 * The update-log backends a server test can run on: the data folder's SQLite, and PostgreSQL in
 * a schema of its own per test (dropped by `dispose`). Invariant: PostgreSQL is listed with
 * `available: false` (and the reason printed by `requireServices`) when it does not answer, and
 * under CI=true its absence fails the file instead.
 */
import { openPostgres } from '../store/postgres/postgres-database.ts';
import { PostgresUpdateStore } from '../store/postgres/postgres-update-store.ts';
import { openDatabase } from '../store/sqlite/sqlite-database.ts';
import { SqliteUpdateStore } from '../store/sqlite/sqlite-update-store.ts';
import type { UpdateStore } from '../store/update-store.ts';
import { createTestSchema, requireServices } from './services.ts';

export interface BackendStorage {
  /** For `startTestServer` / `startServer`. */
  databaseUrl: string | null;
  /** For `spawnServer`'s extra arguments. */
  args: string[];
  /** A store on the same update log, as another process would open it. */
  openStore(): Promise<UpdateStore>;
  dispose(): Promise<void>;
}

export interface ServerBackend {
  name: 'SQLite' | 'PostgreSQL';
  available: boolean;
  open(dataDir: string): Promise<BackendStorage>;
}

export async function serverBackends(what: string): Promise<ServerBackend[]> {
  const postgres = await requireServices(`${what} on PostgreSQL`, ['postgres']);
  return [
    {
      name: 'SQLite',
      available: true,
      async open(dataDir) {
        return {
          databaseUrl: null,
          args: [],
          openStore: async () => new SqliteUpdateStore(openDatabase(dataDir)),
          dispose: async () => undefined,
        };
      },
    },
    {
      name: 'PostgreSQL',
      available: postgres.available,
      async open() {
        const schema = await createTestSchema();
        return {
          databaseUrl: schema.url,
          args: ['--database-url', schema.url],
          openStore: async () =>
            new PostgresUpdateStore(await openPostgres(schema.url, { maxConnections: 2 })),
          dispose: () => schema.drop(),
        };
      },
    },
  ];
}
