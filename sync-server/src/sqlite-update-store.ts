/**
 * UpdateStore on SQLite (better-sqlite3, synchronous): the `updates` table, one row per update.
 * Invariant: every method runs in one SQLite transaction, so an append batch or a compaction is
 * all-or-nothing even after `kill -9`.
 */
import type { SqliteDatabase } from './sqlite-database.ts';
import type { RoomUpdate, StoredRoom, UpdateStore } from './update-store.ts';

export class SqliteUpdateStore implements UpdateStore {
  readonly #db: SqliteDatabase;
  readonly #select;
  readonly #insert;
  readonly #deleteUpTo;
  readonly #rooms;
  readonly #appendBatch;
  readonly #compact;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#select = db.prepare<[string], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE room = ? ORDER BY seq',
    );
    this.#insert = db.prepare<[string, Uint8Array]>('INSERT INTO updates (room, data) VALUES (?, ?)');
    this.#deleteUpTo = db.prepare<[string, number]>('DELETE FROM updates WHERE room = ? AND seq <= ?');
    this.#rooms = db.prepare<[], { room: string }>('SELECT DISTINCT room FROM updates ORDER BY room');
    this.#appendBatch = db.transaction((batch: readonly RoomUpdate[]) =>
      batch.map(({ room, update }) => Number(this.#insert.run(room, update).lastInsertRowid)),
    );
    this.#compact = db.transaction((room: string, merged: Uint8Array, upToSeq: number) => {
      this.#deleteUpTo.run(room, upToSeq);
      return Number(this.#insert.run(room, merged).lastInsertRowid);
    });
  }

  async loadRoom(room: string): Promise<StoredRoom> {
    const rows = this.#select.all(room);
    return {
      updates: rows.map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)),
      lastSeq: rows.length === 0 ? 0 : rows[rows.length - 1]!.seq,
    };
  }

  async appendUpdates(batch: readonly RoomUpdate[]): Promise<number[]> {
    if (batch.length === 0) return [];
    return this.#appendBatch(batch);
  }

  async compact(room: string, merged: Uint8Array, upToSeq: number): Promise<number> {
    return this.#compact(room, merged, upToSeq);
  }

  async listRooms(): Promise<string[]> {
    return this.#rooms.all().map((row) => row.room);
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
