/**
 * Copies a whole instance from one side to another, table by table then room by room, and checks
 * the copy before it commits. Invariants: it holds no database handle (each side is its backend's);
 * it copies every table both sides have (so tables added by later migrations need no change
 * here), parents before children; the target is written in one transaction that commits only
 * when row counts per table and every room's Yjs state are equal on both sides, else nothing
 * is written; a non-empty target is refused unless `replace`.
 */
import * as Y from 'yjs';
import type { InstanceSide, LoggedUpdate, TableShape, WritableInstanceSide } from './instance-tables.ts';

export type CopyRefusal = 'target-not-empty' | 'copy-not-equal';

export class CopyError extends Error {
  readonly code: CopyRefusal;
  constructor(code: CopyRefusal, message: string) {
    super(message);
    this.code = code;
  }
}

export interface CopyReport {
  /** Rows copied per table, in the order they were written. */
  tables: { name: string; rows: number }[];
  /** Source tables with rows that the target has no table for (their rows stay behind). */
  leftBehind: string[];
  rooms: number;
  updates: number;
  /** The target numbered the update log itself (same order, other seqs). */
  renumbered: boolean;
}

export interface CopyOptions {
  replace?: boolean;
}

export async function copyInstance(
  source: InstanceSide,
  target: WritableInstanceSide,
  options: CopyOptions = {},
): Promise<CopyReport> {
  let committed = false;
  try {
    const sourceTables = await source.tables();
    const targetTables = await target.tables();
    const targetByName = new Map(targetTables.map((table) => [table.name, table]));
    const order = parentsFirst(targetTables);

    const empty = (await Promise.all(targetTables.map((t) => target.count(t.name)))).every((n) => n === 0);
    if (!(empty && (await target.rooms()).length === 0)) {
      if (!options.replace)
        throw new CopyError(
          'target-not-empty',
          `${target.description} already holds an instance (use --replace)`,
        );
      await target.clear([...order].reverse());
    }

    const sourceByName = new Map(sourceTables.map((table) => [table.name, table]));
    const leftBehind: string[] = [];
    for (const table of sourceTables) {
      if (!targetByName.has(table.name) && (await source.count(table.name)) > 0) leftBehind.push(table.name);
    }
    const copied: { name: string; rows: number }[] = [];
    for (const name of order) {
      const from = sourceByName.get(name);
      if (!from) continue;
      const into = new Set(targetByName.get(name)!.columns);
      const columns = from.columns.filter((column) => into.has(column));
      let rows = 0;
      for await (const batch of source.rows(name, columns)) {
        await target.insert(name, columns, batch);
        rows += batch.length;
      }
      copied.push({ name, rows });
    }
    await target.settle(copied.map((table) => table.name));

    // A data folder numbers all rooms in one sequence: per-room seqs from PostgreSQL would collide.
    const keepSeqs = source.sequence === 'global' || target.sequence === 'per-room';
    const rooms = await source.rooms();
    const expected = new Map<string, { rows: number; state: Y.Snapshot }>();
    let updates = 0;
    for (const room of rooms) {
      const log = await source.roomLog(room);
      await target.appendRoomLog(room, log, keepSeqs);
      expected.set(room, { rows: log.length, state: stateOf(log) });
      updates += log.length;
    }

    const differences: string[] = [];
    for (const { name, rows } of copied) {
      const [there, here] = [await source.count(name), await target.count(name)];
      if (there !== here || rows !== there)
        differences.push(`${name}: ${there} rows in the source, ${here} copied`);
    }
    const targetRooms = await target.rooms();
    if (targetRooms.length !== rooms.length)
      differences.push(`${rooms.length} documents in the source, ${targetRooms.length} copied`);
    for (const room of targetRooms) {
      const want = expected.get(room);
      const log = await target.roomLog(room);
      if (!want) differences.push(`document ${room} is not in the source`);
      else if (log.length !== want.rows || !Y.equalSnapshots(stateOf(log), want.state))
        differences.push(`document ${room} differs from the source`);
    }
    if (differences.length > 0) throw new CopyError('copy-not-equal', differences.join('; '));

    await target.finish(true);
    committed = true;
    return { tables: copied, leftBehind, rooms: rooms.length, updates, renumbered: !keepSeqs };
  } finally {
    if (!committed) await target.finish(false).catch(() => undefined);
    await source.finish(false);
  }
}

/** What a room's log adds up to: which changes it holds and which it deletes. */
function stateOf(log: readonly LoggedUpdate[]): Y.Snapshot {
  const doc = new Y.Doc({ gc: false });
  try {
    // One merged update applies much faster than many small ones, to the same state.
    if (log.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(log.map((update) => update.data)));
    return Y.snapshot(doc);
  } finally {
    doc.destroy();
  }
}

/** Table names with every table after those its foreign keys point to (cycles: as listed). */
export function parentsFirst(tables: readonly TableShape[]): string[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: string[] = [];
  const visit = (name: string) => {
    if (done.has(name) || visiting.has(name) || !byName.has(name)) return;
    visiting.add(name);
    for (const parent of byName.get(name)!.references) if (parent !== name) visit(parent);
    visiting.delete(name);
    done.add(name);
    order.push(name);
  };
  for (const table of tables) visit(table.name);
  return order;
}
