/**
 * Asking the server whether a place being added may already exist, and wording why. Invariant:
 * any failure (offline, old server, odd answer) means "nothing to show", never an error in the
 * citizen's way: the hint helps, the proposal does not depend on it.
 */
import type { DuplicateCandidateWire, DuplicateReasonWire } from '@datapatch/protocol';
import type { MessageKey } from '$lib/i18n/messages.ts';
import type { Params } from '$lib/i18n/translate.ts';

/** Below this, a name says too little to look for namesakes. */
const MIN_NAME_LETTERS = 3;

/** Whether the values typed are enough to ask: a name of a few letters, or a position. */
export function worthAsking(values: Record<string, string>): boolean {
  return Object.values(values).some((v) => v.replace(/[^\p{L}\p{N}]/gu, '').length >= MIN_NAME_LETTERS);
}

function isCandidate(value: unknown): value is DuplicateCandidateWire {
  if (!value || typeof value !== 'object') return false;
  const c = value as Partial<DuplicateCandidateWire>;
  return (
    typeof c.datasetId === 'string' &&
    typeof c.rowId === 'string' &&
    typeof c.score === 'number' &&
    Array.isArray(c.reasons) &&
    typeof c.label?.name === 'string'
  );
}

export async function askLikelyDuplicates(
  datasetId: string,
  values: Record<string, string>,
  options: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<DuplicateCandidateWire[]> {
  const fetcher = options.fetch ?? fetch;
  try {
    const response = await fetcher(`/api/datasets/${encodeURIComponent(datasetId)}/duplicates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ values }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!response.ok) return [];
    const body = (await response.json()) as { candidates?: unknown };
    return Array.isArray(body.candidates) ? body.candidates.filter(isCandidate) : [];
  } catch {
    return [];
  }
}

/** The message key and parameters of each reason, in the server's order. */
export function reasonMessages(reasons: readonly DuplicateReasonWire[]): [MessageKey, Params?][] {
  const known = new Set([
    'same-name',
    'similar-name',
    'nearby',
    'same-address',
    'same-phone',
    'same-email',
    'same-siret',
    'same-town',
  ]);
  return reasons
    .filter((r) => known.has(r.code))
    .map((r) =>
      r.code === 'nearby'
        ? ['duplicates.reason.nearby', { meters: r.meters ?? 0 }]
        : [`duplicates.reason.${r.code}` as MessageKey],
    );
}

export function recordHref(candidate: Pick<DuplicateCandidateWire, 'datasetId' | 'rowId'>): string {
  return `/datasets/${encodeURIComponent(candidate.datasetId)}/records/${encodeURIComponent(candidate.rowId)}`;
}
