/**
 * UpdateStore on SQLite: the `updates` table, one row per update, written on the main connection
 * (WAL, `synchronous = FULL`: a commit returns once fsynced). The relay's group commit makes one
 * such commit carry every update that arrived meanwhile, so the event loop waits for the disk once
 * per batch; a writer thread cost more CPU in messages and wake-ups than the wait it spared
 * (bench/README, "relay").
 * Invariant: an append batch or a compaction is one transaction, all-or-nothing even after
 * `kill -9`, and its promise resolves only after the commit returned.
 */

import type { RoomUpdate, StoredRoom, UpdateStore } from '../update-store.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

export class UpdateStoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export class SqliteUpdateStore implements UpdateStore {
  readonly #db: SqliteDatabase;
  readonly #select;
  readonly #rooms;
  readonly #append: (batch: readonly RoomUpdate[]) => number[];
  readonly #compact: (room: string, merged: Uint8Array, upToSeq: number) => number;
  #closed = false;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#select = db.prepare<[string], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE room = ? ORDER BY seq',
    );
    this.#rooms = db.prepare<[], { room: string }>('SELECT DISTINCT room FROM updates ORDER BY room');
    const insert = db.prepare<[string, Uint8Array]>('INSERT INTO updates (room, data) VALUES (?, ?)');
    const deleteUpTo = db.prepare<[string, number]>('DELETE FROM updates WHERE room = ? AND seq <= ?');
    this.#append = db.transaction((batch: readonly RoomUpdate[]) =>
      batch.map(({ room, update }) => Number(insert.run(room, update).lastInsertRowid)),
    );
    this.#compact = db.transaction((room: string, merged: Uint8Array, upToSeq: number) => {
      deleteUpTo.run(room, upToSeq);
      return Number(insert.run(room, merged).lastInsertRowid);
    });
  }

  /** Runs a write now; a failure becomes a rejected promise with the store's error code. */
  #write<T>(write: () => T): Promise<T> {
    if (this.#closed)
      return Promise.reject(new UpdateStoreError('store-closed', 'the update store is closed'));
    // Inside someone else's transaction the append would be a savepoint, durable only at their
    // COMMIT: refuse rather than report it durable early (the relay never writes from one).
    if (this.#db.inTransaction)
      return Promise.reject(
        new UpdateStoreError('store-in-transaction', 'an append cannot run inside another transaction'),
      );
    try {
      return Promise.resolve(write());
    } catch (error) {
      const { message, code } = error as { message?: string; code?: string };
      return Promise.reject(new UpdateStoreError(code ?? 'store-write-failed', String(message ?? error)));
    }
  }

  async loadRoom(room: string): Promise<StoredRoom> {
    const rows = this.#select.all(room);
    return {
      updates: rows.map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)),
      lastSeq: rows.length === 0 ? 0 : rows[rows.length - 1]!.seq,
    };
  }

  appendUpdates(batch: readonly RoomUpdate[]): Promise<number[]> {
    if (batch.length === 0) return Promise.resolve([]);
    return this.#write(() => this.#append(batch));
  }

  compact(room: string, merged: Uint8Array, upToSeq: number): Promise<number> {
    return this.#write(() => this.#compact(room, merged, upToSeq));
  }

  async listRooms(): Promise<string[]> {
    return this.#rooms.all().map((row) => row.room);
  }

  /** Writes are synchronous, so none is pending: closing closes the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#db.open) this.#db.close();
  }
}
