import { describe, expect, it } from 'vitest';
import { type BusMessage, decodeBusMessage, encodeBusMessage } from './bus-messages.ts';
import { RoomSequence } from './room-sequence.ts';

const u = (n: number) => Uint8Array.of(n);

describe('a process applies a room’s updates in seq order, never skipping one', () => {
  it('updates arriving out of order wait for the missing seq, then go in order', () => {
    const sequence = new RoomSequence(10);
    const applied: number[] = [];
    const apply = (update: Uint8Array) => applied.push(update[0]!) > 0;
    sequence.offer(12, u(12));
    sequence.offer(13, u(13));
    sequence.take(apply);
    expect(applied).toEqual([]);
    expect(sequence.hasGap).toBe(true);
    expect(sequence.applied).toBe(10);
    sequence.offer(11, u(11));
    sequence.offer(11, u(99)); // a duplicate does not replace the first
    sequence.offer(9, u(9)); // already held
    sequence.take(apply);
    expect(applied).toEqual([11, 12, 13]);
    expect(sequence.applied).toBe(13);
    expect(sequence.hasGap).toBe(false);
  });

  it('its own updates count without being applied again; a refused update stops the count', () => {
    const sequence = new RoomSequence(0);
    const applied: number[] = [];
    sequence.offer(1, null);
    sequence.offer(2, u(2));
    sequence.offer(3, u(3));
    sequence.take((update) => {
      if (update[0] === 3) return false; // the room was not there to take it
      applied.push(update[0]!);
      return true;
    });
    expect(applied).toEqual([2]);
    expect(sequence.applied).toBe(2);
    expect(sequence.hasGap).toBe(true);
  });

  it('a read from the store covers the gap; a reload starts again from the store', () => {
    const sequence = new RoomSequence(5);
    sequence.offer(8, u(8));
    sequence.offer(9, u(9));
    sequence.caughtUpTo(8);
    const applied: number[] = [];
    sequence.take((update) => applied.push(update[0]!) > 0);
    expect(applied).toEqual([9]);
    expect(sequence.applied).toBe(9);
    sequence.reset(4);
    expect(sequence.applied).toBe(4);
  });
});

describe('bus messages', () => {
  it('decode to what was encoded, and garbage decodes to null', () => {
    const messages: BusMessage[] = [
      { kind: 'updates', sender: 'p1', firstSeq: 7, updates: [u(1), Uint8Array.of(2, 3)] },
      { kind: 'range', sender: 'p2', firstSeq: 3, lastSeq: 9 },
      { kind: 'awareness', sender: 'p3', update: Uint8Array.of(4, 5, 6) },
    ];
    for (const message of messages) expect(decodeBusMessage(encodeBusMessage(message))).toEqual(message);
    expect(decodeBusMessage(Uint8Array.of(9, 0))).toBeNull();
    expect(decodeBusMessage(Uint8Array.of(0, 1, 65, 7))).toBeNull();
    const encoded = encodeBusMessage(messages[1]!);
    expect(decodeBusMessage(Uint8Array.of(...encoded, 0))).toBeNull();
  });
});
