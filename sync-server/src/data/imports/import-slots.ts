/**
 * How many imports run at once, per account and on the whole instance. Invariant: a slot is
 * taken before the request body is read and given back exactly once, whatever happens after;
 * a caller over either limit is told so at once (never queued: a queue would hold bodies).
 */

export type SlotRefusal = { busy: 'account' | 'instance' };

export class ImportSlots {
  #running = 0;
  readonly #perAccount = new Map<string, number>();

  constructor(readonly limits: { perAccount: number; perInstance: number }) {}

  /** A slot for `account` (its release function), or which limit is reached. */
  take(account: string): (() => void) | SlotRefusal {
    if ((this.#perAccount.get(account) ?? 0) >= this.limits.perAccount) return { busy: 'account' };
    if (this.#running >= this.limits.perInstance) return { busy: 'instance' };
    this.#running++;
    this.#perAccount.set(account, (this.#perAccount.get(account) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
      const left = (this.#perAccount.get(account) ?? 1) - 1;
      if (left > 0) this.#perAccount.set(account, left);
      else this.#perAccount.delete(account);
    };
  }

  get running(): number {
    return this.#running;
  }
}
