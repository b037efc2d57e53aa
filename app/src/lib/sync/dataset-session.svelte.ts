/**
 * One opened dataset in the browser: its validated Yjs document, kept on the device by
 * y-indexeddb (readable offline) and synced by y-websocket, read through core's RowIndex
 * into a TinyBase store. Nothing here writes to the document: the hub screens write through
 * @datapatch/core on `doc`, and the store follows those writes like any other.
 * Svelte views depend on `version`, which changes (at most once a frame) after the store did.
 */
import {
  type DatasetMeta,
  type Field,
  isDataset,
  RowIndex,
  readMeta,
  readSchema,
  type TableSchema,
} from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { createStore, type Store } from 'tinybase/store';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { titleField } from '../dataset/title-field.ts';
import { feedReadModel, ROWS_TABLE } from '../readmodel/feed.ts';
import { SearchIndex } from '../readmodel/search-index.ts';
import type { Sort } from '../readmodel/select.ts';
import { type ConnectionState, connectionState, type ProviderStatus } from './connection-state.ts';

export type DatasetView = 'table' | 'cards';

function lastSyncKey(id: string): string {
  return `datapatch:lastSync:${id}`;
}

function readLastSync(id: string): number | null {
  try {
    const value = Number(localStorage.getItem(lastSyncKey(id)));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

function syncUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
}

export class DatasetSession {
  readonly id: string;
  readonly doc = new Y.Doc();
  readonly store: Store = createStore();
  readonly search: SearchIndex;

  meta = $state.raw<DatasetMeta | null>(null);
  schema = $state.raw<TableSchema>({ fields: [] });
  /** Changes after every change of the read model; read it to depend on the rows. */
  version = $state(0);
  connection = $state<ConnectionState>('syncing');
  lastSyncedAt = $state<number | null>(null);
  /** The copy kept on this device has been read (maybe empty: first visit). */
  localLoaded = $state(false);
  /** The server confirmed the document at least once in this session. */
  serverSynced = $state(false);

  // What the citizen was looking at, kept while they open a record and come back.
  query = $state('');
  facets = $state.raw<ReadonlyMap<string, ReadonlySet<string>>>(new Map());
  sort = $state.raw<Sort | null>(null);
  view = $state<DatasetView | null>(null);
  cardsShown = $state(50);

  readonly #index: RowIndex;
  readonly #local: IndexeddbPersistence;
  readonly #provider: WebsocketProvider;
  readonly #stopFeed: () => void;
  #providerStatus: ProviderStatus = 'connecting';
  #frame = 0;
  #lastSyncWritten = 0;
  readonly #cleanups: (() => void)[] = [];

  constructor(id: string) {
    this.id = id;
    this.lastSyncedAt = readLastSync(id);
    const room = roomName(id, 'validated');

    this.#index = new RowIndex(this.doc);
    this.#stopFeed = feedReadModel(this.#index, this.store);
    this.search = new SearchIndex(this.store);
    this.store.addDidFinishTransactionListener(() => this.#changed());

    const onDocUpdate = (_update: Uint8Array, origin: unknown) => {
      this.#readMeta();
      if (origin === this.#provider && this.#provider.synced) this.#markSynced();
    };
    this.doc.on('update', onDocUpdate);
    this.#cleanups.push(() => this.doc.off('update', onDocUpdate));

    this.#local = new IndexeddbPersistence(`datapatch:${room}`, this.doc);
    this.#local.whenSynced.then(
      () => {
        this.localLoaded = true;
      },
      () => {
        this.localLoaded = true;
      },
    );

    this.#provider = new WebsocketProvider(syncUrl(), room, this.doc, { maxBackoffTime: 5000 });
    this.#provider.on('status', ({ status }: { status: ProviderStatus }) => {
      this.#providerStatus = status;
      this.#updateConnection();
    });
    // A connection that closes before it ever opened emits no 'disconnected' status.
    this.#provider.on('connection-close', () => {
      this.#providerStatus = 'disconnected';
      this.#updateConnection();
    });
    this.#provider.on('sync', (synced: boolean) => {
      if (synced) {
        this.serverSynced = true;
        this.#markSynced();
      }
      this.#updateConnection();
    });
    const onBrowserChange = () => this.#updateConnection();
    window.addEventListener('online', onBrowserChange);
    window.addEventListener('offline', onBrowserChange);
    this.#cleanups.push(() => {
      window.removeEventListener('online', onBrowserChange);
      window.removeEventListener('offline', onBrowserChange);
    });
    this.#readMeta();
  }

  #readMeta(): void {
    if (!isDataset(this.doc)) return;
    try {
      const meta = readMeta(this.doc);
      if (JSON.stringify(meta) !== JSON.stringify(this.meta)) this.meta = meta;
      const schema = readSchema(this.doc);
      if (JSON.stringify(schema) !== JSON.stringify(this.schema)) this.schema = schema;
    } catch {
      // A document still arriving can lack its metadata: keep what we had.
    }
  }

  #markSynced(): void {
    const now = Date.now();
    this.lastSyncedAt = now;
    // The device remembers it, at most every few seconds.
    if (now - this.#lastSyncWritten > 5000) {
      this.#lastSyncWritten = now;
      try {
        localStorage.setItem(lastSyncKey(this.id), String(now));
      } catch {
        // Shown for this visit only.
      }
    }
  }

  #updateConnection(): void {
    this.connection = connectionState(this.connection, {
      browserOnline: navigator.onLine,
      provider: this.#providerStatus,
      synced: this.#provider.synced,
    });
  }

  #changed(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.version++;
    });
  }

  get fields(): Field[] {
    return this.schema.fields;
  }

  /** The room's Yjs awareness: the hub screens publish who is here and on which cell. */
  get awareness(): WebsocketProvider['awareness'] {
    return this.#provider.awareness;
  }

  /** The field that names a record, judged on the schema and the first rows. */
  readonly nameField = $derived.by(() => {
    void this.version;
    const sample = this.store
      .getRowIds(ROWS_TABLE)
      .slice(0, 200)
      .map((id) => this.store.getRow(ROWS_TABLE, id));
    return titleField(this.schema.fields, this.schema.primaryKey, sample);
  });

  get rowCount(): number {
    this.version;
    return this.store.getRowCount(ROWS_TABLE);
  }

  destroy(): void {
    cancelAnimationFrame(this.#frame);
    for (const cleanup of this.#cleanups) cleanup();
    this.#stopFeed();
    this.search.destroy();
    this.#provider.destroy();
    void this.#local.destroy();
    this.#index.destroy();
    this.doc.destroy();
  }
}

const LINGER_MS = 60_000;
const sessions = new Map<string, { session: DatasetSession; users: number; timer: number }>();

/**
 * The session of a dataset, shared by its pages. Give it back with `releaseSession`; it
 * stays open a minute after its last user, so going from the list to a record and back
 * does not reload anything.
 */
export function acquireSession(id: string): DatasetSession {
  let entry = sessions.get(id);
  if (entry === undefined) {
    entry = { session: new DatasetSession(id), users: 0, timer: 0 };
    sessions.set(id, entry);
  }
  clearTimeout(entry.timer);
  entry.users++;
  return entry.session;
}

export function releaseSession(session: DatasetSession): void {
  const entry = sessions.get(session.id);
  if (entry === undefined || entry.session !== session) return;
  entry.users--;
  if (entry.users > 0) return;
  entry.timer = window.setTimeout(() => {
    sessions.delete(session.id);
    session.destroy();
  }, LINGER_MS);
}
