import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './sqlite-database.ts';
import { SqliteUpdateStore } from './sqlite-update-store.ts';
import { temporaryDataDir } from './testing/clients.ts';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function openStore(): { store: SqliteUpdateStore; reopen: () => SqliteUpdateStore } {
  const data = temporaryDataDir();
  cleanups.push(data.remove);
  const open = () => {
    const store = new SqliteUpdateStore(openDatabase(data.dir));
    cleanups.push(() => store.close());
    return store;
  };
  return { store: open(), reopen: open };
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
