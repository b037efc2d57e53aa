/**
 * A dataset's live moderation queue in the browser: the pending Yjs document over its own
 * websocket room (the server opens it to moderators and owners only, from the session cookie).
 * Invariants: the queue is re-read from the document after every change, so a decision made
 * by another moderator shows at once; proposals are never kept on the device (contributor
 * contact details stay on the server and in open tabs).
 */
import { listProposals, type ProposalView } from '@datapatch/core';
import { CLOSE_FORBIDDEN, CLOSE_UNKNOWN_ROOM, roomName } from '@datapatch/protocol';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

function syncUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
}

export type QueueState = 'connecting' | 'live' | 'refused' | 'offline';

export class ModerationQueue {
  readonly doc = new Y.Doc();
  proposals = $state.raw<ProposalView[]>([]);
  state = $state<QueueState>('connecting');
  /** Ids seen in this tab, to tell which proposals are new since it opened. */
  readonly #known = new Set<string>();
  #first = true;
  readonly #provider: WebsocketProvider;
  readonly #listeners = new Set<(arrived: ProposalView[]) => void>();

  constructor(datasetId: string) {
    this.#provider = new WebsocketProvider(syncUrl(), roomName(datasetId, 'pending'), this.doc, {
      maxBackoffTime: 5000,
    });
    this.#provider.on('sync', (synced: boolean) => {
      if (synced) {
        this.state = 'live';
        this.#read();
      }
    });
    this.#provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected' && this.state !== 'refused') this.state = 'offline';
      if (status === 'connected' && this.state === 'offline') this.state = 'connecting';
    });
    this.#provider.on('connection-close', (event: CloseEvent | null) => {
      // Not allowed, or no such room: retrying will not help.
      if (event !== null && (event.code === CLOSE_FORBIDDEN || event.code === CLOSE_UNKNOWN_ROOM)) {
        this.state = 'refused';
        this.#provider.disconnect();
      }
    });
    this.doc.on('update', () => this.#read());
  }

  #read(): void {
    const all = listProposals(this.doc);
    const arrived = all.filter((p) => !this.#known.has(p.id));
    for (const p of arrived) this.#known.add(p.id);
    this.proposals = all;
    if (!this.#first && arrived.length > 0) for (const listener of this.#listeners) listener(arrived);
    if (this.#provider.synced) this.#first = false;
  }

  /** Called with the proposals that arrive after the queue first loaded. */
  onArrival(listener: (arrived: ProposalView[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get pendingCount(): number {
    return this.proposals.filter((p) => p.status === 'pending').length;
  }

  destroy(): void {
    this.#listeners.clear();
    this.#provider.destroy();
    this.doc.destroy();
  }
}
