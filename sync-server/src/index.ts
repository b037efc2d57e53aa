/**
 * @datapatch/sync-server: the relay, its storage interfaces and the server, for the API work
 * (issues 3-4), end-to-end tests and benchmarks. The command line is src/cli.ts.
 */

export { DEMO_DATASET_ID, seedDemoDataset } from './data/demo-dataset.ts';
export { HttpErrorCode } from './http/app.ts';
export { type AccessLevel, type Authorizer, allowEveryone } from './relay/authorizer.ts';
export { type RelayOptions, SYNC_PATH_PREFIX, SyncRelay } from './relay/relay.ts';
export {
  defaultSettings,
  type RunningServer,
  type ServerSettings,
  type StartOptions,
  startServer,
} from './server/server.ts';
export type { DatasetRegistry, DatasetSummary } from './store/dataset-registry.ts';
export { openPostgres } from './store/postgres/postgres-database.ts';
export { PostgresDatasetRegistry } from './store/postgres/postgres-dataset-registry.ts';
export { PostgresUpdateStore } from './store/postgres/postgres-update-store.ts';
export { openDatabase } from './store/sqlite/sqlite-database.ts';
export { SqliteDatasetRegistry } from './store/sqlite/sqlite-dataset-registry.ts';
export { SqliteUpdateStore } from './store/sqlite/sqlite-update-store.ts';
export type { RoomUpdate, SequencedUpdate, StoredRoom, UpdateStore } from './store/update-store.ts';
