/**
 * UpdateStore on SQLite: the `updates` table, one row per update. Writes go to a writer thread
 * (sqlite-writer.worker.mjs) so that waiting for the disk never stalls the relay; reads use the
 * main connection (WAL lets them run beside the writer).
 * Invariant: an append batch or a compaction is one transaction, all-or-nothing even after
 * `kill -9`, and its promise resolves only after the commit returned.
 */
import { type TransferListItem, Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './sqlite-database.ts';
import type { RoomUpdate, StoredRoom, UpdateStore } from './update-store.ts';

export type SqliteSynchronous = 'FULL' | 'NORMAL';

export class UpdateStoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

type WriterReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; message: string; code?: string };

export class SqliteUpdateStore implements UpdateStore {
  readonly #db: SqliteDatabase;
  readonly #select;
  readonly #rooms;
  readonly #writer: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: unknown) => void }
  >();
  #nextId = 1;
  #closed: Promise<void> | null = null;

  constructor(db: SqliteDatabase, synchronous: SqliteSynchronous = 'FULL') {
    this.#db = db;
    this.#select = db.prepare<[string], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE room = ? ORDER BY seq',
    );
    this.#rooms = db.prepare<[], { room: string }>('SELECT DISTINCT room FROM updates ORDER BY room');
    this.#writer = new Worker(new URL('./sqlite-writer.worker.mjs', import.meta.url), {
      workerData: { file: db.name, synchronous },
    });
    this.#writer.on('message', (reply: WriterReply) => {
      const waiting = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (!waiting) return;
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(new UpdateStoreError(reply.code ?? 'store-write-failed', reply.message));
    });
    this.#writer.on('error', (error) => this.#failAll(error));
    this.#writer.on('exit', () =>
      this.#failAll(new UpdateStoreError('store-closed', 'the SQLite writer stopped')),
    );
  }

  #failAll(error: unknown): void {
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }

  #write<T>(request: Record<string, unknown>, transfer: TransferListItem[] = []): Promise<T> {
    if (this.#closed)
      return Promise.reject(new UpdateStoreError('store-closed', 'the update store is closed'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#writer.postMessage({ id, ...request }, transfer);
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
    // One buffer for the whole batch, moved to the writer rather than copied. Posting the updates
    // themselves would copy each one's whole ArrayBuffer: an update read from a websocket is a
    // view into a socket buffer often many times its size.
    let total = 0;
    for (const { update } of batch) total += update.byteLength;
    const bytes = new Uint8Array(total);
    const rooms: string[] = [];
    const ends: number[] = [];
    for (const { room, update } of batch) {
      bytes.set(update, ends.length === 0 ? 0 : ends[ends.length - 1]!);
      rooms.push(room);
      ends.push((ends.length === 0 ? 0 : ends[ends.length - 1]!) + update.byteLength);
    }
    return this.#write<number[]>({ op: 'append', rooms, ends, bytes }, [bytes.buffer]);
  }

  async compact(room: string, merged: Uint8Array, upToSeq: number): Promise<number> {
    return this.#write<number>({ op: 'compact', room, merged, upToSeq });
  }

  async listRooms(): Promise<string[]> {
    return this.#rooms.all().map((row) => row.room);
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      // Writes already posted are answered first: the worker handles messages in order.
      const exited = new Promise<void>((resolve) => this.#writer.once('exit', () => resolve()));
      this.#writer.postMessage({ op: 'close' });
      await exited;
      if (this.#db.open) this.#db.close();
    })();
    return this.#closed;
  }
}
