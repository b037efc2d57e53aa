/**
 * ProposalStore: the durable record of anonymous proposals (what the contributor sent, its
 * receipt, whether it reached the pending document), implemented per backend (`sqlite/`,
 * `postgres/`) and held to one contract suite (`contract/proposal-store-contract.ts`).
 * Invariants: `intake` resolves after COMMIT; one (dataset, idempotency key) is one proposal and
 * an address never has more than the cap of unsettled proposals, across processes; `deliver`
 * hands each stored revision to the pending document once. A proposal's *status* is not here:
 * it lives in the pending document only (moderators decide there); `settled_at` only records,
 * once and for good, that the proposal stopped counting against its address's pending cap.
 */

/** A row of the `proposals` table (same columns on every backend). */
export interface ProposalRecord {
  id: string;
  dataset_id: string;
  /** HMAC of the idempotency key: unique per dataset. */
  idempotency_key_hash: string;
  receipt_hash: string;
  /** The receipt, sealed under a key derived from the idempotency key. */
  receipt_box: string;
  /** JSON of the body as sent, without its idempotency key. */
  body: string;
  address_hash: string;
  /** Milliseconds since the epoch. */
  created_at: number;
  updated_at: number;
  /** 1 when sent, + 1 per amendment. */
  revision: number;
  /** The revision last written into the pending document (0: never). */
  delivered_revision: number;
  /** When it stopped counting against the pending cap (decided or withdrawn); null while it counts. */
  settled_at: number | null;
}

/** How one proposal of an `intake` batch ended. */
export type IntakeOutcome =
  | { kind: 'stored'; record: ProposalRecord }
  /** The dataset already had this idempotency key (a retry, or a twin sent at once): that one. */
  | { kind: 'existing'; record: ProposalRecord }
  /** Its address already has `maxPendingPerAddress` unsettled proposals: nothing written. */
  | { kind: 'over-cap' }
  /** This one failed alone (the others of the batch are kept). */
  | { kind: 'fault'; error: unknown };

/** Writes records into the pending document; resolves once that write is durable. */
export type WriteToPending = (records: ProposalRecord[]) => Promise<void>;

export interface ProposalStore {
  /**
   * Stores new proposals (revision 1, undelivered, unsettled) together, one COMMIT for all.
   * Each is checked against its address's cap and its idempotency key inside the transaction,
   * so concurrent intakes from any process never overshoot the cap nor duplicate a key.
   * Rejects only when the whole transaction failed (then nothing is stored).
   */
  intake(records: readonly ProposalRecord[], maxPendingPerAddress: number): Promise<IntakeOutcome[]>;
  get(id: string): Promise<ProposalRecord | undefined>;
  byIdempotencyKey(datasetId: string, keyHash: string): Promise<ProposalRecord | undefined>;
  /** Replaces an unsettled proposal's body (revision + 1); undefined when settled or missing. */
  amend(id: string, body: string, at: number): Promise<ProposalRecord | undefined>;
  /** Marks proposals as no longer counting against their address's cap; never undone. */
  settle(ids: readonly string[], at: number): Promise<void>;
  /** Unsettled proposals of an address, oldest first, up to `limit`. */
  unsettledOf(addressHash: string, limit: number): Promise<Pick<ProposalRecord, 'id' | 'dataset_id'>[]>;
  /**
   * Delivery, once: holding the dataset's delivery lease (no other caller, in this process or
   * another, delivers into that dataset meanwhile), hands `write` the dataset's records whose
   * revision is not yet delivered (only those of `ids` when given), then records them as
   * delivered. Resolves with how many were written; a failed `write` records nothing. Calls
   * made while a delivery of the dataset runs are served together by the next one, with the
   * first one's `write`: every `write` of a dataset must write into its one pending document.
   */
  deliver(datasetId: string, write: WriteToPending, ids?: readonly string[]): Promise<number>;
  close(): Promise<void>;
}
