/**
 * One opened dataset in the browser: its validated Yjs document, kept on the device by
 * y-indexeddb (readable offline) and synced by y-websocket, read through core's RowIndex
 * into a TinyBase store. Nothing here writes to the document: the hub screens write through
 * @datapatch/core on `doc`, and the store follows those writes like any other.
 * Svelte views depend on `version`, which changes (at most once a frame) after the store did.
 * Opening fast: the server is asked only for what the device's copy lacks (the websocket opens
 * once that copy is read), and a whole dataset is copied into the store in slices between frames
 * (`filling` until done), so the first rows show before the last are copied. A dataset opened
 * before shows its kept first screen (lib/first-screen) until the device's copy is read, never
 * after: that copy, then the server, are the only sources of the rows once it is read.
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
import { CLOSE_FORBIDDEN, CLOSE_UNKNOWN_ROOM, roomName } from '@datapatch/protocol';
import { createStore, type Store } from 'tinybase/store';
import { IndexeddbPersistence, storeState } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { titleField } from '../dataset/title-field.ts';
import {
  type FirstScreen,
  firstScreenStale,
  orderColumns,
  readFirstScreen,
  writeFirstScreen,
} from '../first-screen/first-screen.ts';
import { feedReadModel, ROWS_TABLE } from '../readmodel/feed.ts';
import { SearchIndex } from '../readmodel/search-index.ts';
import type { Sort } from '../readmodel/select.ts';
import { afterPaint, nextTask, whenIdle } from '../scheduling/tasks.ts';
import { type ConnectionState, connectionState, type ProviderStatus } from './connection-state.ts';
import { lastSyncKey, readLastSync } from './last-sync.ts';
import { serverReach } from './server-reach.svelte.ts';

export type DatasetView = 'table' | 'cards';

function deviceStorage(): Storage | null {
  try {
    return localStorage;
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
  /**
   * The server refused this room (a private dataset this visitor may not read, or none by that
   * id): it is not asked again, and the pages say so instead of loading for ever.
   */
  refused = $state(false);
  /** Rows of the document are still being copied into the store (the count is not final). */
  filling = $state(false);
  /**
   * The first screen kept on this device from an earlier visit, shown until the device's copy of
   * the document is read (then null for good). Only for showing: no edit, search or proposal
   * reads it.
   */
  firstScreen = $state.raw<FirstScreen | null>(null);

  // What the citizen was looking at, kept while they open a record and come back.
  query = $state('');
  facets = $state.raw<ReadonlyMap<string, ReadonlySet<string>>>(new Map());
  sort = $state.raw<Sort | null>(null);
  view = $state<DatasetView | null>(null);
  cardsShown = $state(50);

  readonly #index: RowIndex;
  /** The device's copy; opened after the kept first screen is painted, when there is one. */
  #local: IndexeddbPersistence | null = null;
  readonly #provider: WebsocketProvider;
  readonly #stopFeed: () => void;
  #providerStatus: ProviderStatus = 'connecting';
  #frame = 0;
  #destroyed = false;
  #lastSyncWritten = 0;
  /** The document version the kept first screen shows ('' when none is kept). */
  #firstScreenVersion = '';
  #firstScreenTimer = 0;
  readonly #cleanups: (() => void)[] = [];

  constructor(id: string) {
    performance.mark('datapatch:session-opened');
    this.id = id;
    this.lastSyncedAt = readLastSync(id);
    const kept = readFirstScreen(deviceStorage(), id);
    if (kept !== null) {
      this.#firstScreenVersion = kept.version;
      if (kept.ids.length > 0) this.firstScreen = kept;
    }
    const room = roomName(id, 'validated');

    this.#index = new RowIndex(this.doc);
    this.search = new SearchIndex(this.store);
    this.#stopFeed = feedReadModel(this.#index, this.store, {
      slice: FILL_SLICE,
      schedule: nextTask,
      onPending: (pending) => {
        const filling = pending > 0;
        if (filling === this.filling) return;
        this.filling = filling;
        if (filling) return;
        performance.mark('datapatch:rows-copied');
        this.#keepFirstScreenSoon();
        // Fold the rows for search while the citizen reads the first screenful (once per large
        // batch: a row edited later is folded again when a search needs it).
        this.search.warm(whenIdle, WARM_SLICE);
      },
    });
    this.store.addDidFinishTransactionListener(() => this.#changed());

    // 'afterTransaction', not 'update': see below why no 'update' listener may exist early.
    let changedWhileReading = false;
    const onTransaction = (transaction: Y.Transaction) => {
      if (transaction.changed.size === 0 && transaction.deleteSet.clients.size === 0) return;
      if (!this.localLoaded && (this.#local === null || transaction.origin !== this.#local))
        changedWhileReading = true;
      this.#readMeta();
      if (transaction.origin === this.#provider && this.#provider.synced) this.#markSynced();
    };
    this.doc.on('afterTransaction', onTransaction);
    this.#cleanups.push(() => this.doc.off('afterTransaction', onTransaction));

    this.#provider = new WebsocketProvider(syncUrl(), room, this.doc, {
      maxBackoffTime: 5000,
      connect: false,
      // The BroadcastChannel handshake encodes and posts the whole document to other tabs on
      // every connect (5 MB for 30k rows); tabs of the same dataset meet on the server instead.
      disableBc: true,
    });
    // Reading the device's copy applies the whole document in one transaction. While the doc has
    // an 'update' listener, Yjs encodes every transaction back into an update (5 MB and seconds
    // on a phone for 30k rows) only for the providers to store it again or send it nowhere; so
    // they listen only once the copy is read. Connecting before that would also make the
    // server send the whole document again (our state vector would still be empty).
    this.doc.off('update', this.#provider._updateHandler);
    let connectTimer = 0;
    const connect = () => {
      clearTimeout(connectTimer);
      if (this.localLoaded || this.#destroyed) return;
      this.localLoaded = true;
      this.firstScreen = null;
      performance.mark('datapatch:local-copy-read');
      const local = this.#local;
      if (local !== null) this.doc.on('update', local._storeUpdate);
      this.doc.on('update', this.#provider._updateHandler);
      this.#provider.connect();
      // An edit made while reading was not stored: store the whole state once (this throws
      // at once when IndexedDB never opened; the server still has the edit).
      if (changedWhileReading && local !== null) {
        try {
          void storeState(local, true).catch(() => {});
        } catch {
          // Nothing kept on this device this time.
        }
      }
    };
    const openLocal = () => {
      if (this.#destroyed || this.#local !== null) return;
      const local = new IndexeddbPersistence(`datapatch:${room}`, this.doc);
      this.#local = local;
      this.doc.off('update', local._storeUpdate);
      // IndexedDB can be unavailable (some private modes) and then never answers.
      connectTimer = window.setTimeout(connect, LOCAL_READ_PATIENCE_MS);
      local.whenSynced.then(connect, connect);
    };
    this.#cleanups.push(() => clearTimeout(connectTimer));
    // Applying the device's copy is one long task (about a second for 30k rows): started at once,
    // it can land before the browser paints the kept first screen, which then shows no sooner.
    if (this.firstScreen === null) openLocal();
    else afterPaint(openLocal);
    this.#provider.on('status', ({ status }: { status: ProviderStatus }) => {
      this.#providerStatus = status;
      if (status === 'connected') serverReach.answered();
      this.#updateConnection();
    });
    // A connection that closes before it ever opened emits no 'disconnected' status.
    this.#provider.on('connection-close', (event: CloseEvent | null) => {
      if (event !== null && (event.code === CLOSE_FORBIDDEN || event.code === CLOSE_UNKNOWN_ROOM)) {
        // The server answered, and retrying will not change its mind.
        serverReach.answered();
        this.refused = true;
        this.#provider.disconnect();
        return;
      }
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
    this.#keepFirstScreenSoon();
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.version++;
    });
  }

  /** Refreshes the kept first screen a while after the rows settled (at most every few seconds). */
  #keepFirstScreenSoon(): void {
    if (this.#firstScreenTimer !== 0 || !this.localLoaded || this.filling || this.#destroyed) return;
    this.#firstScreenTimer = window.setTimeout(() => {
      whenIdle(() => {
        this.#firstScreenTimer = 0;
        this.#keepFirstScreen();
      });
    }, FIRST_SCREEN_DELAY_MS);
  }

  #keepFirstScreen(): void {
    if (this.#destroyed || !this.localLoaded || this.filling) return;
    const rowIds = this.store.getRowIds(ROWS_TABLE);
    if (rowIds.length === 0 || this.schema.fields.length === 0) return;
    const version = stateVersion(this.doc);
    if (!firstScreenStale({ version: this.#firstScreenVersion }, version)) return;
    const written = writeFirstScreen(deviceStorage(), {
      id: this.id,
      title: this.meta?.title ?? null,
      columns: orderColumns(this.schema.fields, this.nameField),
      total: rowIds.length,
      rowIds,
      row: (rowId) => this.store.getRow(ROWS_TABLE, rowId),
      version,
      now: Date.now(),
    });
    if (written) this.#firstScreenVersion = version;
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

  /** Every live row of the document, even those not yet copied into the store. */
  get rowCount(): number {
    this.version;
    return this.filling ? this.#index.size : this.store.getRowCount(ROWS_TABLE);
  }

  destroy(): void {
    this.#destroyed = true;
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#firstScreenTimer);
    for (const cleanup of this.#cleanups) cleanup();
    this.#stopFeed();
    this.search.destroy();
    this.#provider.destroy();
    void this.#local?.destroy();
    this.#index.destroy();
    this.doc.destroy();
  }
}

const LINGER_MS = 60_000;
/** The first screen is kept this long after the rows last changed (live edits come in bursts). */
const FIRST_SCREEN_DELAY_MS = 3000;

/** The document's state vector as text: the same text, the same document. */
function stateVersion(doc: Y.Doc): string {
  let text = '';
  for (const byte of Y.encodeStateVector(doc)) text += String.fromCharCode(byte);
  return btoa(text);
}
/** Rows copied into the store per task: small enough to keep a frame, big enough to finish soon. */
const FILL_SLICE = 500;
/** Past this, the websocket opens without waiting for the device's copy (a stuck IndexedDB). */
const LOCAL_READ_PATIENCE_MS = 1500;

/** Rows folded for search per idle callback: a few milliseconds, so scrolling keeps its frames. */
const WARM_SLICE = 100;

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
