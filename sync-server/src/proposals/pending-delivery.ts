/**
 * Stored proposals reach a pending document whenever the relay loads it: a proposal stored while
 * no process had the room open, or whose delivery a crash cut short, arrives then. Invariant:
 * the store's `deliver` hands each revision to one process once, so two processes loading the
 * same room never both write it; a failed delivery is retried at the next load.
 */
import { parseRoomName, roomName } from '@datapatch/protocol';
import type { SyncRelay } from '../relay/relay.ts';
import type { ProposalStore } from '../store/proposal-store.ts';
import { autoApprove } from './auto-approval.ts';
import { deliverAllInto } from './intake.ts';

export class PendingDelivery {
  readonly #proposals: ProposalStore;
  #relay: Pick<SyncRelay, 'changeDocuments'> | null = null;

  constructor(proposals: ProposalStore) {
    this.#proposals = proposals;
  }

  attach(relay: Pick<SyncRelay, 'changeDocuments'>): void {
    this.#relay = relay;
  }

  /** For the relay's `onRoomLoaded`: delivers after the load, outside the relay's own turn. */
  readonly roomLoaded = (room: string): void => {
    const parsed = parseRoomName(room);
    if (parsed?.kind !== 'pending') return;
    setImmediate(() => {
      this.deliver(parsed.datasetId).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'relay-closing') return;
        console.error(`datapatch: stored proposals of ${parsed.datasetId} not delivered yet`, error);
      });
    });
  };

  /** Writes every undelivered proposal of the dataset into its pending document. */
  deliver(datasetId: string): Promise<number> {
    const relay = this.#relay;
    if (!relay) return Promise.resolve(0);
    const room = roomName(datasetId, 'pending');
    return this.#proposals
      .deliver(datasetId, (records) =>
        relay.changeDocuments([room], ([doc]) => deliverAllInto(doc!, records)),
      )
      .then(async (count) => {
        if (count > 0) await autoApprove(relay, datasetId);
        return count;
      });
  }
}
