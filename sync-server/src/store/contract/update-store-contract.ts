/**
 * What every UpdateStore promises, stated once and run against each backend (contract.test.ts).
 * A new backend passes this whole file before the relay may use it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenBackend, StoreBackend } from './backends.ts';

const bytes = (...values: number[]) => Uint8Array.of(...values);
const plain = (updates: readonly Uint8Array[]) => updates.map((u) => [...u]);

export function updateStoreContract(backend: StoreBackend): void {
  describe(`UpdateStore on ${backend.name}`, () => {
    let store: OpenBackend;
    beforeEach(async () => {
      store = await backend.open();
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('keeps every update byte for byte, per room, in append order, for another handle too', async () => {
      // Like updates read from websockets: views into a buffer much larger than themselves.
      const socketBuffer = new Uint8Array(64 * 1024).map((_, i) => i % 251);
      const a1 = socketBuffer.subarray(10, 13);
      const b1 = socketBuffer.subarray(1000, 1100);
      const a2 = socketBuffer.subarray(5, 6);
      const seqs = await store.updates.appendUpdates([
        { room: 'a', update: a1 },
        { room: 'b', update: b1 },
        { room: 'a', update: a2 },
      ]);
      expect(seqs).toHaveLength(3);
      expect(socketBuffer.byteLength).toBe(64 * 1024);
      const other = (await store.another()).updates;
      const a = await other.loadRoom('a');
      expect(plain(a.updates)).toEqual([[...a1], [...a2]]);
      expect(a.lastSeq).toBe(seqs[2]);
      expect(plain((await other.loadRoom('b')).updates)).toEqual([[...b1]]);
      expect(await other.listRooms()).toEqual(['a', 'b']);
      expect(await other.loadRoom('never')).toEqual({ updates: [], lastSeq: 0 });
    });

    it("a room's seqs grow in append order, across batches", async () => {
      const first = await store.updates.appendUpdates(
        [1, 2, 3].map((n) => ({ room: 'r', update: bytes(n) })),
      );
      const second = await store.updates.appendUpdates([{ room: 'r', update: bytes(4) }]);
      const all = [...first, ...second];
      expect(all).toEqual([...all].sort((x, y) => x - y));
      expect(new Set(all).size).toBe(4);
      expect(await store.updates.appendUpdates([])).toEqual([]);
    });

    it('per-room numbering has no gap, even with appends from two handles at once', async () => {
      if (store.updates.sequence !== 'per-room') return; // global numbering: gaps are allowed
      const other = (await store.another()).updates;
      const appends = [];
      for (let i = 0; i < 20; i++) {
        const target = i % 2 === 0 ? store.updates : other;
        appends.push(
          target.appendUpdates([
            { room: 'r', update: bytes(i) },
            { room: `side-${i % 3}`, update: bytes(i) },
            { room: 'r', update: bytes(100 + i) },
          ]),
        );
      }
      const seqs = (await Promise.all(appends)).flatMap(([r1, , r2]) => [r1!, r2!]);
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect((await store.updates.loadRoom('r')).updates).toHaveLength(40);
    });

    it('a failed append is all-or-nothing and leaves no gap in the numbering', async () => {
      const [s1] = await store.updates.appendUpdates([{ room: 'r', update: bytes(1) }]);
      const allow = await store.refuseWrites();
      await expect(
        store.updates.appendUpdates([
          { room: 'r', update: bytes(2) },
          { room: 'r', update: bytes(3) },
        ]),
      ).rejects.toMatchObject({ code: expect.any(String) });
      await allow();
      expect(plain((await store.updates.loadRoom('r')).updates)).toEqual([[1]]);
      const [s2] = await store.updates.appendUpdates([{ room: 'r', update: bytes(4) }]);
      if (store.updates.sequence === 'per-room') expect(s2).toBe(s1! + 1);
      else expect(s2).toBeGreaterThan(s1!);
    });

    it("loadSince gives the rows above a seq in order, and lastSeqs each room's highest", async () => {
      const seqs = await store.updates.appendUpdates(
        [1, 2, 3, 4].map((n) => ({ room: 'r', update: bytes(n) })),
      );
      await store.updates.appendUpdates([{ room: 'q', update: bytes(9) }]);
      const since = await store.updates.loadSince('r', seqs[1]!);
      expect(since.map((row) => row.seq)).toEqual(seqs.slice(2));
      expect(plain(since.map((row) => row.update))).toEqual([[3], [4]]);
      expect(await store.updates.loadSince('r', seqs[3]!)).toEqual([]);
      const last = await store.updates.lastSeqs(['r', 'q', 'none']);
      expect(last.get('r')).toBe(seqs[3]);
      expect(last.get('q')).toBe((await store.updates.loadRoom('q')).lastSeq);
      expect(last.get('none')).toBe(0);
    });

    it('compaction replaces the rows up to a seq by the merged one at the highest seq it replaced', async () => {
      const seqs = await store.updates.appendUpdates([1, 2, 3].map((n) => ({ room: 'r', update: bytes(n) })));
      await store.updates.appendUpdates([{ room: 'other', update: bytes(7) }]);
      const [later] = await store.updates.appendUpdates([{ room: 'r', update: bytes(4) }]);
      const merged = await store.updates.compact('r', bytes(9, 9), seqs[2]!);
      expect(merged).toBe(seqs[2]);
      const stored = await store.updates.loadRoom('r');
      expect(plain(stored.updates)).toEqual([[9, 9], [4]]);
      expect(stored.lastSeq).toBe(later);
      // A process that had applied up to seq 1 catches up with the merged row, then the rest.
      expect((await store.updates.loadSince('r', seqs[0]!)).map((row) => row.seq)).toEqual([seqs[2], later]);
      expect(plain((await store.updates.loadRoom('other')).updates)).toEqual([[7]]);
      // Later appends still number above everything the room ever had.
      const [after] = await store.updates.appendUpdates([{ room: 'r', update: bytes(5) }]);
      expect(after).toBeGreaterThan(later!);
    });

    it('compacting twice, or with nothing to replace, keeps every row it does not cover', async () => {
      const seqs = await store.updates.appendUpdates(
        [1, 2, 3, 4].map((n) => ({ room: 'r', update: bytes(n) })),
      );
      expect(await store.updates.compact('r', bytes(8), seqs[1]!)).toBe(seqs[1]);
      // A second compaction (another process's, say) over the first one's row.
      expect(await store.updates.compact('r', bytes(9), seqs[2]!)).toBe(seqs[2]);
      expect(plain((await store.updates.loadRoom('r')).updates)).toEqual([[9], [4]]);
      expect(await store.updates.compact('empty', bytes(1), 1_000)).toBe(0);
      expect(await store.updates.loadRoom('empty')).toEqual({ updates: [], lastSeq: 0 });
    });

    it('concurrent compactions of one room from two handles keep every row above them', async () => {
      const seqs = await store.updates.appendUpdates(
        Array.from({ length: 10 }, (_, n) => ({ room: 'r', update: bytes(n) })),
      );
      const other = (await store.another()).updates;
      await Promise.all([
        store.updates.compact('r', bytes(50), seqs[4]!),
        other.compact('r', bytes(70), seqs[6]!),
        store.updates.appendUpdates([{ room: 'r', update: bytes(99) }]),
      ]);
      const rows = await store.updates.loadSince('r', 0);
      const kept = plain(rows.map((row) => row.update));
      // Whichever ran last, rows 8, 9, 10 and the new one survive, and a merged row covers 1..7.
      expect(kept.slice(-4)).toEqual([[7], [8], [9], [99]]);
      expect(rows.at(-5)?.seq).toBe(seqs[6]);
    });

    it('a closed store refuses writes with a code', async () => {
      const other = await store.another();
      await other.updates.close();
      await expect(other.updates.appendUpdates([{ room: 'r', update: bytes(1) }])).rejects.toMatchObject({
        code: 'store-closed',
      });
    });
  });
}
