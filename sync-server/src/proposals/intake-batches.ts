/**
 * Group commit of anonymous proposals: proposals checked while a commit is being written wait and
 * go together into the next SQLite transaction (one fsync for all, a savepoint each). Invariants:
 * each is answered only after that COMMIT returned and, when new, after it reached its pending
 * document; no transaction stays open across an await, so other writers never wait on intake.
 */
import type { AccessDependencies } from '../access/dependencies.ts';
import {
  type CheckedProposal,
  type DeliveryMark,
  type ProposalRow,
  type SubmitAnswer,
  storeProposals,
} from './intake.ts';

/** Writes stored rows into their dataset's pending document; resolves once that is durable. */
export type DeliverToPending = (datasetId: string, rows: ProposalRow[]) => Promise<DeliveryMark[]>;

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
  readonly #deps: AccessDependencies;
  readonly #deliver: DeliverToPending;
  readonly #marksDelayMs: number;
  #queue: Waiting[] = [];
  #marks: DeliveryMark[] = [];
  #flushScheduled = false;
  #marksTimer: ReturnType<typeof setTimeout> | null = null;
  readonly stats: IntakeBatchStats = { commits: 0, proposals: 0, largest: 0 };

  /**
   * `marksDelayMs`: how long delivery marks alone wait for proposals to ride along with; they need
   * no prompt fsync (every start delivers again whatever is not marked, idempotently).
   */
  constructor(deps: AccessDependencies, deliver: DeliverToPending, options: { marksDelayMs?: number } = {}) {
    this.#deps = deps;
    this.#deliver = deliver;
    this.#marksDelayMs = options.marksDelayMs ?? 50;
  }

  /** Stores a checked proposal with the others of its batch; the answer comes once durable. */
  store(item: CheckedProposal): Promise<SubmitAnswer> {
    return new Promise<SubmitAnswer>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // Every request read in this turn of the event loop joins; the commit itself blocks the
        // loop, so whatever arrives meanwhile forms the next batch.
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#marksTimer) clearTimeout(this.#marksTimer);
    this.#marksTimer = null;
    const batch = this.#queue;
    const marks = this.#marks;
    this.#queue = [];
    this.#marks = [];
    if (batch.length === 0 && marks.length === 0) return;
    let outcomes: ReturnType<typeof storeProposals>;
    try {
      outcomes = storeProposals(
        this.#deps,
        batch.map((waiting) => waiting.item),
        marks,
      );
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      // Marks alone have nobody to tell; they are redundant (every start delivers again).
      if (batch.length === 0) console.error('datapatch: delivery marks not recorded', error);
      return;
    }
    this.stats.commits += 1;
    this.stats.proposals += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);

    const rowsByDataset = new Map<string, ProposalRow[]>();
    for (const outcome of outcomes) {
      if ('stored' in outcome && outcome.stored) {
        const rows = rowsByDataset.get(outcome.stored.dataset_id) ?? [];
        rows.push(outcome.stored);
        rowsByDataset.set(outcome.stored.dataset_id, rows);
      }
    }
    const deliveredById = new Map<string, Promise<void>>();
    for (const [datasetId, rows] of rowsByDataset) {
      const delivered = this.#deliver(datasetId, rows).then((delivery) => this.#addMarks(delivery));
      for (const row of rows) deliveredById.set(row.id, delivered);
    }
    outcomes.forEach((outcome, index) => {
      const waiting = batch[index]!;
      if ('fault' in outcome) {
        waiting.reject(outcome.fault);
        return;
      }
      // A twin of a proposal stored in this batch waits for the same delivery as the first.
      const delivered = outcome.answer.ok ? deliveredById.get(outcome.answer.proposalId) : undefined;
      if (delivered) delivered.then(() => waiting.resolve(outcome.answer), waiting.reject);
      else waiting.resolve(outcome.answer);
    });
  }

  #addMarks(marks: DeliveryMark[]): void {
    this.#marks.push(...marks);
    if (this.#flushScheduled || this.#marksTimer || !this.#deps.db.open) return;
    this.#marksTimer = setTimeout(() => {
      this.#marksTimer = null;
      if (this.#deps.db.open && !this.#flushScheduled) this.#flush();
    }, this.#marksDelayMs);
    this.#marksTimer.unref?.();
  }
}
