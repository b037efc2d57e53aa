/**
 * A relay and a dataset registry on a temporary SQLite data folder, for tests of the HTTP routes
 * that read datasets. `close` ends the relay, the store and removes the folder; call it once.
 */
import { SyncRelay } from '../relay/relay.ts';
import { openDatabase } from '../store/sqlite/sqlite-database.ts';
import { SqliteDatasetRegistry } from '../store/sqlite/sqlite-dataset-registry.ts';
import { SqliteUpdateStore } from '../store/sqlite/sqlite-update-store.ts';
import { temporaryDataDir } from './clients.ts';

export interface DataRelayHarness {
  relay: SyncRelay;
  registry: SqliteDatasetRegistry;
  close: () => Promise<void>;
}

export function dataRelayHarness(): DataRelayHarness {
  const data = temporaryDataDir();
  const db = openDatabase(data.dir);
  const store = new SqliteUpdateStore(db);
  const registry = new SqliteDatasetRegistry(db);
  const relay = new SyncRelay({
    store,
    maxMessageBytes: 32 * 1024 * 1024,
    roomGraceMs: 60_000,
    compactAfterUpdates: 500,
    onStoreFailure: (error) => {
      throw error;
    },
  });
  return {
    relay,
    registry,
    close: async () => {
      await relay.close();
      await store.close();
      data.remove();
    },
  };
}
