/**
 * Deliveries of one dataset, one at a time in this process, coalesced: calls that arrive while a
 * delivery runs all join the next one, which delivers what each of them asked for at once (one
 * transaction, one update in the pending document's log, instead of one per intake batch).
 * Invariant: a call resolves only after a delivery that started after the call was made.
 */
type Run = (ids: readonly string[] | undefined) => Promise<number>;

interface Queued {
  /** null: every undelivered proposal of the dataset. */
  ids: Set<string> | null;
  promise: Promise<number>;
}

export class DeliveryQueue {
  readonly #running = new Map<string, Promise<void>>();
  readonly #next = new Map<string, Queued>();

  run(datasetId: string, ids: readonly string[] | undefined, deliver: Run): Promise<number> {
    const queued = this.#next.get(datasetId);
    if (queued) {
      if (queued.ids && ids) for (const id of ids) queued.ids.add(id);
      else queued.ids = null;
      return queued.promise;
    }
    const previous = this.#running.get(datasetId) ?? Promise.resolve();
    const entry: Queued = { ids: ids ? new Set(ids) : null, promise: Promise.resolve(0) };
    entry.promise = previous.then(() => {
      // From here on, new calls wait for the next delivery.
      if (this.#next.get(datasetId) === entry) this.#next.delete(datasetId);
      return deliver(entry.ids ? [...entry.ids] : undefined);
    });
    this.#next.set(datasetId, entry);
    const running = entry.promise.then(
      () => undefined,
      () => undefined,
    );
    this.#running.set(datasetId, running);
    void running.then(() => {
      if (this.#running.get(datasetId) === running) this.#running.delete(datasetId);
    });
    return entry.promise;
  }

  /** Resolves once every delivery queued so far has ended. */
  async idle(): Promise<void> {
    await Promise.all([...this.#running.values()]);
  }
}
