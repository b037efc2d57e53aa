/**
 * The embed's outbox: a proposal is written to the host page's localStorage before it is sent,
 * and stays there until the server answered 202 (then its receipt is kept) or refused it for
 * good (4xx: kept with the error for the contributor to see). Network failures and 5xx retry.
 * Storage and fetch are passed in, so this module runs without a browser.
 */
import { HONEYPOT_FIELD, type ProposalBody } from '@datapatch/protocol';

export type OutboxStatus = 'unsent' | 'sent' | 'refused';

export interface OutboxEntry {
  key: string;
  origin: string;
  datasetId: string;
  body: ProposalBody;
  status: OutboxStatus;
  createdAt: string;
  proposalId?: string;
  receipt?: string;
  error?: string;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 'datapatch-embed-outbox';
const MAX_ENTRIES = 200;

export class EmbedOutbox {
  readonly #storage: KeyValueStorage | null;
  readonly #fetch: typeof fetch;
  /** Without storage (blocked by the page): kept in memory for this visit. */
  #memory: OutboxEntry[] = [];

  constructor(storage: KeyValueStorage | null, fetcher: typeof fetch) {
    this.#storage = storage;
    this.#fetch = fetcher;
  }

  entries(): OutboxEntry[] {
    if (!this.#storage) return this.#memory;
    try {
      const parsed: unknown = JSON.parse(this.#storage.getItem(STORAGE_KEY) ?? '[]');
      return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
    } catch {
      return [];
    }
  }

  #save(entries: OutboxEntry[]): void {
    const kept = entries.slice(-MAX_ENTRIES);
    this.#memory = kept;
    try {
      this.#storage?.setItem(STORAGE_KEY, JSON.stringify(kept));
    } catch {
      // Full or blocked storage: the memory copy still holds it for this visit.
    }
  }

  #update(key: string, change: Partial<OutboxEntry>): OutboxEntry | undefined {
    const entries = this.entries();
    const entry = entries.find((e) => e.key === key);
    if (entry) Object.assign(entry, change);
    this.#save(entries);
    return entry;
  }

  /** Records the proposal (never lost once this returns), then tries to send it. */
  async add(
    origin: string,
    datasetId: string,
    body: ProposalBody,
    now: Date = new Date(),
  ): Promise<OutboxEntry> {
    const entry: OutboxEntry = {
      key: body.idempotencyKey,
      origin,
      datasetId,
      body,
      status: 'unsent',
      createdAt: now.toISOString(),
    };
    this.#save([...this.entries(), entry]);
    return this.send(entry);
  }

  /** One attempt; the idempotency key makes a repeated attempt harmless. */
  async send(entry: OutboxEntry): Promise<OutboxEntry> {
    const url = `${entry.origin}/api/datasets/${encodeURIComponent(entry.datasetId)}/proposals`;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...entry.body, [HONEYPOT_FIELD]: '' }),
      });
    } catch {
      return entry;
    }
    const text = await response.text().catch(() => '');
    let answer: { proposalId?: string; receipt?: string; error?: { code?: string; message?: string } } = {};
    try {
      answer = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's page): judged by the status alone.
    }
    if (response.status === 202 && answer.proposalId && answer.receipt) {
      return (
        this.#update(entry.key, { status: 'sent', proposalId: answer.proposalId, receipt: answer.receipt }) ??
        entry
      );
    }
    if (
      response.status >= 400 &&
      response.status < 500 &&
      response.status !== 429 &&
      response.status !== 408
    ) {
      const error = answer.error?.code ?? `http_${response.status}`;
      return this.#update(entry.key, { status: 'refused', error }) ?? entry;
    }
    return entry;
  }

  /** Sends every unsent proposal again (called on `online` and on a timer). */
  async retry(): Promise<OutboxEntry[]> {
    const unsent = this.entries().filter((entry) => entry.status === 'unsent');
    return Promise.all(unsent.map((entry) => this.send(entry)));
  }
}

/** A fresh idempotency key (UUID when the browser has one). */
export function newKey(random: () => number = Math.random): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
}
