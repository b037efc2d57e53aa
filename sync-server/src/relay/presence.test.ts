import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { awarenessMessageOf, nestedJson, type RawPresence } from '../testing/messages.ts';
import {
  encodePresenceEntries,
  encodePresences,
  PRESENCE_LIMITS,
  PresenceOwners,
  readPresenceUpdate,
} from './presence.ts';

/** The awareness update inside an awareness message (what `readPresenceUpdate` reads). */
function updateOf(entries: RawPresence[]): Uint8Array {
  const decoder = decoding.createDecoder(awarenessMessageOf(entries));
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

const one = (json: string) => readPresenceUpdate(updateOf([{ clientId: 3, clock: 2, json }]));

describe('which presences are accepted', () => {
  it('reads a y-websocket provider’s presence as it was sent', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState({
      user: { id: 'u1', name: 'Ann', color: '#c00' },
      cursor: { row: 'r1', field: 'nom' },
    });
    const update = encodePresences(awareness, [awareness.clientID]);
    expect(readPresenceUpdate(update)).toEqual([
      { clientId: awareness.clientID, clock: 1, state: awareness.getLocalState() },
    ]);
    awareness.destroy();
  });

  it('accepts nesting up to the depth limit and no deeper', () => {
    expect(one(nestedJson(PRESENCE_LIMITS.depth))).not.toBeNull();
    expect(one(nestedJson(PRESENCE_LIMITS.depth + 1))).toBeNull();
    // Brackets inside strings are text, not nesting.
    expect(one(JSON.stringify({ name: '['.repeat(100) }))).not.toBeNull();
    expect(one(JSON.stringify({ name: '\\"[[[[[[[[[[[[[[[[[[[[[[' }))).not.toBeNull();
  });

  it('refuses a state the size limit cannot hold, as sent or encoded again', () => {
    const fits = JSON.stringify({ n: 'x'.repeat(PRESENCE_LIMITS.stateChars - 8) });
    expect(fits.length).toBe(PRESENCE_LIMITS.stateChars);
    expect(one(fits)).not.toBeNull();
    expect(one(JSON.stringify({ n: 'x'.repeat(PRESENCE_LIMITS.stateChars - 7) }))).toBeNull();
    // Short as sent, long once encoded again: 1e20 is written out as 100000000000000000000.
    const numbers = `{"n":[${Array(1000).fill('1e20').join(',')}]}`;
    expect(numbers.length).toBeLessThan(PRESENCE_LIMITS.stateChars);
    expect(one(numbers)).toBeNull();
    expect(one(`{"n":[${Array(300).fill('1e20').join(',')}]}`)).not.toBeNull();
  });

  it('refuses what is not a plain object or null, and anything left over', () => {
    for (const json of ['[]', '1', '"text"', 'true', '{', '', '{"a":1}x']) expect(one(json)).toBeNull();
    expect(one('null')).toEqual([{ clientId: 3, clock: 2, state: null }]);
    const update = updateOf([{ clientId: 3, clock: 2, json: '{}' }]);
    expect(readPresenceUpdate(new Uint8Array([...update, 0]))).toBeNull();
    expect(readPresenceUpdate(update.slice(0, -1))).toBeNull();
    expect(
      readPresenceUpdate(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
    ).toBeNull();
  });

  it('refuses an update over the byte limit before reading it', () => {
    const big = updateOf([{ clientId: 3, clock: 2, json: '{}' }]);
    expect(readPresenceUpdate(big, { ...PRESENCE_LIMITS, updateBytes: big.byteLength - 1 })).toBeNull();
  });
});

describe('encoding presences never throws', () => {
  it('leaves out a state JSON cannot encode, and keeps the others', () => {
    const awareness = new Awareness(new Y.Doc());
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    awareness.states.set(7, { deep });
    awareness.meta.set(7, { clock: 1, lastUpdated: 0 });
    awareness.states.set(8, { user: 'ok' });
    awareness.meta.set(8, { clock: 4, lastUpdated: 0 });
    expect(readPresenceUpdate(encodePresences(awareness, [7, 8]))).toEqual([
      { clientId: 8, clock: 4, state: { user: 'ok' } },
    ]);
    awareness.destroy();
  });

  it('writes what y-protocols reads', () => {
    const entries = [
      { clientId: 1, clock: 3, state: { a: [1, { b: null }] } },
      { clientId: 2, clock: 9, state: null },
    ];
    expect(readPresenceUpdate(encodePresenceEntries(entries))).toEqual(entries);
  });
});

describe('who may change a presence', () => {
  const state = { user: 'x' };

  it('a connection changes its own ids and claims free ones; others’ are dropped', () => {
    const owners = new PresenceOwners<string>();
    owners.claim('ann', 1);
    const admitted = owners.admit('bob', [
      { clientId: 1, clock: 9, state },
      { clientId: 1, clock: 10, state: null },
      { clientId: 2, clock: 1, state },
      { clientId: 3, clock: 1, state: null },
    ]);
    expect(admitted).toEqual({ ok: true, entries: [{ clientId: 2, clock: 1, state }] });
    expect(owners.admit('ann', [{ clientId: 1, clock: 10, state: null }])).toEqual({
      ok: true,
      entries: [{ clientId: 1, clock: 10, state: null }],
    });
  });

  it('refuses a connection that would hold more ids than the limit', () => {
    const owners = new PresenceOwners<string>();
    for (let id = 1; id < PRESENCE_LIMITS.idsPerConnection; id++) owners.claim('ann', id);
    const next = { clientId: 100, clock: 1, state };
    expect(owners.admit('ann', [next]).ok).toBe(true);
    owners.claim('ann', 100);
    expect(owners.admit('ann', [{ ...next, clientId: 101 }]).ok).toBe(false);
    // Its own ids are still its to change.
    expect(owners.admit('ann', [{ ...next, clock: 2 }]).ok).toBe(true);
  });

  it('a released id is free again, and a leaver’s ids are listed for removal', () => {
    const owners = new PresenceOwners<string>();
    owners.claim('ann', 1);
    owners.claim('ann', 2);
    owners.claim('bob', 2);
    expect(owners.idsOf('ann')).toEqual([1, 2]);
    expect(owners.idsOf('bob')).toEqual([]);
    owners.release(1);
    owners.release(2);
    expect(owners.size).toBe(0);
    expect(owners.admit('bob', [{ clientId: 1, clock: 5, state }])).toEqual({
      ok: true,
      entries: [{ clientId: 1, clock: 5, state }],
    });
  });
});
