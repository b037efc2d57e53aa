/**
 * Group commit: the updates accepted in one turn of the event loop, and those accepted while the
 * previous commit ran, are appended to the store in one transaction at the end of that turn
 * (`setImmediate`), then the actions waiting on them run (broadcasts, sync replies). The commit's
 * own duration is the batching window: the slower the disk or the busier the loop, the more
 * updates share a commit, and a quiet store commits at once with no timer.
 * Invariant: an action registered with `afterDurable` runs only once every update appended
 * before it was registered is durable, so nobody is ever sent content that is not on disk.
 */
import type { RoomUpdate, UpdateStore } from '../store/update-store.ts';

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

  constructor(store: UpdateStore, onFailure: (error: unknown) => void) {
    this.#store = store;
    this.#onFailure = onFailure;
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
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  #flush(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    const batch = this.#queue;
    if (batch.length === 0) return Promise.resolve();
    this.#queue = [];
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
