/**
 * One side of `datapatch store copy`, as each backend exposes it: its tables read from its own
 * schema (so tables added by later migrations are copied without code here), their rows in
 * batches, and the update log room by room. Invariants: a side lives in one transaction from
 * open to `finish` (a source reads one snapshot; a target commits all or nothing); bookkeeping
 * tables (migrations, counters derived from the log) and the update log are not in `tables()`.
 */

/** A cell as the drivers give it; each backend turns what it cannot store into what it can. */
export type Cell = string | number | bigint | boolean | null | Uint8Array | Date | object;
export type Row = Record<string, Cell>;

export interface TableShape {
  name: string;
  columns: string[];
  /** Tables this one's foreign keys point to (rows there must be inserted first). */
  references: string[];
}

export interface LoggedUpdate {
  seq: number;
  data: Uint8Array;
}

export interface InstanceSide {
  /** For messages: the folder, or the URL without its password. */
  readonly description: string;
  /** As `UpdateStore.sequence`: 'global' seqs are unique across rooms, 'per-room' are not. */
  readonly sequence: 'global' | 'per-room';
  tables(): Promise<TableShape[]>;
  rows(table: string, columns: readonly string[]): AsyncIterable<Row[]>;
  count(table: string): Promise<number>;
  rooms(): Promise<string[]>;
  roomLog(room: string): Promise<LoggedUpdate[]>;
  /** Ends the transaction: commit (a target's writes) or roll back; then closes the side. */
  finish(commit: boolean): Promise<void>;
}

export interface WritableInstanceSide extends InstanceSide {
  insert(table: string, columns: readonly string[], rows: readonly Row[]): Promise<void>;
  /** Appends a room's log; `keepSeqs` writes the given seqs, else the backend numbers them in order. */
  appendRoomLog(room: string, updates: readonly LoggedUpdate[], keepSeqs: boolean): Promise<void>;
  /** Deletes every row of `tables`, in that order, and the whole update log. */
  clear(tables: readonly string[]): Promise<void>;
  /** After inserts with explicit ids: counters (sequences) moved past the highest id copied. */
  settle(tables: readonly string[]): Promise<void>;
}
