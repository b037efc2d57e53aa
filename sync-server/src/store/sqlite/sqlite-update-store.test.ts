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

describe('the SQLite update store keeps every update byte for byte', () => {
  it('a batch of updates cut from one larger buffer comes back exactly, per room, in order', async () => {
    const { store, reopen } = openStore();
    // Like updates read from websockets: views into a buffer much larger than themselves.
    const socketBuffer = new Uint8Array(64 * 1024).map((_, i) => i % 251);
    const a1 = socketBuffer.subarray(10, 13);
    const b1 = socketBuffer.subarray(1000, 1100);
    const a2 = socketBuffer.subarray(5, 6);
    const seqs = await store.appendUpdates([
      { room: 'a', update: a1 },
      { room: 'b', update: b1 },
      { room: 'a', update: a2 },
    ]);
    expect(seqs).toHaveLength(3);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    // The caller's buffers are untouched (copied into the batch, not moved away).
    expect(socketBuffer.byteLength).toBe(64 * 1024);
    await store.close();

    const again = reopen();
    const a = await again.loadRoom('a');
    expect(a.updates.map((u) => [...u])).toEqual([[...a1], [...a2]]);
    expect(a.lastSeq).toBe(seqs[2]);
    expect((await again.loadRoom('b')).updates.map((u) => [...u])).toEqual([[...b1]]);
    expect(await again.listRooms()).toEqual(['a', 'b']);
  });

  it('compaction replaces the updates up to a seq by the merged one, later ones stay', async () => {
    const { store } = openStore();
    const [s1, , s3] = await store.appendUpdates(
      [1, 2, 3].map((n) => ({ room: 'r', update: Uint8Array.of(n) })),
    );
    const later = await store.appendUpdates([{ room: 'r', update: Uint8Array.of(4) }]);
    const merged = await store.compact('r', Uint8Array.of(9, 9), s3!);
    expect(merged).toBeGreaterThan(s1!);
    const stored = await store.loadRoom('r');
    expect(stored.updates.map((u) => [...u]).sort()).toEqual([[4], [9, 9]]);
    expect(later).toHaveLength(1);
  });
});

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

  it('a closed store refuses writes', async () => {
    const { store } = openStore();
    await store.close();
    await expect(store.appendUpdates([{ room: 'r', update: Uint8Array.of(1) }])).rejects.toMatchObject({
      code: 'store-closed',
    });
  });
});
