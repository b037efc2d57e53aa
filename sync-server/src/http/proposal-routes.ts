/**
 * Anonymous proposals over HTTP: submit (202 with id and receipt), read, amend and withdraw with
 * the receipt. Invariant: 202 is sent only once the proposal is committed to SQLite (fsynced)
 * and written into the pending document through the relay's durable log; a private, missing or
 * malformed dataset id answers 404 alike.
 */
import { isDatasetId, roomName } from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { datasetSettings, hashAddress } from '../access/index.ts';
import {
  amendProposalByReceipt,
  DEFAULT_BODY_CAPS,
  deliverInto,
  deliverStoredProposals,
  IntakeBatches,
  type IntakeDependencies,
  prepareProposal,
  proposalStatus,
  withdrawProposalByReceipt,
} from '../proposals/index.ts';
import { clientAddress, type RouteDependencies, sendFailure } from './access-guard.ts';

const notFound = { error: { code: 'dataset_not_found', message: 'No such dataset' } };
const proposalNotFound = { error: { code: 'proposal_not_found', message: 'No such proposal' } };

/** Proposal ids are `newId` output: 22 URL-safe characters; anything else is refused unread. */
const PROPOSAL_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function proposalRoutes(deps: RouteDependencies): Hono {
  const app = new Hono();
  const { access } = deps;
  const batches = new IntakeBatches(access.deps, (datasetId, rows) =>
    deps.relay.changeDocuments([roomName(datasetId, 'pending')], ([doc]) =>
      rows.map((row) => deliverInto(doc!, row)),
    ),
  );
  // The intake counts bytes itself; this only stops a client streaming megabytes at us.
  const limit = bodyLimit({
    maxSize: DEFAULT_BODY_CAPS.maxBodyBytes * 2,
    onError: (c) => c.json({ error: { code: 'proposal_too_large', message: 'Proposal too large' } }, 413),
  });

  async function intakeFor(datasetId: string): Promise<IntakeDependencies | null> {
    const settings = datasetSettings(access.deps.db, datasetId);
    // Checked before the document is loaded, so unknown ids never load a room.
    if (settings?.visibility !== 'public') return null;
    const validator = await deps.schemaFor(datasetId);
    return {
      ...access.deps,
      guards: access.intakeGuards,
      validatorFor: (id) => (id === datasetId ? validator : undefined),
    };
  }

  /** Writes every stored, undelivered proposal of the dataset into its pending document. */
  function deliver(datasetId: string): Promise<number> {
    return deps.relay.changeDocuments([roomName(datasetId, 'pending')], ([doc]) =>
      // One transaction: one fsync for the delivered_revision marks, not one per proposal.
      access.deps.db.transaction(() => deliverStoredProposals(access.deps, datasetId, doc!)).immediate(),
    );
  }

  function pendingDocOf<T>(datasetId: string, read: (doc: import('yjs').Doc) => T): Promise<T> {
    return deps.relay.changeDocuments([roomName(datasetId, 'pending')], ([doc]) => read(doc!));
  }

  function datasetOf(proposalId: string): string | undefined {
    const row = access.deps.db.prepare('SELECT dataset_id FROM proposals WHERE id = ?').get(proposalId) as
      | { dataset_id: string }
      | undefined;
    return row?.dataset_id;
  }

  app.post('/api/datasets/:id/proposals', limit, async (c) => {
    const datasetId = c.req.param('id');
    if (!isDatasetId(datasetId)) return c.json(notFound, 404);
    const intake = await intakeFor(datasetId);
    if (!intake) return c.json(notFound, 404);
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const addressHash = hashAddress(access.deps, clientAddress(c, deps.trustProxy));
    const prepared = await prepareProposal(intake, datasetId, raw, { addressHash });
    const result = 'answer' in prepared ? prepared.answer : await batches.store(prepared.store);
    if (!result.ok) return sendFailure(c, result);
    return c.json({ proposalId: result.proposalId, receipt: result.receipt }, 202);
  });

  /** The proposal's dataset and receipt, or the answer to send when there are none. */
  function located(c: Context): { proposalId: string; datasetId: string; receipt: string } | Response {
    const proposalId = c.req.param('pid') ?? '';
    const receipt = c.req.query('receipt') ?? c.req.header('x-receipt') ?? '';
    const datasetId = PROPOSAL_ID.test(proposalId) ? datasetOf(proposalId) : undefined;
    if (!datasetId || !receipt) return c.json(proposalNotFound, 404);
    return { proposalId, datasetId, receipt };
  }

  app.get('/api/proposals/:pid', async (c) => {
    const where = located(c);
    if (where instanceof Response) return where;
    const result = await pendingDocOf(where.datasetId, (doc) =>
      proposalStatus(access.deps, where.proposalId, where.receipt, doc),
    );
    return result.ok ? c.json(result) : sendFailure(c, result);
  });

  app.patch('/api/proposals/:pid', limit, async (c) => {
    const where = located(c);
    if (where instanceof Response) return where;
    const intake = await intakeFor(where.datasetId);
    if (!intake) return c.json(proposalNotFound, 404);
    const raw = new Uint8Array(await c.req.arrayBuffer());
    // A moderator may have decided in the live document (the app): bring SQLite's status up to
    // date first, so a decided proposal is refused rather than amended.
    await pendingDocOf(where.datasetId, (doc) =>
      proposalStatus(access.deps, where.proposalId, where.receipt, doc),
    );
    // Checked and stored without the document (the rate limiter is async), then delivered.
    const result = await amendProposalByReceipt(intake, where.proposalId, where.receipt, raw, {
      addressHash: hashAddress(access.deps, clientAddress(c, deps.trustProxy)),
    });
    if (!result.ok) return sendFailure(c, result);
    await deliver(where.datasetId);
    const status = await pendingDocOf(where.datasetId, (doc) =>
      proposalStatus(access.deps, where.proposalId, where.receipt, doc),
    );
    return status.ok ? c.json(status) : sendFailure(c, status);
  });

  app.delete('/api/proposals/:pid', async (c) => {
    const where = located(c);
    if (where instanceof Response) return where;
    const result = await pendingDocOf(where.datasetId, (doc) =>
      withdrawProposalByReceipt(access.deps, where.proposalId, where.receipt, doc),
    );
    return result.ok ? c.json(result) : sendFailure(c, result);
  });

  return app;
}
