/**
 * RoomBroadcast: the updates of one room that became durable in the same commit go out together,
 * one message per member (their merge) instead of one per update, and each message is handed
 * over once for all its recipients (the relay frames it once). Invariants: callers add only
 * durable updates; each member receives every update of a batch it did not write, once, in the
 * order the batches became durable; a batch holding only a member's own updates skips it.
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

  /**
   * Hands each message of the batch to `deliver`, meant for every member but `except` (null or
   * undefined: for all), and empties the batch.
   */
  flush(deliver: (message: Uint8Array, except: Member | null | undefined) => void): void {
    const batch = this.#batch;
    const merge = this.#bytes <= MERGE_LIMIT_BYTES;
    this.#batch = [];
    this.#bytes = 0;
    if (batch.length === 0) return;
    if (!merge) {
      for (const { author, update } of batch) deliver(updateMessage(update), author);
      return;
    }
    // One merge per batch, whatever its size: a member gets the whole batch when it holds
    // something of someone else's, its own updates included (Yjs skips what a document already
    // has), and nothing when the batch is all its own. A merge per author would cost k merges of
    // k updates, which is what a backlog of k updates can least afford.
    const everything = messageOf(batch.map((outgoing) => outgoing.update));
    const soleAuthor = batch.every((outgoing) => outgoing.author === batch[0]!.author)
      ? batch[0]!.author
      : undefined;
    deliver(everything, soleAuthor);
  }
}

function messageOf(updates: Uint8Array[]): Uint8Array {
  return updateMessage(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
}
