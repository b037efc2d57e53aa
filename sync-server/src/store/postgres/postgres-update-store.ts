/**
 * UpdateStore on PostgreSQL. An append is one statement (one implicit transaction, one round
 * trip): it bumps each room's counter in `room_sequences` and inserts the updates numbered from
 * it. The counter row stays locked until COMMIT, so a room's appends from any process are
 * numbered in commit order with no gap (a rolled-back append gives its numbers back), and a
 * reader that sees seq s of a room sees every lower one.
 * Invariants: `appendUpdates` resolves after COMMIT (`synchronous_commit = on`); `compact` is
 * one transaction holding the room's compaction lease (an advisory lock), so two processes never
 * compact a room at once.
 */
import type pg from 'pg';
import {
  type RoomUpdate,
  type SequencedUpdate,
  type StoredRoom,
  type UpdateStore,
  UpdateStoreError,
} from '../update-store.ts';
import type { PostgresDatabase } from './postgres-database.ts';

const APPEND = `
  WITH input AS (
    SELECT room, data, ord FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS t(room, data, ord)
  ), counts AS (
    SELECT room, count(*)::bigint AS n FROM input GROUP BY room
  ), bumped AS (
    INSERT INTO room_sequences AS s (room, last_seq)
    SELECT room, n FROM counts ORDER BY room
    ON CONFLICT (room) DO UPDATE SET last_seq = s.last_seq + excluded.last_seq
    RETURNING s.room, s.last_seq
  ), numbered AS (
    SELECT i.ord, i.room, i.data,
           b.last_seq - c.n + row_number() OVER (PARTITION BY i.room ORDER BY i.ord) AS seq
    FROM input i JOIN counts c ON c.room = i.room JOIN bumped b ON b.room = i.room
  ), inserted AS (
    INSERT INTO updates (room, seq, data) SELECT room, seq, data FROM numbered
  )
  SELECT seq FROM numbered ORDER BY ord`;

/** Deadlock and serialisation failures roll the whole statement back: retrying is safe. */
const RETRYABLE = new Set(['40P01', '40001']);
const APPEND_ATTEMPTS = 3;

function toBytes(data: Buffer): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function storeError(error: unknown): UpdateStoreError {
  if (error instanceof UpdateStoreError) return error;
  const { code, message } = error as { code?: string; message?: string };
  return new UpdateStoreError(code ?? 'store-write-failed', String(message ?? error));
}

export class PostgresUpdateStore implements UpdateStore {
  readonly sequence = 'per-room' as const;
  readonly #db: PostgresDatabase;
  readonly #pending = new Set<Promise<unknown>>();
  #closed = false;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  get #pool(): pg.Pool {
    return this.#db.pool;
  }

  /** Runs a write unless closed; `close` waits for the writes in flight. */
  #write<T>(write: () => Promise<T>): Promise<T> {
    if (this.#closed)
      return Promise.reject(new UpdateStoreError('store-closed', 'the update store is closed'));
    const task = write().catch((error: unknown) => {
      throw storeError(error);
    });
    const tracked = task.finally(() => this.#pending.delete(tracked)).catch(() => undefined);
    this.#pending.add(tracked);
    return task;
  }

  async loadRoom(room: string): Promise<StoredRoom> {
    const rows = await this.loadSince(room, 0);
    return { updates: rows.map((row) => row.update), lastSeq: rows.at(-1)?.seq ?? 0 };
  }

  async loadSince(room: string, afterSeq: number): Promise<SequencedUpdate[]> {
    const result = await this.#pool.query<{ seq: string; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE room = $1 AND seq > $2 ORDER BY seq',
      [room, afterSeq],
    );
    return result.rows.map((row) => ({ seq: Number(row.seq), update: toBytes(row.data) }));
  }

  async lastSeqs(rooms: readonly string[]): Promise<Map<string, number>> {
    const seqs = new Map<string, number>(rooms.map((room) => [room, 0]));
    if (rooms.length === 0) return seqs;
    const result = await this.#pool.query<{ room: string; last_seq: string }>(
      'SELECT room, last_seq FROM room_sequences WHERE room = ANY($1::text[])',
      [rooms],
    );
    for (const row of result.rows) seqs.set(row.room, Number(row.last_seq));
    return seqs;
  }

  appendUpdates(batch: readonly RoomUpdate[]): Promise<number[]> {
    if (batch.length === 0) return Promise.resolve([]);
    const rooms = batch.map((item) => item.room);
    const data = batch.map((item) => item.update);
    return this.#write(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await this.#pool.query<{ seq: string }>(APPEND, [rooms, data]);
          return result.rows.map((row) => Number(row.seq));
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (attempt >= APPEND_ATTEMPTS || code === undefined || !RETRYABLE.has(code)) throw error;
        }
      }
    });
  }

  compact(room: string, merged: Uint8Array, upToSeq: number): Promise<number> {
    return this.#write(async () => {
      const client = await this.#pool.connect();
      try {
        await client.query('BEGIN');
        // The room's compaction lease: another process compacting it waits here, then sees
        // this one's merged row and merges over it.
        await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('datapatch-compact:' || $1, 0))`, [
          room,
        ]);
        const replaced = await client.query<{ seq: string | null }>(
          `WITH gone AS (DELETE FROM updates WHERE room = $1 AND seq <= $2 RETURNING seq)
           SELECT max(seq) AS seq FROM gone`,
          [room, upToSeq],
        );
        const seq = Number(replaced.rows[0]?.seq ?? 0);
        if (seq > 0)
          await client.query('INSERT INTO updates (room, seq, data) VALUES ($1, $2, $3)', [
            room,
            seq,
            merged,
          ]);
        await client.query('COMMIT');
        return seq;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    });
  }

  async listRooms(): Promise<string[]> {
    const result = await this.#pool.query<{ room: string }>(
      'SELECT DISTINCT room FROM updates ORDER BY room',
    );
    return result.rows.map((row) => row.room);
  }

  /** Waits for the writes in flight, then closes the pool. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
    await this.#db.close();
  }
}
