/**
 * UpdateStore: the durable log of Yjs updates, one log per room, implemented per backend
 * (`sqlite/`, `postgres/`) and held to one contract suite (`contract/update-store-contract.ts`).
 * Invariants: `appendUpdates` resolves only once every update is durable (after COMMIT); a room's
 * seqs only grow, in append order; `compact` replaces rows by one merged row atomically, at the
 * highest seq it replaced, so "what the room held at seq s" plus the rows above s is always the
 * whole room — what a process catching up from s needs (`loadSince`).
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

export interface SequencedUpdate {
  seq: number;
  update: Uint8Array;
}

export interface UpdateStore {
  /**
   * How seqs are numbered: 'per-room' means each room counts 1, 2, 3… with no gap, and a reader
   * that sees seq s of a room also sees every lower one (what the cross-process bus relies on);
   * 'global' means one increasing counter shared by all rooms (the embedded SQLite file).
   */
  readonly sequence: 'per-room' | 'global';
  loadRoom(room: string): Promise<StoredRoom>;
  /** The room's rows with seq > `afterSeq`, in seq order (a merged row stands for all below it). */
  loadSince(room: string, afterSeq: number): Promise<SequencedUpdate[]>;
  /** Each room's highest stored seq (0 when it has none), in one read. */
  lastSeqs(rooms: readonly string[]): Promise<Map<string, number>>;
  /** Appends in one transaction; resolves with each update's seq, in order, once committed. */
  appendUpdates(batch: readonly RoomUpdate[]): Promise<number[]>;
  /**
   * Atomically replaces the room's updates with seq <= upToSeq by `merged`, which must hold all
   * of them; the merged row takes the highest seq it replaced, which is what it resolves with
   * (0, and nothing written, when there was no such update).
   */
  compact(room: string, merged: Uint8Array, upToSeq: number): Promise<number>;
  /** Rooms that have at least one stored update. */
  listRooms(): Promise<string[]>;
  close(): Promise<void>;
}

/** An unexpected storage failure, with a stable code (the driver's, or one of the store's own). */
export class UpdateStoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
