/**
 * One record read from the public API (the dataset's summary, its schema, the record), for a
 * record page opened directly: it shows before the sync code loads. Only for showing; any
 * failure (offline, private, unknown record) gives null and the session speaks instead.
 */
import type { Field } from '@datapatch/core';
import type { DatasetAbout } from '@datapatch/protocol';
import { aboutUrl, parseAbout, readAbout, readJson } from './about.ts';

export type ServedRecord = {
  about: DatasetAbout;
  fields: Field[];
  primaryKey?: string | string[];
  values: Record<string, unknown>;
};

export function recordFromAnswers(
  id: string,
  rowId: string,
  aboutBody: unknown,
  schemaBody: unknown,
  rowBody: unknown,
): ServedRecord | null {
  const about = parseAbout(aboutBody, id);
  const schema = (schemaBody as { schema?: { fields?: unknown; primaryKey?: string | string[] } } | null)
    ?.schema;
  const row = (rowBody as { row?: { id?: unknown; values?: unknown } } | null)?.row;
  if (about === null || !Array.isArray(schema?.fields) || row?.id !== rowId) return null;
  if (typeof row.values !== 'object' || row.values === null) return null;
  const fields = (schema.fields as unknown[]).filter(
    (f): f is Field => typeof f === 'object' && f !== null && typeof (f as Field).name === 'string',
  );
  return {
    about,
    fields,
    ...(schema.primaryKey !== undefined ? { primaryKey: schema.primaryKey } : {}),
    values: row.values as Record<string, unknown>,
  };
}

export async function fetchRecord(
  id: string,
  rowId: string,
  fetcher: typeof fetch = fetch,
): Promise<ServedRecord | null> {
  const read = (url: string) => readJson(fetcher, url);
  const base = aboutUrl(id);
  try {
    // Schema and row only when the caller can read the dataset (no 404 logged for a private one).
    const about = await readAbout(fetcher, id);
    if (about === null) return null;
    const [schema, row] = await Promise.all([
      read(`${base}/schema`),
      read(`${base}/rows/${encodeURIComponent(rowId)}`),
    ]);
    return recordFromAnswers(id, rowId, about, schema, row);
  } catch {
    return null;
  }
}
