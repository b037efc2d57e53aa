/**
 * Group commit: updates accepted while the previous commit runs (and, under load, for at most
 * `minIntervalMs` after its start) are appended to the store in one transaction, then the
 * actions waiting on them run (broadcasts, sync replies).
 * Invariant: an action registered with `afterDurable` runs only once every update appended
 * before it was registered is durable, so nobody is ever sent content that is not on disk.
 */
import type { RoomUpdate, UpdateStore } from './update-store.ts';

interface Waiter {
  ticket: number;
  run: () => void;
}

interface Queued extends RoomUpdate {
  onDurable: (seq: number) => void;
}

export class GroupCommit {
  readonly #store: UpdateStore;
  readonly #onFailure: (error: unknown) => void;
  #queue: Queued[] = [];
  #waiters: Waiter[] = [];
  /** Tickets count appended updates; `#durableTicket` is the highest one known to be on disk. */
  #appendedTicket = 0;
  #durableTicket = 0;
  #flushing: Promise<void> | null = null;
  #scheduled = false;
  readonly #minIntervalMs: number;
  #lastStart = Number.NEGATIVE_INFINITY;

  /**
   * `minIntervalMs`: least time between the starts of two commits. An update arriving on a quiet
   * store is committed at once; under load, updates wait at most this long and share the
   * commit (one fsync, one message per client), which is what keeps the cost per update down.
   */
  constructor(store: UpdateStore, onFailure: (error: unknown) => void, minIntervalMs = 0) {
    this.#store = store;
    this.#onFailure = onFailure;
    this.#minIntervalMs = minIntervalMs;
  }

  append(room: string, update: Uint8Array, onDurable: (seq: number) => void): void {
    this.#queue.push({ room, update, onDurable });
    this.#appendedTicket++;
    this.#schedule();
  }

  /** Runs `run` now if nothing is waiting for disk, else right after the pending commit. */
  afterDurable(run: () => void): void {
    if (this.#durableTicket === this.#appendedTicket) run();
    else this.#waiters.push({ ticket: this.#appendedTicket, run });
  }

  get idle(): boolean {
    return this.#durableTicket === this.#appendedTicket;
  }

  /** Resolves once everything appended so far is durable (used by shutdown and tests). */
  async drain(): Promise<void> {
    while (!this.idle || this.#flushing) {
      if (this.#flushing) await this.#flushing;
      else await this.#flush();
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      void this.#flush();
    };
    const wait = this.#lastStart + this.#minIntervalMs - performance.now();
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  }

  #flush(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    const batch = this.#queue;
    if (batch.length === 0) return Promise.resolve();
    this.#queue = [];
    this.#lastStart = performance.now();
    const ticket = this.#durableTicket + batch.length;
    this.#flushing = (async () => {
      try {
        const seqs = await this.#store.appendUpdates(batch.map(({ room, update }) => ({ room, update })));
        this.#durableTicket = ticket;
        batch.forEach((queued, i) => {
          queued.onDurable(seqs[i]!);
        });
        this.#runWaiters();
      } catch (error) {
        this.#onFailure(error);
        return;
      } finally {
        this.#flushing = null;
      }
      if (this.#queue.length > 0) this.#schedule();
    })();
    return this.#flushing;
  }

  #runWaiters(): void {
    let ready = 0;
    while (ready < this.#waiters.length && this.#waiters[ready]!.ticket <= this.#durableTicket) ready++;
    const due = this.#waiters.splice(0, ready);
    for (const waiter of due) {
      try {
        waiter.run();
      } catch (error) {
        // A failed send concerns one connection; the others still get their messages.
        console.error('datapatch: action after commit failed', error);
      }
    }
  }
}
