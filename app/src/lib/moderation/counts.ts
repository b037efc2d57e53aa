/**
 * Pending proposal counts for the dashboard, from the moderators' HTTP API
 * (`GET /api/datasets/:id/proposals?status=pending`). Invariant: a count is shown only when
 * the server gave one; no access or no route is `null` ("not known"), never 0.
 */
export function readPendingCount(body: unknown): number | null {
  if (Array.isArray(body)) return body.length;
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  for (const key of ['total', 'count', 'pending']) {
    if (typeof record[key] === 'number' && Number.isInteger(record[key])) return record[key] as number;
  }
  if (Array.isArray(record.proposals)) return record.proposals.length;
  return null;
}

export async function fetchPendingCount(fetcher: typeof fetch, datasetId: string): Promise<number | null> {
  try {
    const response = await fetcher(
      `/api/datasets/${encodeURIComponent(datasetId)}/proposals?status=pending`,
      {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      },
    );
    if (!response.ok) return null;
    return readPendingCount(await response.json());
  } catch {
    return null;
  }
}
