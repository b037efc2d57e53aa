/**
 * UpdateStore on SQLite: the `updates` table, one row per update, written on the main connection
 * (WAL, `synchronous = FULL`: a commit returns once fsynced). The relay's group commit makes one
 * such commit carry every update that arrived meanwhile, so the event loop waits for the disk once
 * per batch; a writer thread cost more CPU in messages and wake-ups than the wait it spared
 * (bench/README, "relay").
 * Invariant: an append batch or a compaction is one transaction, all-or-nothing even after
 * `kill -9`, and its promise resolves only after the commit returned.
 */
import {
  type RoomUpdate,
  type SequencedUpdate,
  type StoredRoom,
  type UpdateStore,
  UpdateStoreError,
} from '../update-store.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

function bytes(data: Buffer): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class SqliteUpdateStore implements UpdateStore {
  /** One AUTOINCREMENT column for every room: the table predates per-room numbering. */
  readonly sequence = 'global' as const;
  readonly #db: SqliteDatabase;
  readonly #select;
  readonly #since;
  readonly #last;
  readonly #rooms;
  readonly #append: (batch: readonly RoomUpdate[]) => number[];
  readonly #compact: (room: string, merged: Uint8Array, upToSeq: number) => number;
  #closed = false;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#select = db.prepare<[string], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE room = ? ORDER BY seq',
    );
    this.#since = db.prepare<[string, number], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE room = ? AND seq > ? ORDER BY seq',
    );
    this.#last = db.prepare<[string], { seq: number | null }>(
      'SELECT max(seq) AS seq FROM updates WHERE room = ?',
    );
    this.#rooms = db.prepare<[], { room: string }>('SELECT DISTINCT room FROM updates ORDER BY room');
    const insert = db.prepare<[string, Uint8Array]>('INSERT INTO updates (room, data) VALUES (?, ?)');
    const insertAt = db.prepare<[number, string, Uint8Array]>(
      'INSERT INTO updates (seq, room, data) VALUES (?, ?, ?)',
    );
    const deleteUpTo = db.prepare<[string, number], { seq: number }>(
      'DELETE FROM updates WHERE room = ? AND seq <= ? RETURNING seq',
    );
    this.#append = db.transaction((batch: readonly RoomUpdate[]) =>
      batch.map(({ room, update }) => Number(insert.run(room, update).lastInsertRowid)),
    );
    this.#compact = db.transaction((room: string, merged: Uint8Array, upToSeq: number) => {
      // The merged row takes the highest seq it replaces: that seq was this room's, so it is free.
      const replaced = deleteUpTo.all(room, upToSeq);
      if (replaced.length === 0) return 0;
      const seq = replaced.reduce((highest, row) => Math.max(highest, row.seq), 0);
      insertAt.run(seq, room, merged);
      return seq;
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
      updates: rows.map((row) => bytes(row.data)),
      lastSeq: rows.length === 0 ? 0 : rows[rows.length - 1]!.seq,
    };
  }

  async loadSince(room: string, afterSeq: number): Promise<SequencedUpdate[]> {
    return this.#since.all(room, afterSeq).map((row) => ({ seq: row.seq, update: bytes(row.data) }));
  }

  async lastSeqs(rooms: readonly string[]): Promise<Map<string, number>> {
    return new Map(rooms.map((room) => [room, this.#last.get(room)?.seq ?? 0]));
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
