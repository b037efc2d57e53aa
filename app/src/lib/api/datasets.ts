/**
 * The list of public datasets from `GET /api/datasets`. Failures are values: a network
 * error or a bad answer gives `{ ok: false, error: { code } }`, and the last good list is
 * kept on the device so the home page still shows something offline.
 */

export type DatasetSummary = { id: string; title: string; description: string; rowCount: number | null };
export type DatasetListResult =
  | { ok: true; datasets: DatasetSummary[] }
  | { ok: false; error: { code: 'network' | 'http' | 'bad-response'; message: string } };

const CACHE_KEY = 'datapatch:datasets';

function toSummary(raw: unknown): DatasetSummary | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const id = r.id ?? r.datasetId;
  if (typeof id !== 'string' || id === '') return null;
  return {
    id,
    title: typeof r.title === 'string' && r.title !== '' ? r.title : id,
    description: typeof r.description === 'string' ? r.description : '',
    rowCount: typeof r.rowCount === 'number' ? r.rowCount : null,
  };
}

/** Reads a list answer: an array of datasets, or an object holding one under `datasets`. */
export function parseDatasetList(body: unknown): DatasetSummary[] | null {
  const list = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null && Array.isArray((body as { datasets?: unknown }).datasets)
      ? (body as { datasets: unknown[] }).datasets
      : null;
  if (list === null) return null;
  return list.map(toSummary).filter((d): d is DatasetSummary => d !== null);
}

export async function fetchDatasets(fetcher: typeof fetch = fetch): Promise<DatasetListResult> {
  let response: Response;
  try {
    response = await fetcher('/api/datasets', { headers: { accept: 'application/json' } });
  } catch (error) {
    return { ok: false, error: { code: 'network', message: String(error) } };
  }
  if (!response.ok) return { ok: false, error: { code: 'http', message: `HTTP ${response.status}` } };
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    return { ok: false, error: { code: 'bad-response', message: String(error) } };
  }
  const datasets = parseDatasetList(body);
  if (datasets === null) return { ok: false, error: { code: 'bad-response', message: 'not a dataset list' } };
  return { ok: true, datasets };
}

export function rememberDatasets(datasets: DatasetSummary[]): void {
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(datasets));
  } catch {
    // Nothing to do: the list is simply not available offline.
  }
}

export function rememberedDatasets(): DatasetSummary[] {
  try {
    return parseDatasetList(JSON.parse(localStorage.getItem(CACHE_KEY) ?? '[]')) ?? [];
  } catch {
    return [];
  }
}
