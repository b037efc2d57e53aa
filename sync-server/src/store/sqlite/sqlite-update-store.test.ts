/** What only the SQLite adapter does; what every store promises is in ../contract/. */
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../../testing/clients.ts';
import { openDatabase, type SqliteDatabase } from './sqlite-database.ts';
import { SqliteUpdateStore } from './sqlite-update-store.ts';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function openStore(): { store: SqliteUpdateStore; db: SqliteDatabase; reopen: () => SqliteUpdateStore } {
  const data = temporaryDataDir();
  cleanups.push(data.remove);
  let db: SqliteDatabase | null = null;
  const open = () => {
    db = openDatabase(data.dir);
    const store = new SqliteUpdateStore(db);
    cleanups.push(() => store.close());
    return store;
  };
  const store = open();
  return { store, db: db!, reopen: open };
}

describe('the SQLite update store says when it could not write', () => {
  it('a failed write is a rejected promise with a code, and the log keeps what it had', async () => {
    const { store, db } = openStore();
    await store.appendUpdates([{ room: 'r', update: Uint8Array.of(1) }]);
    // A trigger stands for a disk that refuses the write (full, read-only): SQLite raises.
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON updates BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    const failed = store.appendUpdates([
      { room: 'r', update: Uint8Array.of(2) },
      { room: 'r', update: Uint8Array.of(3) },
    ]);
    await expect(failed).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_TRIGGER',
      message: 'disk says no',
    });
    db.exec('DROP TRIGGER refuse');
    expect((await store.loadRoom('r')).updates.map((u) => [...u])).toEqual([[1]]);
  });

  it('refuses to append inside another transaction, where the append would not be durable yet', async () => {
    const { store, db } = openStore();
    let inside: Promise<number[]> | null = null;
    db.transaction(() => {
      inside = store.appendUpdates([{ room: 'r', update: Uint8Array.of(1) }]);
    })();
    await expect(inside).rejects.toMatchObject({ code: 'store-in-transaction' });
    expect((await store.loadRoom('r')).updates).toEqual([]);
  });
});
