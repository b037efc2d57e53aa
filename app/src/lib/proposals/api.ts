/**
 * The server's anonymous proposal API, as the citizen's device uses it. Every answer is a
 * value: `retry: true` means "the proposal may not have arrived, send it again later with the
 * same idempotency key" (network down, server busy, rate limit); `retry: false` means the
 * server refused it for good and the person has to look at it.
 */
import type { CellValue } from '@datapatch/core';

import type { ProposalBody, ProposalKind } from '@datapatch/protocol';

export type { ProposalBody, ProposalKind };
export type ProposalStatus = 'pending' | 'accepted' | 'partially-accepted' | 'rejected' | 'withdrawn';

export interface ApiIssue {
  path: string;
  code: string;
  message?: { fr: string; en: string } | string;
}

export interface ApiError {
  code: string;
  message: string;
  issues?: ApiIssue[];
}

export type ApiFailure = { ok: false; retry: boolean; status: number; error: ApiError };

export interface ProposalState {
  status: ProposalStatus;
  reason?: string;
  /** Fields a moderator accepted, when only some were. */
  fields?: string[];
  /** Why refused fields were refused, by field (partial decisions, when the moderator said). */
  refusedReasons?: Record<string, string>;
  decidedAt?: string;
  proposed?: Record<string, CellValue>;
}

/** Codes of this module's own failures (the server's are in @datapatch/protocol's ProposalErrorCode). */
export const ClientErrorCode = {
  network: 'network_unreachable',
  unexpectedAnswer: 'unexpected_answer',
} as const;

type Fetch = typeof fetch;

async function readError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: Partial<ApiError> };
    if (body?.error && typeof body.error.code === 'string') {
      return { code: body.error.code, message: String(body.error.message ?? ''), issues: body.error.issues };
    }
  } catch {
    // Not JSON: an HTML page from a proxy, or a server without this API yet.
  }
  return { code: ClientErrorCode.unexpectedAnswer, message: `HTTP ${response.status}` };
}

/** Whether sending again later may succeed: the server did not judge the proposal itself. */
function retryable(status: number, error: ApiError): boolean {
  if (status === 429 || status >= 500) return true;
  // A 404 without a proposal error code is a server without the API (older version, proxy).
  return status === 404 && error.code === ClientErrorCode.unexpectedAnswer;
}

async function call(
  fetchImpl: Fetch,
  url: string,
  init: RequestInit,
): Promise<{ ok: true; body: unknown } | ApiFailure> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      ...init,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });
  } catch (error) {
    return {
      ok: false,
      retry: true,
      status: 0,
      error: { code: ClientErrorCode.network, message: String(error) },
    };
  }
  if (!response.ok) {
    const error = await readError(response);
    return { ok: false, retry: retryable(response.status, error), status: response.status, error };
  }
  try {
    return { ok: true, body: response.status === 204 ? {} : await response.json() };
  } catch {
    return {
      ok: false,
      retry: true,
      status: response.status,
      error: { code: ClientErrorCode.unexpectedAnswer, message: 'not JSON' },
    };
  }
}

export class ProposalsApi {
  readonly #fetch: Fetch;
  readonly #origin: string;

  constructor(options: { fetch?: Fetch; origin?: string } = {}) {
    this.#fetch = options.fetch ?? ((...args) => fetch(...args));
    this.#origin = options.origin ?? '';
  }

  async submit(
    datasetId: string,
    body: ProposalBody,
  ): Promise<{ ok: true; proposalId: string; receipt: string } | ApiFailure> {
    const answer = await call(
      this.#fetch,
      `${this.#origin}/api/datasets/${encodeURIComponent(datasetId)}/proposals`,
      {
        method: 'POST',
        body: JSON.stringify({ ...body, website: '' }),
      },
    );
    if (!answer.ok) return answer;
    const { proposalId, receipt } = (answer.body ?? {}) as { proposalId?: unknown; receipt?: unknown };
    if (typeof proposalId !== 'string' || typeof receipt !== 'string') {
      return {
        ok: false,
        retry: true,
        status: 200,
        error: { code: ClientErrorCode.unexpectedAnswer, message: 'no receipt' },
      };
    }
    return { ok: true, proposalId, receipt };
  }

  async status(
    proposalId: string,
    receipt: string,
  ): Promise<{ ok: true; state: ProposalState } | ApiFailure> {
    const answer = await call(
      this.#fetch,
      `${this.#origin}/api/proposals/${encodeURIComponent(proposalId)}?receipt=${encodeURIComponent(receipt)}`,
      { method: 'GET' },
    );
    if (!answer.ok) return answer;
    return { ok: true, state: readState(answer.body) };
  }

  async amend(
    proposalId: string,
    receipt: string,
    body: Omit<ProposalBody, 'idempotencyKey'>,
  ): Promise<{ ok: true } | ApiFailure> {
    // The receipt travels in the query, as for status and withdraw: the body is the proposal only.
    const answer = await call(
      this.#fetch,
      `${this.#origin}/api/proposals/${encodeURIComponent(proposalId)}?receipt=${encodeURIComponent(receipt)}`,
      { method: 'PATCH', body: JSON.stringify({ ...body, website: '' }) },
    );
    return answer.ok ? { ok: true } : answer;
  }

  async withdraw(proposalId: string, receipt: string): Promise<{ ok: true } | ApiFailure> {
    const answer = await call(
      this.#fetch,
      `${this.#origin}/api/proposals/${encodeURIComponent(proposalId)}?receipt=${encodeURIComponent(receipt)}`,
      { method: 'DELETE' },
    );
    return answer.ok ? { ok: true } : answer;
  }
}

const STATUSES = new Set<string>(['pending', 'accepted', 'partially-accepted', 'rejected', 'withdrawn']);

/** Reads the status answer whether it is the proposal itself or wrapped in `{ proposal }`. */
export function readState(body: unknown): ProposalState {
  const outer = (body ?? {}) as Record<string, unknown>;
  const proposal = (
    typeof outer.proposal === 'object' && outer.proposal !== null ? outer.proposal : outer
  ) as Record<string, unknown>;
  const decision = (proposal.decision ?? {}) as Record<string, unknown>;
  const status = String(proposal.status ?? decision.status ?? 'pending');
  const state: ProposalState = { status: (STATUSES.has(status) ? status : 'pending') as ProposalStatus };
  const reason = decision.reason ?? proposal.reason;
  if (typeof reason === 'string' && reason !== '') state.reason = reason;
  if (Array.isArray(decision.fields)) state.fields = decision.fields.map(String);
  const reasons = decision.refusedReasons;
  if (typeof reasons === 'object' && reasons !== null && !Array.isArray(reasons)) {
    const kept = Object.entries(reasons).filter((e): e is [string, string] => typeof e[1] === 'string');
    if (kept.length > 0) state.refusedReasons = Object.fromEntries(kept);
  }
  if (typeof decision.at === 'string') state.decidedAt = decision.at;
  if (typeof proposal.proposed === 'object' && proposal.proposed !== null)
    state.proposed = proposal.proposed as Record<string, CellValue>;
  return state;
}
