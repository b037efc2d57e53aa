/**
 * Room: one Yjs document in memory, its awareness and the connections on it.
 * Invariant: the document only ever receives updates that decoded cleanly; what it holds is
 * the durable log plus at most the updates of the current group commit.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { PresenceOwners } from './presence.ts';
import { RoomBroadcast } from './room-broadcast.ts';
import { isDecodableUpdate } from './sync-messages.ts';

export type ApplyResult =
  /** `delta` is what was new to the room (null if nothing); `persist` says the log must grow. */
  | { ok: true; delta: Uint8Array | null; persist: boolean }
  /** `damaged`: Yjs threw half-way, the in-memory document can no longer be trusted. */
  | { ok: false; damaged: boolean };

export class Room<Member> {
  readonly name: string;
  /** Replaced (never mutated back) when an update damaged it; see `replaceDocument`. */
  doc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly members = new Set<Member>();
  /** Which member introduced each awareness client id: only it may change or remove that presence. */
  readonly presence = new PresenceOwners<Member>();
  /** Durable updates waiting to be sent, batched per commit. */
  readonly broadcast = new RoomBroadcast<Member>();
  /** Highest seq of this room's updates known durable, for compaction. */
  lastSeq = 0;
  /** Stored updates since the last compaction (including loaded ones). */
  logLength = 0;
  /** This room's updates accepted but not yet durable. */
  uncommitted = 0;
  /** False until the stored updates are in the document. */
  loaded = false;
  evictionTimer: NodeJS.Timeout | null = null;
  compacting = false;
  /** While the document is rebuilt from the store, incoming messages wait here in order. */
  backlog: { member: Member; bytes: Uint8Array }[] | null = null;
  #capture: Uint8Array[] = [];
  readonly #onUpdate = (update: Uint8Array) => {
    this.#capture.push(update);
  };
  #changed = false;
  readonly #onAfterTransaction = (transaction: Y.Transaction) => {
    // What Yjs itself checks before it encodes an 'update' event, without the encoding.
    if (this.#changed || transaction.deleteSet.clients.size > 0) this.#changed = true;
    else
      for (const [client, clock] of transaction.afterState)
        if (transaction.beforeState.get(client) !== clock) this.#changed = true;
  };

  constructor(name: string) {
    this.name = name;
    // Presence has its own document so that replacing the room's document keeps it.
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    // The server is not a participant: it has no presence of its own.
    this.awareness.setLocalState(null);
  }

  /** Loads stored updates; throws if the store holds something Yjs refuses. */
  load(updates: readonly Uint8Array[], lastSeq: number): void {
    Y.transact(this.doc, () => {
      for (const update of updates) Y.applyUpdate(this.doc, update);
    });
    this.lastSeq = lastSeq;
    this.logLength = updates.length;
  }

  /** Swaps in a document rebuilt from the durable log (after an update damaged the old one). */
  replaceDocument(updates: readonly Uint8Array[], lastSeq: number): void {
    const damaged = this.doc;
    this.doc = new Y.Doc();
    this.load(updates, lastSeq);
    damaged.destroy();
  }

  /**
   * `relay`: what `delta` holds when the update brought something new. 'new-content' re-encodes
   * just what was new (a sync step 2 mostly repeats what the room has); 'as-sent' gives the
   * update itself, sparing that encoding: right for live edits, which are new as a rule, and
   * harmless otherwise (Yjs skips what a document already holds).
   */
  applyClientUpdate(update: Uint8Array, origin: unknown, relay: 'new-content' | 'as-sent'): ApplyResult {
    // Decode first: lib0 throws on truncation, and a throw inside applyUpdate could leave a
    // half-integrated document behind.
    if (!isDecodableUpdate(update)) return { ok: false, damaged: false };
    const store = this.doc.store;
    const pendingBefore = [store.pendingStructs, store.pendingDs];
    const doc = this.doc;
    this.#capture = [];
    this.#changed = false;
    if (relay === 'new-content') doc.on('update', this.#onUpdate);
    else doc.on('afterTransaction', this.#onAfterTransaction);
    try {
      Y.applyUpdate(doc, update, origin);
    } catch {
      return { ok: false, damaged: true };
    } finally {
      doc.off('update', this.#onUpdate);
      doc.off('afterTransaction', this.#onAfterTransaction);
    }
    const pendingChanged = store.pendingStructs !== pendingBefore[0] || store.pendingDs !== pendingBefore[1];
    const captured = this.#capture;
    const delta =
      relay === 'as-sent'
        ? this.#changed
          ? update
          : null
        : captured.length === 0
          ? null
          : captured.length === 1
            ? captured[0]!
            : Y.mergeUpdates(captured);
    return { ok: true, delta, persist: delta !== null || pendingChanged };
  }

  destroy(): void {
    if (this.evictionTimer) clearTimeout(this.evictionTimer);
    this.awareness.destroy();
    this.awareness.doc.destroy();
    this.doc.destroy();
  }
}
