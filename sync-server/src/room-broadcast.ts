/**
 * RoomBroadcast: the updates of one room that became durable in the same commit go out together,
 * one message per member (their merge) instead of one per update, each member leaving out what
 * it sent itself. Invariants: callers add only durable updates; each member receives every
 * update of a batch except its own, once, in the order the batches became durable.
 */
import * as Y from 'yjs';
import { updateMessage } from './sync-messages.ts';

/** Above this many bytes a batch is sent update by update: merging would copy large updates. */
const MERGE_LIMIT_BYTES = 64 * 1024;

interface Outgoing<Member> {
  /** Who sent it (it is not sent back), null for the server's own writes. */
  author: Member | null;
  update: Uint8Array;
}

export class RoomBroadcast<Member> {
  #batch: Outgoing<Member>[] = [];
  #bytes = 0;

  /** Adds a durable update; returns true when it opens a batch (the caller schedules `flush`). */
  add(author: Member | null, update: Uint8Array): boolean {
    this.#batch.push({ author, update });
    this.#bytes += update.byteLength;
    return this.#batch.length === 1;
  }

  /** Sends the batch to `members` and empties it. */
  flush(members: Iterable<Member>, send: (member: Member, message: Uint8Array) => void): void {
    const batch = this.#batch;
    const merge = this.#bytes <= MERGE_LIMIT_BYTES;
    this.#batch = [];
    this.#bytes = 0;
    if (batch.length === 0) return;
    if (!merge) {
      for (const { author, update } of batch) {
        const message = updateMessage(update);
        for (const member of members) if (member !== author) send(member, message);
      }
      return;
    }
    const authors = new Set(batch.map((outgoing) => outgoing.author));
    const everything = messageOf(batch.map((outgoing) => outgoing.update));
    // An author gets the others' updates only; computed once per author, and only when asked.
    const forAuthor = new Map<Member, Uint8Array | null>();
    for (const member of members) {
      if (!authors.has(member)) {
        send(member, everything);
        continue;
      }
      let message = forAuthor.get(member);
      if (message === undefined) {
        const others = batch.filter((outgoing) => outgoing.author !== member);
        message = others.length === 0 ? null : messageOf(others.map((outgoing) => outgoing.update));
        forAuthor.set(member, message);
      }
      if (message !== null) send(member, message);
    }
  }
}

function messageOf(updates: Uint8Array[]): Uint8Array {
  return updateMessage(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
}
