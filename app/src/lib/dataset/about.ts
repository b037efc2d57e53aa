/**
 * What a visitor needs to reuse a dataset (`GET /api/datasets/<id>`: licence, source, row count,
 * last change), read without the sync code. Failures are null: offline, private or unknown, the
 * page shows what the dataset's document says instead.
 */
import type { DatasetAbout } from '@datapatch/protocol';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The answer as the page can trust it, or null when it is not one. */
export function parseAbout(body: unknown, id: string): DatasetAbout | null {
  if (typeof body !== 'object' || body === null) return null;
  const raw = body as Record<string, unknown>;
  if (raw.datasetId !== id || typeof raw.rowCount !== 'number') return null;
  const about: DatasetAbout = { datasetId: id, title: text(raw.title) ?? id, rowCount: raw.rowCount };
  for (const key of ['description', 'licence', 'source'] as const) {
    const value = text(raw[key]);
    if (value !== undefined) about[key] = value;
  }
  const lastChange = text(raw.lastChange);
  if (lastChange !== undefined && !Number.isNaN(Date.parse(lastChange))) about.lastChange = lastChange;
  return about;
}

/** A JSON answer of the public API, or null when the server says no (the network may throw). */
export async function readJson(fetcher: typeof fetch, url: string): Promise<unknown> {
  const response = await fetcher(url, { headers: { accept: 'application/json' } });
  return response.ok ? response.json() : null;
}

export function aboutUrl(id: string): string {
  return `/api/datasets/${encodeURIComponent(id)}`;
}

/**
 * The dataset's facts from `GET /api/datasets/<id>/about`, which answers 200 with `dataset: null`
 * when the caller cannot read it (unknown, private): a state, so the browser logs no failed
 * request. Callers ask for the schema and rows only once this is not null. Throws when offline.
 */
export async function readAbout(fetcher: typeof fetch, id: string): Promise<DatasetAbout | null> {
  const body = (await readJson(fetcher, `${aboutUrl(id)}/about`)) as { dataset?: unknown } | null;
  return parseAbout(body?.dataset, id);
}

export async function fetchAbout(id: string, fetcher: typeof fetch = fetch): Promise<DatasetAbout | null> {
  try {
    return await readAbout(fetcher, id);
  } catch {
    return null;
  }
}

/** Where a source that is a web address can be followed; other sources are plain text. */
export function sourceLink(source: string): string | null {
  try {
    const url = new URL(source);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
