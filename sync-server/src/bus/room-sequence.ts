/**
 * Where one process stands in a room's log: the highest seq up to which its document holds every
 * update (`applied`), and what arrived above it, waiting for the gap below to fill. Invariant:
 * updates leave `take` strictly in seq order with no seq skipped, so `applied` only counts what
 * the document really holds (compaction relies on it).
 */

/** An update this process must apply, or null for one its document already holds (its own). */
type Waiting = Uint8Array | null;

export class RoomSequence {
  applied: number;
  readonly #waiting = new Map<number, Waiting>();

  constructor(applied: number) {
    this.applied = applied;
  }

  /** Records a committed update (null: already in the document); seqs at or below `applied` are dropped. */
  offer(seq: number, update: Waiting): void {
    if (seq > this.applied && !this.#waiting.has(seq)) this.#waiting.set(seq, update);
  }

  /**
   * Hands the next updates in order to `apply` while the next seq is known; stops (leaving it
   * waiting) at the first one `apply` refuses.
   */
  take(apply: (update: Uint8Array) => boolean): void {
    for (;;) {
      const next = this.applied + 1;
      if (!this.#waiting.has(next)) break;
      const update = this.#waiting.get(next)!;
      if (update !== null && !apply(update)) break;
      this.#waiting.delete(next);
      this.applied = next;
    }
  }

  /** Updates wait above a missing seq. */
  get hasGap(): boolean {
    return this.#waiting.size > 0;
  }

  /**
   * After a read from the store that returned every row above the old `applied` up to
   * `upTo` (a merged row stands for all below it): the document now holds all of them.
   */
  caughtUpTo(upTo: number): void {
    if (upTo <= this.applied) return;
    this.applied = upTo;
    for (const seq of this.#waiting.keys()) if (seq <= upTo) this.#waiting.delete(seq);
  }

  /** The document was reloaded from the store up to `lastSeq`: start again from there. */
  reset(lastSeq: number): void {
    this.applied = lastSeq;
    for (const seq of this.#waiting.keys()) if (seq <= lastSeq) this.#waiting.delete(seq);
  }
}
