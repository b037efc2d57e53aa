/**
 * Group commit of anonymous proposals: proposals checked while a commit is being written wait and
 * go together into the next store transaction (one COMMIT for all). Invariants: each is answered
 * only after that COMMIT and, when it is stored, after it reached its pending document (through
 * the store's once-only `deliver`); one intake transaction at a time, none open across an await
 * of anything but the store itself.
 */

import type { CheckedProposal } from './intake.ts';
import {
  deliverStoredProposals,
  type IntakeDependencies,
  type SubmitAnswer,
  storeProposals,
} from './intake.ts';

interface Waiting {
  item: CheckedProposal;
  resolve: (answer: SubmitAnswer) => void;
  reject: (error: unknown) => void;
}

export interface IntakeBatchStats {
  /** Transactions written. */
  commits: number;
  /** Proposals that went through them. */
  proposals: number;
  /** The most proposals one transaction held. */
  largest: number;
}

export class IntakeBatches {
  readonly #deps: IntakeDependencies;
  #queue: Waiting[] = [];
  #flushScheduled = false;
  #writing = false;
  readonly stats: IntakeBatchStats = { commits: 0, proposals: 0, largest: 0 };

  /** `deps.pendingOf` gives each dataset's pending document, where stored proposals are written. */
  constructor(deps: IntakeDependencies) {
    this.#deps = deps;
  }

  /** Stores a checked proposal with the others of its batch; the answer comes once durable. */
  store(item: CheckedProposal): Promise<SubmitAnswer> {
    return new Promise<SubmitAnswer>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#flushScheduled || this.#writing || this.#queue.length === 0) return;
    this.#flushScheduled = true;
    // Every request read in this turn of the event loop joins; whatever arrives while the
    // transaction is written forms the next batch.
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    this.#writing = true;
    let answers: PromiseSettledResult<SubmitAnswer>[];
    try {
      answers = await storeProposals(
        this.#deps,
        batch.map((waiting) => waiting.item),
      );
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    } finally {
      this.#writing = false;
      this.#schedule();
    }
    this.stats.commits += 1;
    this.stats.proposals += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);

    const idsByDataset = new Map<string, Set<string>>();
    answers.forEach((settled, index) => {
      const answer = settled.status === 'fulfilled' ? settled.value : undefined;
      if (!answer?.ok) return;
      const datasetId = batch[index]!.item.row.dataset_id;
      const ids = idsByDataset.get(datasetId) ?? new Set<string>();
      ids.add(answer.proposalId);
      idsByDataset.set(datasetId, ids);
    });
    // New proposals, and replays whose first delivery a crash cut short, reach their documents.
    const delivered = new Map<string, Promise<unknown>>();
    for (const [datasetId, ids] of idsByDataset) {
      const pending = this.#deps.pendingOf?.(datasetId);
      delivered.set(
        datasetId,
        pending ? deliverStoredProposals(this.#deps, datasetId, pending, [...ids]) : Promise.resolve(),
      );
    }
    answers.forEach((settled, index) => {
      const waiting = batch[index]!;
      if (settled.status === 'rejected') {
        waiting.reject(settled.reason);
        return;
      }
      const answer = settled.value;
      const done = answer.ok ? delivered.get(waiting.item.row.dataset_id) : undefined;
      if (done) done.then(() => waiting.resolve(answer), waiting.reject);
      else waiting.resolve(answer);
    });
  }
}
