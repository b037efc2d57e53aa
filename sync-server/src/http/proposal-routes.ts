/**
 * Anonymous proposals over HTTP: submit (202 with id and receipt), read, amend and withdraw with
 * the receipt. Invariant: 202 is sent only once the proposal is committed to the proposal store
 * and written into the pending document through the relay's durable log; a private, missing or
 * malformed dataset id answers 404 alike. No database handle here: the store is the interface.
 */

import type { IncomingMessage } from 'node:http';
import { isDatasetId, roomName } from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import { type DatasetSettings, datasetSettings, hashAddress } from '../access/index.ts';
import { autoApprove } from '../proposals/auto-approval.ts';
import {
  amendProposalByReceipt,
  DEFAULT_BODY_CAPS,
  deliverStoredProposals,
  IntakeBatches,
  type IntakeDependencies,
  type PendingDocument,
  prepareProposal,
  proposalStatus,
  withdrawProposalByReceipt,
} from '../proposals/index.ts';
import { clientAddress, type RouteDependencies, sendFailure } from './access-guard.ts';

const notFound = { error: { code: 'dataset_not_found', message: 'No such dataset' } };
const proposalNotFound = { error: { code: 'proposal_not_found', message: 'No such proposal' } };

/** Proposal ids are `newId` output: 22 URL-safe characters; anything else is refused unread. */
const PROPOSAL_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The intake counts bytes itself; this only stops a client streaming megabytes at us. */
const BODY_READ_CAP = DEFAULT_BODY_CAPS.maxBodyBytes * 2;

/**
 * The request body, or null past `cap` bytes. Under @hono/node-server it is read straight from
 * the Node request: going through `c.req.raw` builds a WHATWG Request, an AbortSignal and a web
 * stream per proposal, which the profile showed costing more than the intake's own checks.
 */
async function readBody(c: Context, cap: number): Promise<Uint8Array | null> {
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  if (declared > cap) return null;
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || typeof incoming.on !== 'function' || incoming.readableEnded) {
    const buffer = new Uint8Array(await c.req.arrayBuffer());
    return buffer.byteLength > cap ? null : buffer;
  }
  return new Promise<Uint8Array | null>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (value: Uint8Array | null) => {
      incoming.off('data', onData).off('end', onEnd).off('error', reject);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      chunks.push(chunk);
      // Not destroyed: the 413 still has to go out on this socket.
      if (size > cap) {
        incoming.pause();
        stop(null);
      }
    };
    const onEnd = () => stop(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    incoming.on('data', onData).on('end', onEnd).on('error', reject);
  });
}

export function proposalRoutes(deps: RouteDependencies): Hono {
  const app = new Hono();
  const { access, proposals } = deps;
  /** A dataset's pending document, live in the relay: each change durable before it resolves. */
  const pendingOf = (datasetId: string): PendingDocument => {
    const room = roomName(datasetId, 'pending');
    return {
      read: (read) => deps.relay.readDocument(room, read),
      // Whatever reached the document (new, amended), the dataset's auto-approval rules run next.
      change: async (change) => {
        const result = await deps.relay.changeDocuments([room], ([doc]) => change(doc!));
        await autoApprove(deps.relay, datasetId);
        return result;
      },
    };
  };
  const baseIntake = (): IntakeDependencies => ({
    ...access.deps,
    proposals,
    guards: access.intakeGuards,
    validatorFor: () => undefined,
    pendingOf,
  });
  const batches = new IntakeBatches(baseIntake());
  const tooLarge = (c: Context) =>
    c.json({ error: { code: 'proposal_too_large', message: 'Proposal too large' } }, 413);

  async function intakeFor(
    datasetId: string,
  ): Promise<{ intake: IntakeDependencies; settings: DatasetSettings } | null> {
    const settings = await datasetSettings(access.deps.store, datasetId);
    // Checked before the document is loaded, so unknown ids never load a room.
    if (settings?.visibility !== 'public') return null;
    const validator = await deps.schemaFor(datasetId);
    const intake: IntakeDependencies = {
      ...baseIntake(),
      validatorFor: (id) => (id === datasetId ? validator : undefined),
    };
    return { intake, settings };
  }

  app.post('/api/datasets/:id/proposals', async (c) => {
    const datasetId = c.req.param('id');
    if (!isDatasetId(datasetId)) return c.json(notFound, 404);
    const found = await intakeFor(datasetId);
    if (!found) return c.json(notFound, 404);
    const raw = await readBody(c, BODY_READ_CAP);
    if (!raw) return tooLarge(c);
    const addressHash = await hashAddress(access.deps, clientAddress(c, deps.trustProxy));
    const prepared = await prepareProposal(found.intake, datasetId, raw, {
      addressHash,
      settings: found.settings,
    });
    const result = 'answer' in prepared ? prepared.answer : await batches.store(prepared.store);
    // A retry answered from the store: make sure a crash did not keep it from its document.
    if ('answer' in prepared && result.ok)
      await deliverStoredProposals(found.intake, datasetId, pendingOf(datasetId), [result.proposalId]);
    if (!result.ok) return sendFailure(c, result);
    return c.json({ proposalId: result.proposalId, receipt: result.receipt }, 202);
  });

  /** The proposal id and receipt, or the answer to send when there are none. */
  function located(c: Context): { proposalId: string; receipt: string } | Response {
    const proposalId = c.req.param('pid') ?? '';
    const receipt = c.req.query('receipt') ?? c.req.header('x-receipt') ?? '';
    if (!PROPOSAL_ID.test(proposalId) || !receipt) return c.json(proposalNotFound, 404);
    return { proposalId, receipt };
  }

  app.get('/api/proposals/:pid', async (c) => {
    const where = located(c);
    if (where instanceof Response) return where;
    const result = await proposalStatus(baseIntake(), where.proposalId, where.receipt);
    return result.ok ? c.json(result) : sendFailure(c, result);
  });

  app.patch('/api/proposals/:pid', async (c) => {
    const where = located(c);
    if (where instanceof Response) return where;
    const record = await proposals.get(where.proposalId);
    const found = record && (await intakeFor(record.dataset_id));
    if (!found) return c.json(proposalNotFound, 404);
    const raw = await readBody(c, BODY_READ_CAP);
    if (!raw) return tooLarge(c);
    const result = await amendProposalByReceipt(found.intake, where.proposalId, where.receipt, raw, {
      addressHash: await hashAddress(access.deps, clientAddress(c, deps.trustProxy)),
    });
    return result.ok ? c.json(result) : sendFailure(c, result);
  });

  app.delete('/api/proposals/:pid', async (c) => {
    const where = located(c);
    if (where instanceof Response) return where;
    const result = await withdrawProposalByReceipt(baseIntake(), where.proposalId, where.receipt);
    return result.ok ? c.json(result) : sendFailure(c, result);
  });

  return app;
}
