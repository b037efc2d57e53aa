/**
 * The moderation queue in the pending document: proposals and where each stands.
 * Invariants: a proposal is plain JSON replaced whole on amendment (revision + 1); its status is
 * its decision's, or 'pending' when it has none or its decision was undone.
 */
import type * as Y from 'yjs';
import { DataPatchError } from './codes.ts';
import { newId } from './ids.ts';
import { decisionsMap, isCellValue, proposalsMap } from './layout.ts';
import type {
  Actor,
  CellValue,
  Decision,
  NewProposal,
  Proposal,
  ProposalStatus,
  ProposalView,
} from './types.ts';

export type ProposalResult =
  | { ok: true; proposal: ProposalView }
  | { ok: false; code: 'not-found' | 'already-decided' };

function checkValues(values: Record<string, CellValue> | undefined, what: string): void {
  if (!values) return;
  for (const [field, value] of Object.entries(values)) {
    if (!isCellValue(value)) throw new DataPatchError('invalid-value', `invalid ${what} value for ${field}`);
  }
}

export function statusOf(decision: Decision | undefined): ProposalStatus {
  return !decision || decision.undone ? 'pending' : decision.status;
}

function view(proposal: Proposal, decision: Decision | undefined): ProposalView {
  return { ...proposal, status: statusOf(decision), ...(decision ? { decision } : {}) };
}

/**
 * Writes a new proposal (the server does this for anonymous contributors). Adding an id that
 * is already there writes nothing and returns the stored proposal, so a replay after a crash
 * cannot reset an amended proposal.
 */
export function addProposal(pending: Y.Doc, p: NewProposal): Proposal {
  const stored = p.id === undefined ? undefined : proposalsMap(pending).get(p.id);
  if (stored) return stored;
  checkValues(p.base, 'base');
  checkValues(p.proposed, 'proposed');
  const proposal: Proposal = {
    ...structuredClone(p),
    id: p.id ?? newId(),
    base: structuredClone(p.base ?? {}),
    createdAt: p.createdAt ?? new Date().toISOString(),
    revision: 1,
  };
  proposalsMap(pending).set(proposal.id, proposal);
  return proposal;
}

export function getProposal(pending: Y.Doc, id: string): ProposalView | undefined {
  const proposal = proposalsMap(pending).get(id);
  return proposal ? view(proposal, decisionsMap(pending).get(id)) : undefined;
}

/** Proposals oldest first, optionally only those with a status or about a row. */
export function listProposals(
  pending: Y.Doc,
  filter?: { status?: ProposalStatus | ProposalStatus[]; rowId?: string },
): ProposalView[] {
  const decisions = decisionsMap(pending);
  const statuses =
    filter?.status === undefined
      ? undefined
      : new Set(Array.isArray(filter.status) ? filter.status : [filter.status]);
  const out: ProposalView[] = [];
  for (const proposal of proposalsMap(pending).values()) {
    if (filter?.rowId !== undefined && proposal.rowId !== filter.rowId) continue;
    const v = view(proposal, decisions.get(proposal.id));
    if (statuses && !statuses.has(v.status)) continue;
    out.push(v);
  }
  return out.sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
  );
}

/** The contributor changes a pending proposal (through the server, with their receipt). */
export function amendProposal(
  pending: Y.Doc,
  id: string,
  patch: Partial<Pick<Proposal, 'base' | 'proposed' | 'comment' | 'contact'>>,
): ProposalResult {
  const proposals = proposalsMap(pending);
  const proposal = proposals.get(id);
  if (!proposal) return { ok: false, code: 'not-found' };
  const decision = decisionsMap(pending).get(id);
  if (statusOf(decision) !== 'pending') return { ok: false, code: 'already-decided' };
  checkValues(patch.base, 'base');
  checkValues(patch.proposed, 'proposed');
  const next: Proposal = { ...proposal, ...structuredClone(patch), revision: proposal.revision + 1 };
  proposals.set(id, next);
  return { ok: true, proposal: view(next, decision) };
}

/** The contributor takes back a pending proposal. */
export function withdrawProposal(pending: Y.Doc, id: string, actor?: Actor): ProposalResult {
  return decide(pending, id, { status: 'withdrawn', by: actor ?? { id: 'contributor' } });
}

/** Records a decision on a pending proposal (no effect on the validated document). */
export function decide(
  pending: Y.Doc,
  id: string,
  decision: Omit<Decision, 'at'> & { at?: string },
): ProposalResult {
  const proposal = proposalsMap(pending).get(id);
  if (!proposal) return { ok: false, code: 'not-found' };
  const decisions = decisionsMap(pending);
  if (statusOf(decisions.get(id)) !== 'pending') return { ok: false, code: 'already-decided' };
  const written: Decision = { ...decision, at: decision.at ?? new Date().toISOString() };
  decisions.set(id, written);
  return { ok: true, proposal: view(proposal, written) };
}
