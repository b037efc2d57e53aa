/**
 * The device's outbox as reactive state, one per tab: what waits to leave, what was refused,
 * the receipts. It sends when the browser says the network is back (online event, forced),
 * on start, and on a backoff timer otherwise. Other tabs may send too: idempotency keys make
 * that harmless.
 */

import type { ProposalBody } from '../proposals/api.ts';
import { ProposalsApi } from '../proposals/api.ts';
import { reachFetch } from '../sync/server-reach.svelte.ts';
import { indexedDbStore } from './idb-store.ts';
import { memoryStore, Outbox, type OutboxEntry, type ProposalLabel, type Receipt } from './outbox.ts';

const LAST_SENT_KEY = 'datapatch:outbox:lastSent';

function openOutbox(): Outbox {
  const api = new ProposalsApi({ fetch: reachFetch });
  if (typeof indexedDB === 'undefined') {
    return new Outbox({ api, entries: memoryStore(), receipts: memoryStore() });
  }
  return new Outbox({
    api,
    entries: indexedDbStore<OutboxEntry>('datapatch-outbox'),
    receipts: indexedDbStore<Receipt>('datapatch-receipts'),
  });
}

class OutboxState {
  entries = $state.raw<OutboxEntry[]>([]);
  receipts = $state.raw<Receipt[]>([]);
  online = $state(true);
  lastSentAt = $state<number | null>(null);
  /** The lists were read from the device at least once. */
  loaded = $state(false);

  readonly waiting = $derived(this.entries.filter((e) => !e.refused).length);
  readonly refused = $derived(this.entries.filter((e) => e.refused).length);

  #outbox: Outbox | null = null;
  #timer = 0;

  get outbox(): Outbox {
    this.#outbox ??= openOutbox();
    return this.#outbox;
  }

  /** Called once by the layout. */
  start(): () => void {
    this.online = navigator.onLine;
    try {
      const saved = Number(localStorage.getItem(LAST_SENT_KEY));
      if (saved > 0) this.lastSentAt = saved;
    } catch {
      // Not remembered: shown from the next send on.
    }
    const online = () => {
      this.online = true;
      void this.send(true).then(() => this.refresh());
    };
    const offline = () => {
      this.online = false;
    };
    const visible = () => {
      if (document.visibilityState === 'visible') void this.reload();
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    document.addEventListener('visibilitychange', visible);
    void this.send(false);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', visible);
      clearTimeout(this.#timer);
    };
  }

  async reload(): Promise<void> {
    const [entries, receipts] = await Promise.all([this.outbox.pending(), this.outbox.receipts()]);
    this.entries = entries;
    this.receipts = receipts;
    this.loaded = true;
  }

  /** Keeps a proposal and tries to send it right away. */
  async propose(
    datasetId: string,
    body: Omit<ProposalBody, 'idempotencyKey'>,
    label: ProposalLabel,
  ): Promise<OutboxEntry> {
    const entry = await this.outbox.add(datasetId, body, label);
    await this.reload();
    void this.send(true);
    return entry;
  }

  async send(force: boolean): Promise<void> {
    clearTimeout(this.#timer);
    try {
      const report = await this.outbox.flush({ force });
      if (report.sent > 0) {
        this.lastSentAt = Date.now();
        try {
          localStorage.setItem(LAST_SENT_KEY, String(this.lastSentAt));
        } catch {
          // Shown for this visit only.
        }
      }
    } finally {
      await this.reload();
      const due = await this.outbox.nextDueIn();
      if (due !== null) this.#timer = window.setTimeout(() => void this.send(false), Math.max(due, 500));
    }
  }

  /** Asks the server about proposals still pending. */
  async refresh(): Promise<void> {
    await this.outbox.refresh();
    await this.reload();
  }
}

export const outboxState = new OutboxState();
