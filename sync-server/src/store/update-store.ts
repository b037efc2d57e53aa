/**
 * UpdateStore: the durable log of Yjs updates, one log per room. Adapters (SQLite today,
 * PostgreSQL later) implement it; the relay never touches a database directly.
 * Invariants: `appendUpdates` resolves only once every update is durable; `compact` replaces the
 * updates with seq <= upToSeq by one merged update atomically, so a reader sees either the old
 * rows or the merged one, never a mix that loses content.
 */

export interface RoomUpdate {
  room: string;
  update: Uint8Array;
}

export interface StoredRoom {
  /** Updates in append order; apply them all (order does not matter to Yjs). */
  updates: Uint8Array[];
  /** Highest seq among `updates`, 0 when the room is empty. */
  lastSeq: number;
}

export interface UpdateStore {
  loadRoom(room: string): Promise<StoredRoom>;
  /** Appends in one transaction; resolves with each update's seq, in order. */
  appendUpdates(batch: readonly RoomUpdate[]): Promise<number[]>;
  /** Atomically replaces the room's updates with seq <= upToSeq by `merged`; resolves with its seq. */
  compact(room: string, merged: Uint8Array, upToSeq: number): Promise<number>;
  /** Rooms that have at least one stored update. */
  listRooms(): Promise<string[]>;
  close(): Promise<void>;
}
