import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { editingClient as client } from '../testing/edits.ts';
import { Room } from './room.ts';

describe('what a room stores and relays of a client update', () => {
  it('a live edit is relayed as sent and stored; the same edit again is neither', () => {
    const room = new Room<string>('ds/x/validated');
    const edit = client(1).set('a', 1);
    expect(room.applyClientUpdate(edit, 'ann', 'as-sent')).toEqual({ ok: true, delta: edit, persist: true });
    expect(room.applyClientUpdate(edit, 'ann', 'as-sent')).toEqual({ ok: true, delta: null, persist: false });
    expect(room.doc.getMap('cells').toJSON()).toEqual({ a: 1 });
  });

  it('a deletion alone counts as new', () => {
    const room = new Room<string>('ds/x/validated');
    const ann = client(1);
    room.applyClientUpdate(ann.set('a', 1), 'ann', 'as-sent');
    let removal: Uint8Array | null = null;
    ann.doc.on('update', (u: Uint8Array) => {
      removal = u;
    });
    ann.doc.getMap('cells').delete('a');
    const result = room.applyClientUpdate(removal!, 'ann', 'as-sent');
    expect(result).toMatchObject({ ok: true, persist: true });
    expect(result.ok && result.delta).toBe(removal);
    expect(room.doc.getMap('cells').toJSON()).toEqual({});
  });

  it('a sync step 2 is relayed as only what was new to the room', () => {
    const room = new Room<string>('ds/x/validated');
    const ann = client(1);
    for (let k = 0; k < 50; k++) room.applyClientUpdate(ann.set(`k${k}`, 'x'.repeat(20)), 'ann', 'as-sent');
    const bob = client(2);
    Y.applyUpdate(bob.doc, Y.encodeStateAsUpdate(room.doc));
    bob.set('b', 2);
    const step2 = Y.encodeStateAsUpdate(bob.doc);
    const result = room.applyClientUpdate(step2, 'bob', 'new-content');
    if (!result.ok || result.delta === null) throw new Error('expected new content');
    expect(result.delta.byteLength).toBeLessThan(step2.byteLength / 5);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, result.delta);
    expect(peer.getMap('cells').toJSON()).toEqual({ b: 2 });
  });

  it('an update waiting for a missing one is stored but not relayed, either way', () => {
    const ann = client(1);
    ann.set('a', 1);
    const second = ann.set('a', 2);
    for (const relay of ['as-sent', 'new-content'] as const) {
      const room = new Room<string>('ds/x/validated');
      expect(room.applyClientUpdate(second, 'ann', relay)).toEqual({ ok: true, delta: null, persist: true });
      expect(room.doc.getMap('cells').toJSON()).toEqual({});
    }
  });
});
