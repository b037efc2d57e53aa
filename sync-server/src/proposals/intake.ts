/**
 * Anonymous proposal intake. A proposal is stored (ProposalStore) *before* any answer, then
 * written into the dataset's pending document, once (`deliver`). Its status lives in the pending
 * document only, where moderators decide and contributors withdraw; the store keeps what was
 * sent and whether it still counts against its address's pending cap. The same idempotency key
 * never makes a second proposal. Addresses arrive already hashed; contact details never leave
 * through these answers. No SQL here: every read and write goes through the store.
 */
import {
  addProposal as addToPending,
  amendProposal as amendInPending,
  getProposal as getFromPending,
  withdrawProposal as withdrawInPending,
} from '@datapatch/core';
import { AccessErrorCode, ProposalErrorCode } from '@datapatch/protocol';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import * as Y from 'yjs';
import { instanceSecret } from '../access/addresses.ts';
import { type DatasetSettings, datasetSettings } from '../access/datasets.ts';
import { type AccessDependencies, AccessFault, newId } from '../access/dependencies.ts';
import { check, createLimiter, type Limit, type LimiterStore, spend } from '../access/rate-limits.ts';
import { fail, type Result } from '../access/result.ts';
import type { IntakeOutcome, ProposalRecord, ProposalStore } from '../store/proposal-store.ts';
import { contributorKey } from './auto-approval.ts';
import {
  type BodyCaps,
  type CellValue,
  canonicalBody,
  DEFAULT_BODY_CAPS,
  type ProposalBody,
  type ProposalKind,
  readProposalBody,
} from './body.ts';
import {
  idempotencyKeyHash,
  newReceipt,
  openReceipt,
  receiptHash,
  receiptMatches,
  sealReceipt,
} from './receipts.ts';
import { checkAgainstDataset, type RowValidator } from './schema-check.ts';

export type ProposalStatus = 'pending' | 'accepted' | 'partially-accepted' | 'rejected' | 'withdrawn';
export interface IntakeLimits {
  perAddress: Limit;
  perDataset: Limit;
  /**
   * Refused proposals (malformed, robot, closed field, values the schema refuses) per address,
   * counted apart: junk never spends the dataset's budget, and an address sending it is blocked.
   */
  invalidPerAddress: Limit;
  /** Proposals one address may have waiting for moderation, all datasets together. */
  maxPendingPerAddress: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = {
  perAddress: { points: 30, durationSeconds: 10 * 60 },
  perDataset: { points: 600, durationSeconds: 60 * 60 },
  invalidPerAddress: { points: 30, durationSeconds: 10 * 60, blockSeconds: 30 * 60 },
  maxPendingPerAddress: 50,
};

export interface IntakeGuards {
  perAddress: RateLimiterAbstract;
  perDataset: RateLimiterAbstract;
  invalidPerAddress: RateLimiterAbstract;
  maxPendingPerAddress: number;
}

export function createIntakeGuards(
  store: LimiterStore,
  limits: IntakeLimits = DEFAULT_INTAKE_LIMITS,
): IntakeGuards {
  return {
    perAddress: createLimiter(store, 'proposal-address', limits.perAddress),
    perDataset: createLimiter(store, 'proposal-dataset', limits.perDataset),
    invalidPerAddress: createLimiter(store, 'proposal-invalid-address', limits.invalidPerAddress),
    maxPendingPerAddress: limits.maxPendingPerAddress,
  };
}

/**
 * A dataset's pending document, wherever it is: the relay's live one (each change durable and
 * broadcast before `change` resolves), or a plain Y.Doc in tests.
 */
export interface PendingDocument {
  read<T>(read: (doc: Y.Doc) => T): Promise<T>;
  change<T>(change: (doc: Y.Doc) => T): Promise<T>;
}

/** A plain Y.Doc as a PendingDocument (tests, tools). */
export function localPending(doc: Y.Doc): PendingDocument {
  return {
    read: async (read) => read(doc),
    change: async (change) => change(doc),
  };
}

export interface IntakeDependencies extends AccessDependencies {
  proposals: ProposalStore;
  guards: IntakeGuards;
  /** The compiled schema of a dataset's validated document (a @datapatch/schema SchemaValidator). */
  validatorFor(datasetId: string): RowValidator | undefined;
  /** The dataset's pending document; without it the status of a proposal is not known here. */
  pendingOf?(datasetId: string): PendingDocument | undefined;
  caps?: BodyCaps;
}

/** A row of the `proposals` table (see ../store/proposal-store.ts). */
export type ProposalRow = ProposalRecord;

/** The body as stored: everything but the idempotency key, which is kept only as an HMAC. */
type StoredBody = Omit<ProposalBody, 'idempotencyKey'>;

const ADDRESS_HASH = /^[0-9a-f]{64}$/;

async function proposalSecret(deps: AccessDependencies): Promise<Buffer> {
  return await instanceSecret(deps, 'proposal-secret');
}

function storedBody(body: ProposalBody): StoredBody {
  const { idempotencyKey: _key, ...rest } = body;
  return { ...rest, base: { ...rest.base }, proposed: { ...rest.proposed } };
}

function pendingFor(
  deps: IntakeDependencies,
  datasetId: string,
  given: Y.Doc | PendingDocument | undefined,
): PendingDocument | undefined {
  if (given instanceof Y.Doc) return localPending(given);
  return given ?? deps.pendingOf?.(datasetId);
}

/** What a contributor holding the receipt may see: no contact, no address, no moderator identity. */
export interface ProposalForContributor {
  proposalId: string;
  datasetId: string;
  kind: ProposalKind;
  rowId?: string;
  base: Record<string, CellValue>;
  proposed: Record<string, CellValue>;
  comment?: string;
  status: ProposalStatus;
  revision: number;
  /** ISO 8601. */
  createdAt: string;
  decision?: {
    status: ProposalStatus;
    at: string;
    reason?: string;
    /** The fields kept; on a partial decision the other proposed fields were refused. */
    fields?: string[];
    /** Why refused fields were refused, by field, when the moderator said. */
    refusedReasons?: Record<string, string>;
    rowId?: string;
  };
}

/**
 * Writes the stored proposal into the pending document, whatever state it is in: absent (add)
 * or behind (amend). A proposal already decided or withdrawn in the document is left alone.
 */
export function deliverInto(doc: Y.Doc, row: ProposalRecord): void {
  const body = JSON.parse(row.body) as StoredBody;
  doc.transact(() => {
    const existing = getFromPending(doc, row.id);
    if (!existing) {
      addToPending(doc, {
        id: row.id,
        datasetId: row.dataset_id,
        kind: body.kind,
        ...(body.rowId !== undefined ? { rowId: body.rowId } : {}),
        base: body.base,
        proposed: body.proposed,
        ...(body.comment !== undefined ? { comment: body.comment } : {}),
        ...(body.contact !== undefined ? { contact: body.contact } : {}),
        createdAt: new Date(row.created_at).toISOString(),
        contributor: contributorKey(row.address_hash),
      });
    } else if (existing.status === 'pending') {
      const inDoc = { ...existing, idempotencyKey: '' } as ProposalBody;
      if (canonicalBody(inDoc) !== canonicalBody({ ...body, idempotencyKey: '' })) {
        amendInPending(doc, row.id, {
          base: body.base,
          proposed: body.proposed,
          ...(body.comment !== undefined ? { comment: body.comment } : {}),
          ...(body.contact !== undefined ? { contact: body.contact } : {}),
        });
      }
    }
  }, 'datapatch-intake');
}

/** Writes several stored proposals in one Yjs transaction (one update to log and relay). */
export function deliverAllInto(doc: Y.Doc, rows: readonly ProposalRecord[]): void {
  doc.transact(() => {
    for (const row of rows) deliverInto(doc, row);
  }, 'datapatch-intake');
}

/**
 * Writes into the pending document every stored proposal of `datasetId` it has not received
 * (all of them, or those of `ids`), once: see ProposalStore.deliver. Call it when a pending
 * document is loaded, and after storing.
 */
export function deliverStoredProposals(
  deps: { proposals: ProposalStore },
  datasetId: string,
  pending: Y.Doc | PendingDocument,
  ids?: readonly string[],
): Promise<number> {
  const target = pending instanceof Y.Doc ? localPending(pending) : pending;
  return deps.proposals.deliver(datasetId, (rows) => target.change((doc) => deliverAllInto(doc, rows)), ids);
}

export type SubmitFailureCode = ProposalErrorCode | typeof AccessErrorCode.datasetNotFound;
export type SubmitAnswer = Result<{ proposalId: string; receipt: string }, SubmitFailureCode>;

/** A proposal that passed every check that needs no write, ready for `storeProposals`. */
export interface CheckedProposal {
  row: ProposalRecord;
  idempotencyKey: string;
  body: ProposalBody;
  receipt: string;
  maxPendingPerAddress: number;
}

/** Either the answer is already known (refusal, replay) or the proposal waits to be stored. */
export type PreparedProposal = { answer: SubmitAnswer } | { store: CheckedProposal };

/** Refusals that only a malformed or hostile sender earns: counted against its address. */
const JUNK: ReadonlySet<string> = new Set([
  ProposalErrorCode.tooLarge,
  ProposalErrorCode.invalid,
  ProposalErrorCode.spam,
  ProposalErrorCode.fieldClosed,
]);

/** Counts a junk refusal against the address (never against the dataset) and passes it on. */
async function refused<A extends { ok: false }>(
  guards: IntakeGuards,
  addressHash: string,
  answer: A & { error: { code: string } },
): Promise<A> {
  if (JUNK.has(answer.error.code)) await spend(guards.invalidPerAddress, addressHash);
  return answer;
}

/** An address that sent too much junk lately is refused before any work is done for it. */
async function junkBlocked(guards: IntakeGuards, addressHash: string): Promise<SubmitAnswer | undefined> {
  const junk = await check(guards.invalidPerAddress, addressHash);
  return junk.allowed ? undefined : fail(ProposalErrorCode.rateLimited, { retryAfterMs: junk.retryAfterMs });
}

/**
 * Everything before the write, in this order: an address blocked for junk, cheap refusals (size,
 * shape, honeypot, dataset closed), an idempotent replay (answered without spending rate-limit
 * points), the address's own budget, the schema, and only then the dataset-wide budget, so
 * refused proposals never spend what real contributors share. Writes no proposal (the
 * limiters' store may write).
 */
export async function prepareProposal(
  deps: IntakeDependencies,
  datasetId: string,
  raw: string | Uint8Array,
  /** `settings`: the dataset's, when the caller has just read them (saves reading them twice). */
  options: { addressHash: string; settings?: DatasetSettings },
): Promise<PreparedProposal> {
  if (!ADDRESS_HASH.test(options.addressHash)) {
    throw new AccessFault(
      'address-not-hashed',
      'submitProposal takes hashAddress(...), never a clear address',
    );
  }
  const { guards } = deps;
  const blocked = await junkBlocked(guards, options.addressHash);
  if (blocked) return { answer: blocked };
  const read = readProposalBody(raw, deps.caps ?? DEFAULT_BODY_CAPS, 'submit');
  if (!read.ok) return { answer: await refused(guards, options.addressHash, read) };
  const { body } = read;

  const settings = options.settings ?? (await datasetSettings(deps.store, datasetId));
  // A private dataset does not exist for anonymous people, so it answers like a missing one.
  if (settings?.visibility !== 'public') return { answer: fail(AccessErrorCode.datasetNotFound) };
  if (settings.proposals !== 'open') return { answer: fail(ProposalErrorCode.closed) };

  const secret = await proposalSecret(deps);
  const keyHash = idempotencyKeyHash(secret, datasetId, body.idempotencyKey);
  const first = await deps.proposals.byIdempotencyKey(datasetId, keyHash);
  if (first) return { answer: replayAnswer(first, body, secret) };

  const byAddress = await spend(guards.perAddress, options.addressHash);
  if (!byAddress.allowed)
    return { answer: fail(ProposalErrorCode.rateLimited, { retryAfterMs: byAddress.retryAfterMs }) };

  const validator = deps.validatorFor(datasetId);
  if (!validator) return { answer: fail(AccessErrorCode.datasetNotFound) };
  const checked = checkAgainstDataset(body, settings.proposableFields, validator);
  if (!checked.ok) return { answer: await refused(guards, options.addressHash, checked) };

  const byDataset = await spend(guards.perDataset, datasetId);
  if (!byDataset.allowed)
    return { answer: fail(ProposalErrorCode.rateLimited, { retryAfterMs: byDataset.retryAfterMs }) };

  const receipt = newReceipt(deps.random);
  const now = deps.clock();
  return {
    store: {
      row: {
        id: newId(deps.random),
        dataset_id: datasetId,
        idempotency_key_hash: keyHash,
        receipt_hash: receiptHash(receipt),
        receipt_box: sealReceipt(secret, datasetId, body.idempotencyKey, receipt, deps.random),
        body: JSON.stringify(storedBody(body)),
        address_hash: options.addressHash,
        created_at: now,
        updated_at: now,
        revision: 1,
        delivered_revision: 0,
        settled_at: null,
      },
      idempotencyKey: body.idempotencyKey,
      body,
      receipt,
      maxPendingPerAddress: deps.guards.maxPendingPerAddress,
    },
  };
}

/** The answer to a key already stored: the same receipt for the same body, else a refusal. */
function replayAnswer(row: ProposalRecord, body: ProposalBody, secret: Buffer): SubmitAnswer {
  const first = JSON.parse(row.body) as StoredBody;
  // An amended proposal no longer equals its first body: comparing kind and row is enough then.
  const same =
    row.revision > 1
      ? first.kind === body.kind && first.rowId === body.rowId
      : canonicalBody({ ...first, idempotencyKey: '' }) === canonicalBody(body);
  if (!same) return fail(ProposalErrorCode.idempotencyKeyReused);
  const receipt = openReceipt(secret, row.dataset_id, body.idempotencyKey, row.receipt_box);
  if (!receipt) throw new AccessFault('receipt-unsealable', 'stored receipt does not open with its own key');
  return { ok: true, proposalId: row.id, receipt };
}

/** The answer for one proposal once the store said how its intake ended (`over-cap`: not here). */
export async function answerFor(
  deps: AccessDependencies,
  item: CheckedProposal,
  outcome: Exclude<IntakeOutcome, { kind: 'over-cap' }>,
): Promise<SubmitAnswer> {
  if (outcome.kind === 'fault') throw outcome.error;
  if (outcome.kind === 'stored') return { ok: true, proposalId: outcome.record.id, receipt: item.receipt };
  // The same key arrived twice at once (maybe in this very batch): answer as the first did.
  return replayAnswer(outcome.record, item.body, await proposalSecret(deps));
}

/**
 * Before refusing an address at its pending cap: its unsettled proposals that the pending
 * documents show decided or withdrawn stop counting. True when some did (worth trying again).
 */
export async function settleFromDocuments(
  deps: IntakeDependencies,
  addressHash: string,
  cap: number,
): Promise<boolean> {
  if (!deps.pendingOf) return false;
  const unsettled = await deps.proposals.unsettledOf(addressHash, cap);
  const byDataset = new Map<string, string[]>();
  for (const { id, dataset_id } of unsettled)
    byDataset.set(dataset_id, [...(byDataset.get(dataset_id) ?? []), id]);
  const settled: string[] = [];
  for (const [datasetId, ids] of byDataset) {
    const pending = deps.pendingOf(datasetId);
    if (!pending) continue;
    const handled = await pending.read((doc) =>
      ids.filter((id) => {
        const status = getFromPending(doc, id)?.status;
        return status !== undefined && status !== 'pending';
      }),
    );
    settled.push(...handled);
  }
  await deps.proposals.settle(settled, deps.clock());
  return settled.length > 0;
}

/**
 * Stores checked proposals together (one transaction), answering each: an address at its cap
 * gets a second chance after `settleFromDocuments`, then `too_many_pending`. A proposal that
 * failed alone is a rejected entry; the whole call rejects only when the transaction failed.
 */
export async function storeProposals(
  deps: IntakeDependencies,
  items: readonly CheckedProposal[],
): Promise<PromiseSettledResult<SubmitAnswer>[]> {
  const cap = items[0]?.maxPendingPerAddress ?? deps.guards.maxPendingPerAddress;
  const outcomes = await deps.proposals.intake(
    items.map((item) => item.row),
    cap,
  );
  return Promise.allSettled(
    outcomes.map(async (outcome, index) => {
      const item = items[index]!;
      if (outcome.kind !== 'over-cap') return answerFor(deps, item, outcome);
      if (!(await settleFromDocuments(deps, item.row.address_hash, item.maxPendingPerAddress)))
        return fail(ProposalErrorCode.tooManyPending);
      const [again] = await deps.proposals.intake([item.row], item.maxPendingPerAddress);
      if (!again || again.kind === 'over-cap') return fail(ProposalErrorCode.tooManyPending);
      return answerFor(deps, item, again);
    }),
  );
}

/**
 * Takes an anonymous proposal: `prepareProposal`, then `storeProposals` of this one alone, then
 * its pending document (`pendingDoc`, else `deps.pendingOf`), when there is one. The HTTP server
 * batches instead (intake-batches.ts).
 */
export async function submitProposal(
  deps: IntakeDependencies,
  datasetId: string,
  raw: string | Uint8Array,
  options: { addressHash: string; pendingDoc?: Y.Doc | PendingDocument },
): Promise<SubmitAnswer> {
  const prepared = await prepareProposal(deps, datasetId, raw, options);
  let answer: SubmitAnswer;
  if ('answer' in prepared) answer = prepared.answer;
  else {
    const [stored] = await storeProposals(deps, [prepared.store]);
    if (!stored) throw new AccessFault('store-empty', 'storeProposals answered nothing');
    if (stored.status === 'rejected') throw stored.reason;
    answer = stored.value;
  }
  const pending = pendingFor(deps, datasetId, options.pendingDoc);
  // A new proposal, or a replay whose first delivery a crash cut short, reaches it now.
  if (answer.ok && pending) await deliverStoredProposals(deps, datasetId, pending, [answer.proposalId]);
  return answer;
}

/** The record for an id and receipt, or undefined: a wrong receipt and an unknown id look alike. */
async function findByReceipt(
  deps: IntakeDependencies | (AccessDependencies & { proposals: ProposalStore }),
  proposalId: string,
  receipt: string,
): Promise<ProposalRecord | undefined> {
  if (typeof proposalId !== 'string' || proposalId.length > 64) return undefined;
  const row = await deps.proposals.get(proposalId);
  return row && receiptMatches(receipt, row.receipt_hash) ? row : undefined;
}

/** What the contributor sees of a proposal, its status and decision read from the document. */
function contributorView(row: ProposalRecord, doc: Y.Doc | undefined): ProposalForContributor {
  const body = JSON.parse(row.body) as StoredBody;
  const inDoc = doc ? getFromPending(doc, row.id) : undefined;
  const proposal: ProposalForContributor = {
    proposalId: row.id,
    datasetId: row.dataset_id,
    kind: body.kind,
    base: body.base,
    proposed: body.proposed,
    status: inDoc?.status ?? 'pending',
    revision: row.revision,
    createdAt: new Date(row.created_at).toISOString(),
  };
  if (body.rowId !== undefined) proposal.rowId = body.rowId;
  if (body.comment !== undefined) proposal.comment = body.comment;
  const decision = inDoc?.decision;
  if (decision && !decision.undone) {
    proposal.decision = { status: decision.status, at: decision.at };
    if (decision.reason !== undefined) proposal.decision.reason = decision.reason;
    if (decision.fields !== undefined) proposal.decision.fields = [...decision.fields];
    if (decision.refusedReasons !== undefined)
      proposal.decision.refusedReasons = { ...decision.refusedReasons };
    if (decision.rowId !== undefined) proposal.decision.rowId = decision.rowId;
  }
  return proposal;
}

type ContributorAnswer = Result<{ proposal: ProposalForContributor }, ProposalErrorCode>;

/**
 * Where a proposal stands, for whoever holds its receipt: its status is the pending document's
 * (without one, only what the store knows: pending). Delivers it first if a crash kept it out.
 */
export async function proposalStatus(
  deps: IntakeDependencies,
  proposalId: string,
  receipt: string,
  pendingDoc?: Y.Doc | PendingDocument,
): Promise<ContributorAnswer> {
  const row = await findByReceipt(deps, proposalId, receipt);
  if (!row) return fail(ProposalErrorCode.notFound);
  return statusOf(deps, row, pendingFor(deps, row.dataset_id, pendingDoc));
}

async function statusOf(
  deps: IntakeDependencies,
  row: ProposalRecord,
  pending: PendingDocument | undefined,
): Promise<ContributorAnswer> {
  if (!pending) return { ok: true, proposal: contributorView(row, undefined) };
  if (row.delivered_revision < row.revision)
    await deliverStoredProposals(deps, row.dataset_id, pending, [row.id]);
  const proposal = await pending.read((doc) => contributorView(row, doc));
  // Decided or withdrawn: it stops counting against its address's cap (for good).
  if (proposal.status !== 'pending' && row.settled_at === null)
    await deps.proposals.settle([row.id], deps.clock());
  return { ok: true, proposal };
}

/**
 * The contributor replaces their pending proposal (same kind and row) with a new body, checked
 * like a new one. Refused once a moderator decided.
 */
export async function amendProposalByReceipt(
  deps: IntakeDependencies,
  proposalId: string,
  receipt: string,
  raw: string | Uint8Array,
  options: { addressHash: string; pendingDoc?: Y.Doc | PendingDocument },
): Promise<Result<{ proposal: ProposalForContributor }, SubmitFailureCode>> {
  const row = await findByReceipt(deps, proposalId, receipt);
  if (!row) return fail(ProposalErrorCode.notFound);
  const pending = pendingFor(deps, row.dataset_id, options.pendingDoc);
  const now = await statusOf(deps, row, pending);
  if (!now.ok) return now;
  if (now.proposal.status !== 'pending' || row.settled_at !== null) return fail(ProposalErrorCode.notPending);
  const blocked = await junkBlocked(deps.guards, options.addressHash);
  if (blocked && !blocked.ok) return blocked;
  const read = readProposalBody(raw, deps.caps ?? DEFAULT_BODY_CAPS, 'amend');
  if (!read.ok) return refused(deps.guards, options.addressHash, read);
  const first = JSON.parse(row.body) as StoredBody;
  if (read.body.kind !== first.kind || read.body.rowId !== first.rowId) {
    return fail(ProposalErrorCode.invalid, {
      issues: [
        {
          path: 'kind',
          code: 'kind-or-row-changed',
          message: {
            fr: "Une modification garde le type et la ligne de la proposition d'origine.",
            en: 'An amendment keeps the kind and row of the original proposal.',
          },
        },
      ],
    });
  }
  const settings = await datasetSettings(deps.store, row.dataset_id);
  if (settings?.visibility !== 'public') return fail(AccessErrorCode.datasetNotFound);
  if (settings.proposals !== 'open') return fail(ProposalErrorCode.closed);
  const byAddress = await spend(deps.guards.perAddress, options.addressHash);
  if (!byAddress.allowed)
    return fail(ProposalErrorCode.rateLimited, { retryAfterMs: byAddress.retryAfterMs });
  const validator = deps.validatorFor(row.dataset_id);
  if (!validator) return fail(AccessErrorCode.datasetNotFound);
  const checked = checkAgainstDataset(read.body, settings.proposableFields, validator);
  if (!checked.ok) return refused(deps.guards, options.addressHash, checked);

  const updated = await deps.proposals.amend(row.id, JSON.stringify(storedBody(read.body)), deps.clock());
  if (!updated) return fail(ProposalErrorCode.notPending);
  return statusOf(deps, updated, pending);
}

/**
 * The contributor takes back their pending proposal, in the pending document (where statuses
 * live). Refused once a moderator decided, and without a pending document.
 */
export async function withdrawProposalByReceipt(
  deps: IntakeDependencies,
  proposalId: string,
  receipt: string,
  pendingDoc?: Y.Doc | PendingDocument,
): Promise<ContributorAnswer> {
  const row = await findByReceipt(deps, proposalId, receipt);
  if (!row) return fail(ProposalErrorCode.notFound);
  const pending = pendingFor(deps, row.dataset_id, pendingDoc);
  if (!pending) throw new AccessFault('pending-document-missing', 'withdrawing needs the pending document');
  if (row.delivered_revision < row.revision)
    await deliverStoredProposals(deps, row.dataset_id, pending, [row.id]);
  const withdrawn = await pending.change((doc) =>
    withdrawInPending(doc, row.id, undefined).ok ? contributorView(row, doc) : undefined,
  );
  if (!withdrawn) return fail(ProposalErrorCode.notPending);
  await deps.proposals.settle([row.id], deps.clock());
  return { ok: true, proposal: withdrawn };
}
