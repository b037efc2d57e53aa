/**
 * Anonymous proposal intake. A proposal is stored in SQLite (table `proposals`) *before* any
 * answer, then written into the dataset's pending document; the table is the durable record
 * and `deliverStoredProposals` replays whatever a crash kept from reaching the document. The
 * same idempotency key never makes a second proposal. Addresses arrive already hashed;
 * contact details never leave through these answers.
 */
import {
  addProposal as addToPending,
  amendProposal as amendInPending,
  getProposal as getFromPending,
  withdrawProposal as withdrawInPending,
} from '@datapatch/core';
import { AccessErrorCode, ProposalErrorCode } from '@datapatch/protocol';
import type { Database } from 'better-sqlite3';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type * as Y from 'yjs';
import { instanceSecret } from '../access/addresses.ts';
import { type DatasetSettings, datasetSettings } from '../access/datasets.ts';
import { type AccessDependencies, AccessFault, newId } from '../access/dependencies.ts';
import { check, createLimiter, type Limit, type LimiterStore, spend } from '../access/rate-limits.ts';
import { fail, type Result } from '../access/result.ts';
import { statement } from '../access/statements.ts';
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
const STATUSES: readonly ProposalStatus[] = [
  'pending',
  'accepted',
  'partially-accepted',
  'rejected',
  'withdrawn',
];

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

export interface IntakeDependencies extends AccessDependencies {
  guards: IntakeGuards;
  /** The compiled schema of a dataset's validated document (a @datapatch/schema SchemaValidator). */
  validatorFor(datasetId: string): RowValidator | undefined;
  caps?: BodyCaps;
}

/** A row of the `proposals` table. */
export interface ProposalRow {
  id: string;
  dataset_id: string;
  idempotency_key_hash: string;
  receipt_hash: string;
  receipt_box: string;
  body: string;
  address_hash: string;
  created_at: number;
  updated_at: number;
  status: ProposalStatus;
  revision: number;
  delivered_revision: number;
}

/** The body as stored: everything but the idempotency key, which is kept only as an HMAC. */
type StoredBody = Omit<ProposalBody, 'idempotencyKey'>;

export function migrate(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS proposals (
    id TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL,
    idempotency_key_hash TEXT NOT NULL,
    receipt_hash TEXT NOT NULL,
    receipt_box TEXT NOT NULL,
    body TEXT NOT NULL,
    address_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'partially-accepted', 'rejected', 'withdrawn')),
    revision INTEGER NOT NULL DEFAULT 1,
    delivered_revision INTEGER NOT NULL DEFAULT 0,
    UNIQUE (dataset_id, idempotency_key_hash)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS proposals_pending_by_address ON proposals (address_hash) WHERE status = 'pending';
  CREATE INDEX IF NOT EXISTS proposals_undelivered ON proposals (dataset_id) WHERE delivered_revision < revision`);
}

const ADDRESS_HASH = /^[0-9a-f]{64}$/;

function proposalSecret(deps: AccessDependencies): Buffer {
  return instanceSecret(deps, 'proposal-secret');
}

function storedBody(body: ProposalBody): StoredBody {
  const { idempotencyKey: _key, ...rest } = body;
  return { ...rest, base: { ...rest.base }, proposed: { ...rest.proposed } };
}

function readRow(db: Database, id: string): ProposalRow | undefined {
  return statement(db, 'SELECT * FROM proposals WHERE id = ?').get(id) as ProposalRow | undefined;
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

/** What a delivery learned, to record in SQLite: the revision now in the document, and its status. */
export interface DeliveryMark {
  id: string;
  revision: number;
  status: ProposalStatus;
}

/**
 * Writes the stored proposal into the pending document, whatever state it is in: absent (add),
 * behind (amend), withdrawn in SQLite but not in the document (withdraw). A moderator's decision
 * in the document is never overridden; SQLite's status follows it instead (see the mark).
 */
export function deliverInto(doc: Y.Doc, row: ProposalRow): DeliveryMark {
  const body = JSON.parse(row.body) as StoredBody;
  let status = row.status;
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
      });
      if (row.status === 'withdrawn') withdrawInPending(doc, row.id);
    } else if (existing.status === 'pending') {
      const inDoc = { ...existing, idempotencyKey: '' } as ProposalBody;
      if (canonicalBody(inDoc) !== canonicalBody({ ...body, idempotencyKey: '' })) {
        const patch = {
          base: body.base,
          proposed: body.proposed,
          ...(body.comment !== undefined ? { comment: body.comment } : {}),
          ...(body.contact !== undefined ? { contact: body.contact } : {}),
        };
        amendInPending(doc, row.id, patch);
      }
      if (row.status === 'withdrawn') withdrawInPending(doc, row.id);
    } else {
      status = existing.status;
    }
  }, 'datapatch-intake');
  return { id: row.id, revision: row.revision, status };
}

/**
 * Records deliveries. A mark whose revision is no longer the row's (amended or withdrawn since)
 * is skipped: the newer revision still has to be delivered, and its status must not go back.
 * Nor does a late "pending" mark undo a decision recorded after it was taken.
 */
export function recordDeliveries(db: Database, marks: readonly DeliveryMark[]): void {
  const update = statement(
    db,
    // A mark saying "pending" never puts back a decision recorded since it was taken: marks are
    // written late (with the next commit), moderators' decisions at once.
    `UPDATE proposals SET delivered_revision = @revision,
       status = CASE WHEN @status = 'pending' THEN status ELSE @status END
     WHERE id = @id AND revision = @revision`,
  );
  for (const mark of marks) update.run(mark);
}

function deliver(deps: AccessDependencies, row: ProposalRow, doc: Y.Doc): ProposalRow {
  const mark = deliverInto(doc, row);
  recordDeliveries(deps.db, [mark]);
  return { ...row, delivered_revision: row.revision, status: mark.status };
}

/**
 * Writes into `doc` every proposal of `datasetId` that SQLite holds but the document has not
 * seen yet (after a crash between storing and delivering). Call it when a pending document is loaded.
 */
export function deliverStoredProposals(deps: AccessDependencies, datasetId: string, doc: Y.Doc): number {
  const rows = statement(
    deps.db,
    'SELECT * FROM proposals WHERE dataset_id = ? AND delivered_revision < revision ORDER BY created_at, id',
  ).all(datasetId) as ProposalRow[];
  for (const row of rows) deliver(deps, row, doc);
  return rows.length;
}

export type SubmitFailureCode = ProposalErrorCode | typeof AccessErrorCode.datasetNotFound;
export type SubmitAnswer = Result<{ proposalId: string; receipt: string }, SubmitFailureCode>;

/** A proposal that passed every check that needs no write, ready for `storeProposals`. */
export interface CheckedProposal {
  row: ProposalRow;
  idempotencyKey: string;
  body: ProposalBody;
  receipt: string;
  maxPendingPerAddress: number;
}

/** Either the answer is already known (refusal, replay) or the proposal waits to be stored. */
export type PreparedProposal = { answer: SubmitAnswer } | { store: CheckedProposal };

/** How storing one proposal of a batch ended: its answer, and the row when it is new. */
export type StoreOutcome = { answer: SubmitAnswer; stored?: ProposalRow } | { fault: unknown };

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
 * refused proposals never spend what real contributors share. Writes nothing to SQLite (the
 * limiters' store may).
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

  const settings = options.settings ?? datasetSettings(deps.db, datasetId);
  // A private dataset does not exist for anonymous people, so it answers like a missing one.
  if (settings?.visibility !== 'public') return { answer: fail(AccessErrorCode.datasetNotFound) };
  if (settings.proposals !== 'open') return { answer: fail(ProposalErrorCode.closed) };

  const secret = proposalSecret(deps);
  const keyHash = idempotencyKeyHash(secret, datasetId, body.idempotencyKey);
  const replay = replayOf(deps, datasetId, keyHash, body, secret);
  if (replay) return { answer: replay };

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
        status: 'pending',
        revision: 1,
        delivered_revision: 0,
      },
      idempotencyKey: body.idempotencyKey,
      body,
      receipt,
      maxPendingPerAddress: deps.guards.maxPendingPerAddress,
    },
  };
}

/** One proposal inside the batch's transaction; a throw rolls back its savepoint only. */
function storeOne(
  deps: AccessDependencies,
  item: CheckedProposal,
  pendingByAddress: Map<string, number>,
): { answer: SubmitAnswer; stored?: ProposalRow } {
  const { row } = item;
  // Checked here, inside the write transaction, so a burst from one address cannot overshoot;
  // counted once per address and batch, then followed in memory.
  const pending =
    pendingByAddress.get(row.address_hash) ??
    pendingCount(deps.db, row.address_hash, item.maxPendingPerAddress);
  pendingByAddress.set(row.address_hash, pending);
  if (pending >= item.maxPendingPerAddress) {
    return { answer: fail(ProposalErrorCode.tooManyPending) };
  }
  const inserted = statement(
    deps.db,
    `INSERT INTO proposals (id, dataset_id, idempotency_key_hash, receipt_hash, receipt_box, body, address_hash,
         created_at, updated_at, status, revision, delivered_revision)
       VALUES (@id, @dataset_id, @idempotency_key_hash, @receipt_hash, @receipt_box, @body, @address_hash,
         @created_at, @updated_at, @status, @revision, @delivered_revision)
       ON CONFLICT (dataset_id, idempotency_key_hash) DO NOTHING`,
  ).run(row);
  if (inserted.changes === 0) {
    // The same key arrived twice at once (maybe in this very batch): answer as the first did.
    const first = replayOf(deps, row.dataset_id, row.idempotency_key_hash, item.body, proposalSecret(deps));
    if (first) return { answer: first };
    throw new AccessFault('idempotency-race', 'proposal vanished after a unique-key conflict');
  }
  pendingByAddress.set(row.address_hash, pending + 1);
  return { answer: { ok: true, proposalId: row.id, receipt: item.receipt }, stored: row };
}

/**
 * Stores checked proposals in one transaction (one fsync with synchronous=FULL), each inside its
 * own savepoint: a proposal that fails (a constraint, a fault) is rolled back alone and the
 * others are kept. Throws only when the transaction itself fails; then nothing is stored.
 * Delivery marks of earlier batches (`marks`) ride along in the same commit.
 */
export function storeProposals(
  deps: AccessDependencies,
  items: readonly CheckedProposal[],
  marks: readonly DeliveryMark[] = [],
): StoreOutcome[] {
  const pendingByAddress = new Map<string, number>();
  const one = deps.db.transaction((item: CheckedProposal) => storeOne(deps, item, pendingByAddress));
  return deps.db
    .transaction((): StoreOutcome[] => {
      const outcomes = items.map((item): StoreOutcome => {
        try {
          return one(item);
        } catch (fault) {
          // SQLite may have ended the whole transaction (disk full, I/O): then fail them all.
          if (!deps.db.inTransaction) throw fault;
          return { fault };
        }
      });
      recordDeliveries(deps.db, marks);
      return outcomes;
    })
    .immediate();
}

/**
 * Takes an anonymous proposal: `prepareProposal`, then `storeProposals` of this one alone, then,
 * if `pendingDoc` is given, the pending document. The HTTP server batches instead (intake-batches.ts).
 */
export async function submitProposal(
  deps: IntakeDependencies,
  datasetId: string,
  raw: string | Uint8Array,
  options: { addressHash: string; pendingDoc?: Y.Doc },
): Promise<SubmitAnswer> {
  const prepared = await prepareProposal(deps, datasetId, raw, options);
  if ('answer' in prepared) {
    if (prepared.answer.ok && options.pendingDoc)
      deliverUndelivered(deps, prepared.answer.proposalId, options.pendingDoc);
    return prepared.answer;
  }
  const [outcome] = storeProposals(deps, [prepared.store]);
  if (!outcome) throw new AccessFault('store-empty', 'storeProposals answered nothing');
  if ('fault' in outcome) throw outcome.fault;
  if (options.pendingDoc) {
    if (outcome.stored) deliver(deps, outcome.stored, options.pendingDoc);
    else if (outcome.answer.ok) deliverUndelivered(deps, outcome.answer.proposalId, options.pendingDoc);
  }
  return outcome.answer;
}

/** A replayed proposal that a crash kept from its document gets there now. */
function deliverUndelivered(deps: AccessDependencies, proposalId: string, doc: Y.Doc): void {
  const row = readRow(deps.db, proposalId);
  if (row && row.delivered_revision < row.revision) deliver(deps, row, doc);
}

function replayOf(
  deps: AccessDependencies,
  datasetId: string,
  keyHash: string,
  body: ProposalBody,
  secret: Buffer,
): SubmitAnswer | undefined {
  const row = statement(
    deps.db,
    'SELECT * FROM proposals WHERE dataset_id = ? AND idempotency_key_hash = ?',
  ).get(datasetId, keyHash) as ProposalRow | undefined;
  if (!row) return undefined;
  const first = JSON.parse(row.body) as StoredBody;
  // An amended proposal no longer equals its first body: comparing kind and row is enough then.
  const same =
    row.revision > 1
      ? first.kind === body.kind && first.rowId === body.rowId
      : canonicalBody({ ...first, idempotencyKey: '' }) === canonicalBody(body);
  if (!same) return fail(ProposalErrorCode.idempotencyKeyReused);
  const receipt = openReceipt(secret, datasetId, body.idempotencyKey, row.receipt_box);
  if (!receipt) throw new AccessFault('receipt-unsealable', 'stored receipt does not open with its own key');
  return { ok: true, proposalId: row.id, receipt };
}

/** Pending proposals of one address, counted up to `cap` (enough to compare with the cap). */
function pendingCount(db: Database, addressHash: string, cap: number): number {
  return (
    statement(
      db,
      "SELECT count(*) AS n FROM (SELECT 1 FROM proposals WHERE address_hash = ? AND status = 'pending' LIMIT ?)",
    ).get(addressHash, cap) as { n: number }
  ).n;
}

/** The row for an id and receipt, or undefined: a wrong receipt and an unknown id look alike. */
function rowForReceipt(db: Database, proposalId: string, receipt: string): ProposalRow | undefined {
  if (typeof proposalId !== 'string' || proposalId.length > 64) return undefined;
  const row = readRow(db, proposalId);
  return row && receiptMatches(receipt, row.receipt_hash) ? row : undefined;
}

/** Brings SQLite's status in line with the document's (where moderators decide). */
function refreshFromDocument(
  deps: AccessDependencies,
  row: ProposalRow,
  doc: Y.Doc | undefined,
): ProposalRow {
  if (!doc) return row;
  if (row.delivered_revision < row.revision) return deliver(deps, row, doc);
  const inDoc = getFromPending(doc, row.id);
  if (inDoc && inDoc.status !== row.status && STATUSES.includes(inDoc.status)) {
    statement(deps.db, 'UPDATE proposals SET status = ? WHERE id = ?').run(inDoc.status, row.id);
    return { ...row, status: inDoc.status };
  }
  return row;
}

/** The proposal this receipt opens, up to date with the document's decisions. */
function findByReceipt(
  deps: AccessDependencies,
  proposalId: string,
  receipt: string,
  doc: Y.Doc | undefined,
): ProposalRow | undefined {
  const found = rowForReceipt(deps.db, proposalId, receipt);
  return found && refreshFromDocument(deps, found, doc);
}

/** Where a proposal stands, for whoever holds its receipt. */
export function proposalStatus(
  deps: AccessDependencies,
  proposalId: string,
  receipt: string,
  pendingDoc?: Y.Doc,
): Result<{ proposal: ProposalForContributor }, ProposalErrorCode> {
  const row = findByReceipt(deps, proposalId, receipt, pendingDoc);
  if (!row) return fail(ProposalErrorCode.notFound);
  const body = JSON.parse(row.body) as StoredBody;
  const proposal: ProposalForContributor = {
    proposalId: row.id,
    datasetId: row.dataset_id,
    kind: body.kind,
    base: body.base,
    proposed: body.proposed,
    status: row.status,
    revision: row.revision,
    createdAt: new Date(row.created_at).toISOString(),
  };
  if (body.rowId !== undefined) proposal.rowId = body.rowId;
  if (body.comment !== undefined) proposal.comment = body.comment;
  const decision = pendingDoc ? getFromPending(pendingDoc, row.id)?.decision : undefined;
  if (decision && !decision.undone) {
    proposal.decision = { status: decision.status, at: decision.at };
    if (decision.reason !== undefined) proposal.decision.reason = decision.reason;
    if (decision.fields !== undefined) proposal.decision.fields = [...decision.fields];
    if (decision.refusedReasons !== undefined)
      proposal.decision.refusedReasons = { ...decision.refusedReasons };
    if (decision.rowId !== undefined) proposal.decision.rowId = decision.rowId;
  }
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
  options: { addressHash: string; pendingDoc?: Y.Doc },
): Promise<Result<{ proposal: ProposalForContributor }, SubmitFailureCode>> {
  const row = findByReceipt(deps, proposalId, receipt, options.pendingDoc);
  if (!row) return fail(ProposalErrorCode.notFound);
  if (row.status !== 'pending') return fail(ProposalErrorCode.notPending);
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
  const settings = datasetSettings(deps.db, row.dataset_id);
  if (settings?.visibility !== 'public') return fail(AccessErrorCode.datasetNotFound);
  if (settings.proposals !== 'open') return fail(ProposalErrorCode.closed);
  const byAddress = await spend(deps.guards.perAddress, options.addressHash);
  if (!byAddress.allowed)
    return fail(ProposalErrorCode.rateLimited, { retryAfterMs: byAddress.retryAfterMs });
  const validator = deps.validatorFor(row.dataset_id);
  if (!validator) return fail(AccessErrorCode.datasetNotFound);
  const checked = checkAgainstDataset(read.body, settings.proposableFields, validator);
  if (!checked.ok) return refused(deps.guards, options.addressHash, checked);

  const updated = statement(
    deps.db,
    `UPDATE proposals SET body = ?, revision = revision + 1, updated_at = ?
       WHERE id = ? AND status = 'pending' RETURNING *`,
  ).get(JSON.stringify(storedBody(read.body)), deps.clock(), row.id) as ProposalRow | undefined;
  if (!updated) return fail(ProposalErrorCode.notPending);
  if (options.pendingDoc) deliver(deps, updated, options.pendingDoc);
  return proposalStatus(deps, proposalId, receipt, options.pendingDoc);
}

/** The contributor takes back their pending proposal. Refused once a moderator decided. */
export function withdrawProposalByReceipt(
  deps: AccessDependencies,
  proposalId: string,
  receipt: string,
  pendingDoc?: Y.Doc,
): Result<{ proposal: ProposalForContributor }, ProposalErrorCode> {
  const row = findByReceipt(deps, proposalId, receipt, pendingDoc);
  if (!row) return fail(ProposalErrorCode.notFound);
  if (row.status !== 'pending') return fail(ProposalErrorCode.notPending);
  const updated = statement(
    deps.db,
    `UPDATE proposals SET status = 'withdrawn', revision = revision + 1, updated_at = ?
       WHERE id = ? AND status = 'pending' RETURNING *`,
  ).get(deps.clock(), row.id) as ProposalRow | undefined;
  if (!updated) return fail(ProposalErrorCode.notPending);
  if (pendingDoc) deliver(deps, updated, pendingDoc);
  return proposalStatus(deps, proposalId, receipt, pendingDoc);
}

/**
 * For the moderation side: keeps SQLite's status (which the pending cap counts) in line when a
 * moderator decides in the document. `deliver` and status reads also catch up on their own.
 */
export function recordDecision(db: Database, proposalId: string, status: ProposalStatus): boolean {
  if (!STATUSES.includes(status))
    throw new AccessFault('invalid-status', `unknown proposal status ${status}`);
  return statement(db, 'UPDATE proposals SET status = ? WHERE id = ?').run(status, proposalId).changes > 0;
}
