/**
 * The outbox's stores in IndexedDB (idb-keyval: one object store per database), so proposals
 * and receipts survive reloads, restarts and going offline. Values are structured clones.
 */
import { createStore, del, get, set, values } from 'idb-keyval';
import type { KeyValueStore } from './outbox.ts';

export function indexedDbStore<T>(database: string): KeyValueStore<T> {
  const store = createStore(database, 'entries');
  return {
    get: (key) => get<T>(key, store),
    set: (key, value) => set(key, value, store),
    delete: (key) => del(key, store),
    values: () => values<T>(store),
  };
}
