import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { editingClient } from '../testing/edits.ts';
import { RoomBroadcast } from './room-broadcast.ts';
import { readClientMessage } from './sync-messages.ts';

const writer = (clientID: number) => editingClient(clientID).set;

/** Sends the batch to `members`; returns what each one received, applied to a fresh doc. */
function deliver(broadcast: RoomBroadcast<string>, members: string[]) {
  const received = new Map<string, Uint8Array[]>(members.map((m) => [m, []]));
  broadcast.flush((message, except) => {
    for (const member of members) if (member !== except) received.get(member)!.push(message);
  });
  const docs = new Map<string, { messages: number; cells: Record<string, unknown> }>();
  for (const [member, messages] of received) {
    const doc = new Y.Doc();
    for (const message of messages) {
      // The relay's own reader accepts it: a well-formed sync update message, nothing trailing.
      const read = readClientMessage(message);
      if (read?.kind !== 'update') throw new Error('not an update message');
      Y.applyUpdate(doc, read.update);
    }
    docs.set(member, { messages: messages.length, cells: doc.getMap('cells').toJSON() });
  }
  return docs;
}

describe('a commit’s updates go out as one message per member', () => {
  it('each member gets the whole batch in one message, its own updates in it do no harm', () => {
    const broadcast = new RoomBroadcast<string>();
    const [ann, bob, server] = [writer(1), writer(2), writer(3)];
    expect(broadcast.add('ann', ann('a', 1))).toBe(true);
    expect(broadcast.add('bob', bob('b', 2))).toBe(false);
    expect(broadcast.add(null, server('s', 'server'))).toBe(false);
    const got = deliver(broadcast, ['ann', 'bob', 'cyd']);
    expect(got.get('cyd')).toEqual({ messages: 1, cells: { a: 1, b: 2, s: 'server' } });
    expect(got.get('ann')).toEqual({ messages: 1, cells: { a: 1, b: 2, s: 'server' } });
    expect(got.get('bob')).toEqual({ messages: 1, cells: { a: 1, b: 2, s: 'server' } });
  });

  it('a member who wrote the whole batch receives nothing; the next batch starts empty', () => {
    const broadcast = new RoomBroadcast<string>();
    const [ann, bob] = [writer(1), writer(2)];
    broadcast.add('ann', ann('a', 1));
    broadcast.add('ann', ann('b', 2));
    const got = deliver(broadcast, ['ann', 'bob']);
    expect(got.get('ann')).toEqual({ messages: 0, cells: {} });
    expect(got.get('bob')).toEqual({ messages: 1, cells: { a: 1, b: 2 } });
    expect(broadcast.add('bob', bob('c', 3))).toBe(true);
    expect(deliver(broadcast, ['ann', 'bob']).get('ann')).toEqual({ messages: 1, cells: { c: 3 } });
  });

  it('a large batch (an import) goes out update by update, not copied into a merge', () => {
    const broadcast = new RoomBroadcast<string>();
    broadcast.add(null, writer(1)('big', 'x'.repeat(100_000)));
    broadcast.add('ann', writer(2)('small', 1));
    const got = deliver(broadcast, ['ann', 'bob']);
    expect(got.get('bob')?.messages).toBe(2);
    expect(got.get('ann')).toEqual({ messages: 1, cells: { big: 'x'.repeat(100_000) } });
  });
});
