/**
 * The outbox: proposals written on this device wait here until the server has them, and
 * their receipts stay here afterwards ("my proposals"). Invariants: an entry leaves the
 * outbox only once its receipt is stored; every send of an entry carries the same
 * idempotency key, so sending twice (retry, two tabs, a crash) still makes one proposal.
 */
import type { CellValue } from '@datapatch/core';
import type {
  ApiError,
  ProposalBody,
  ProposalKind,
  ProposalState,
  ProposalStatus,
  ProposalsApi,
} from '../proposals/api.ts';

/** Where entries live: IndexedDB in the browser (idb-store.ts), a Map in tests. */
export interface KeyValueStore<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  values(): Promise<T[]>;
}

/** What the person saw when proposing, to show it back in "my proposals". */
export interface ProposalLabel {
  datasetTitle: string;
  /** The record's name (or the new place's name). */
  recordName: string;
  /** Field titles by column id, as the form showed them (absent on proposals kept before). */
  fieldTitles?: Record<string, string>;
}

export interface OutboxEntry {
  idempotencyKey: string;
  datasetId: string;
  body: ProposalBody;
  label: ProposalLabel;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  /** The last failure; `refused` entries wait for the person (edit or discard), not for the network. */
  lastError?: ApiError;
  refused: boolean;
}

export interface Receipt {
  idempotencyKey: string;
  proposalId: string;
  receipt: string;
  datasetId: string;
  kind: ProposalKind;
  rowId?: string;
  base: Record<string, CellValue>;
  proposed: Record<string, CellValue>;
  comment?: string;
  contact?: string;
  label: ProposalLabel;
  createdAt: number;
  sentAt: number;
  status: ProposalStatus;
  reason?: string;
  acceptedFields?: string[];
  /** Why fields were refused, by field (partial decisions). */
  refusedReasons?: Record<string, string>;
  checkedAt?: number;
}

/** Delay before the n-th retry (1-based): 2 s, 4 s, 8 s… up to 5 minutes, with ±20 % jitter. */
export function backoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(2000 * 2 ** Math.max(0, attempt - 1), 5 * 60_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** An idempotency key the server accepts (16-128 of [A-Za-z0-9_-]). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

export interface OutboxOptions {
  api: ProposalsApi;
  entries: KeyValueStore<OutboxEntry>;
  receipts: KeyValueStore<Receipt>;
  now?: () => number;
  random?: () => number;
}

export interface FlushReport {
  sent: number;
  waiting: number;
  refused: number;
}

export class Outbox {
  readonly #api: ProposalsApi;
  readonly #entries: KeyValueStore<OutboxEntry>;
  readonly #receipts: KeyValueStore<Receipt>;
  readonly #now: () => number;
  readonly #random: () => number;
  #flushing: Promise<FlushReport> | null = null;

  constructor(options: OutboxOptions) {
    this.#api = options.api;
    this.#entries = options.entries;
    this.#receipts = options.receipts;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /** Keeps a proposal on the device; it leaves with the next `flush`. */
  async add(
    datasetId: string,
    body: Omit<ProposalBody, 'idempotencyKey'>,
    label: ProposalLabel,
  ): Promise<OutboxEntry> {
    const entry: OutboxEntry = {
      idempotencyKey: newIdempotencyKey(),
      datasetId,
      body: { ...body, idempotencyKey: '' },
      label,
      createdAt: this.#now(),
      attempts: 0,
      nextAttemptAt: 0,
      refused: false,
    };
    entry.body.idempotencyKey = entry.idempotencyKey;
    await this.#entries.set(entry.idempotencyKey, entry);
    return entry;
  }

  /** Replaces an unsent proposal's content; a refused one gets another chance. */
  async edit(key: string, body: Omit<ProposalBody, 'idempotencyKey'>): Promise<boolean> {
    const entry = await this.#entries.get(key);
    if (entry === undefined) return false;
    // A refused body was never stored, so new content may keep its key. One already tried
    // may have reached the server unanswered: changing it under the same key would be
    // refused, under a new key it could arrive twice. It is amended once its receipt is here.
    const mayHaveArrived = entry.attempts > 0 && !entry.refused;
    if (mayHaveArrived) return false;
    await this.#entries.set(key, {
      ...entry,
      body: { ...body, idempotencyKey: key },
      refused: false,
      attempts: 0,
      nextAttemptAt: 0,
      lastError: undefined,
    });
    return true;
  }

  async discard(key: string): Promise<void> {
    await this.#entries.delete(key);
  }

  async pending(): Promise<OutboxEntry[]> {
    return (await this.#entries.values()).sort((a, b) => a.createdAt - b.createdAt);
  }

  async receipts(): Promise<Receipt[]> {
    return (await this.#receipts.values()).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Milliseconds until the next entry is due, or null when nothing waits for the network. */
  async nextDueIn(): Promise<number | null> {
    const waiting = (await this.#entries.values()).filter((e) => !e.refused);
    if (waiting.length === 0) return null;
    return Math.max(0, Math.min(...waiting.map((e) => e.nextAttemptAt)) - this.#now());
  }

  /**
   * Sends every due entry, oldest first. Concurrent calls share one run. `force` ignores the
   * backoff (the network just came back).
   */
  flush(options: { force?: boolean } = {}): Promise<FlushReport> {
    this.#flushing ??= this.#flush(options.force ?? false).finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  async #flush(force: boolean): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, waiting: 0, refused: 0 };
    let offline = false;
    for (const entry of await this.pending()) {
      if (entry.refused) {
        report.refused++;
        continue;
      }
      if (offline || (!force && entry.nextAttemptAt > this.#now())) {
        report.waiting++;
        continue;
      }
      const answer = await this.#api.submit(entry.datasetId, entry.body);
      if (answer.ok) {
        const { body } = entry;
        const receipt: Receipt = {
          idempotencyKey: entry.idempotencyKey,
          proposalId: answer.proposalId,
          receipt: answer.receipt,
          datasetId: entry.datasetId,
          kind: body.kind,
          base: body.base,
          proposed: body.proposed,
          label: entry.label,
          createdAt: entry.createdAt,
          sentAt: this.#now(),
          status: 'pending',
        };
        if (body.rowId !== undefined) receipt.rowId = body.rowId;
        if (body.comment !== undefined) receipt.comment = body.comment;
        if (body.contact !== undefined) receipt.contact = body.contact;
        // Receipt first: a crash between the two writes resends with the same key, which is harmless.
        await this.#receipts.set(receipt.idempotencyKey, receipt);
        await this.#entries.delete(entry.idempotencyKey);
        report.sent++;
        continue;
      }
      const attempts = entry.attempts + 1;
      await this.#entries.set(entry.idempotencyKey, {
        ...entry,
        attempts,
        nextAttemptAt: this.#now() + backoff(attempts, this.#random),
        lastError: answer.error,
        refused: !answer.retry,
      });
      if (answer.retry) report.waiting++;
      else report.refused++;
      // Without a network the others would fail the same way: wait for the next try.
      if (answer.status === 0) offline = true;
    }
    return report;
  }

  /** Asks the server what became of each proposal still pending; returns the receipts that changed. */
  async refresh(): Promise<Receipt[]> {
    const changed: Receipt[] = [];
    for (const receipt of await this.#receipts.values()) {
      if (receipt.status !== 'pending') continue;
      const answer = await this.#api.status(receipt.proposalId, receipt.receipt);
      if (!answer.ok) {
        if (answer.status === 0) break;
        continue;
      }
      const next = withState(receipt, answer.state, this.#now());
      await this.#receipts.set(next.idempotencyKey, next);
      if (next.status !== receipt.status) changed.push(next);
    }
    return changed;
  }

  /** Replaces a sent proposal while a moderator has not decided. */
  async amend(
    key: string,
    body: Omit<ProposalBody, 'idempotencyKey'>,
  ): Promise<{ ok: true } | { ok: false; error: ApiError }> {
    const receipt = await this.#receipts.get(key);
    if (receipt === undefined) return { ok: false, error: { code: 'proposal_not_found', message: '' } };
    const answer = await this.#api.amend(receipt.proposalId, receipt.receipt, body);
    if (!answer.ok) return { ok: false, error: answer.error };
    const next: Receipt = { ...receipt, base: body.base, proposed: body.proposed };
    if (body.comment !== undefined) next.comment = body.comment;
    await this.#receipts.set(key, next);
    return { ok: true };
  }

  async withdraw(key: string): Promise<{ ok: true } | { ok: false; error: ApiError }> {
    const receipt = await this.#receipts.get(key);
    if (receipt === undefined) {
      // Never left the device: withdrawing is forgetting it.
      await this.#entries.delete(key);
      return { ok: true };
    }
    const answer = await this.#api.withdraw(receipt.proposalId, receipt.receipt);
    if (!answer.ok) return { ok: false, error: answer.error };
    await this.#receipts.set(key, { ...receipt, status: 'withdrawn', checkedAt: this.#now() });
    return { ok: true };
  }
}

function withState(receipt: Receipt, state: ProposalState, now: number): Receipt {
  const next: Receipt = { ...receipt, status: state.status, checkedAt: now };
  if (state.reason !== undefined) next.reason = state.reason;
  if (state.fields !== undefined) next.acceptedFields = state.fields;
  if (state.refusedReasons !== undefined) next.refusedReasons = state.refusedReasons;
  return next;
}

/** A store in memory, for tests and for browsers without IndexedDB (nothing survives a reload). */
export function memoryStore<T>(): KeyValueStore<T> {
  const map = new Map<string, T>();
  return {
    get: async (key) => structuredClone(map.get(key)),
    set: async (key, value) => {
      map.set(key, structuredClone(value));
    },
    delete: async (key) => {
      map.delete(key);
    },
    values: async () => [...map.values()].map((v) => structuredClone(v)),
  };
}
