/**
 * The first screen of a dataset read from the public API (its schema and the first page of its
 * rows), for a visitor with no copy on this device: rows show before the sync code (Yjs,
 * TinyBase) is loaded. Only for showing, like the kept first screen; any failure (offline,
 * private, unknown dataset) gives null and the session speaks instead.
 */
import type { DatasetAbout } from '@datapatch/protocol';
import { aboutUrl, parseAbout, readAbout, readJson } from '../dataset/about.ts';
import { titleField } from '../dataset/title-field.ts';
import { FIRST_SCREEN_ROWS, type FirstScreen, type FirstScreenCell, orderColumns } from './first-screen.ts';

type SchemaField = { name: string; title?: string; type?: string };

function isCell(value: unknown): value is FirstScreenCell {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** The first screen the three answers make, or null when one is not what the API sends. */
export function firstScreenFromAnswers(
  id: string,
  aboutBody: unknown,
  schemaBody: unknown,
  rowsBody: unknown,
): { screen: FirstScreen; about: DatasetAbout } | null {
  const about = parseAbout(aboutBody, id);
  const schema = (schemaBody as { schema?: { fields?: unknown; primaryKey?: string | string[] } } | null)
    ?.schema;
  const page = rowsBody as { total?: unknown; rows?: unknown } | null;
  if (about === null || !Array.isArray(schema?.fields) || !Array.isArray(page?.rows)) return null;
  const fields = (schema.fields as unknown[]).filter(
    (f): f is SchemaField =>
      typeof f === 'object' && f !== null && typeof (f as SchemaField).name === 'string',
  );
  const ids: string[] = [];
  const rows: FirstScreen['rows'] = {};
  for (const raw of page.rows as unknown[]) {
    const row = raw as { id?: unknown; values?: unknown };
    if (typeof row?.id !== 'string' || typeof row.values !== 'object' || row.values === null) return null;
    const cells: Record<string, FirstScreenCell> = {};
    for (const [field, value] of Object.entries(row.values)) if (isCell(value)) cells[field] = value;
    ids.push(row.id);
    rows[row.id] = cells;
  }
  const nameField = titleField(fields, schema.primaryKey, Object.values(rows));
  return {
    about,
    screen: {
      format: 1,
      id,
      title: about.title,
      columns: orderColumns(fields, nameField),
      total: typeof page.total === 'number' ? page.total : about.rowCount,
      ids,
      rows,
      version: '',
      savedAt: Date.now(),
    },
  };
}

export async function fetchFirstScreen(
  id: string,
  fetcher: typeof fetch = fetch,
): Promise<{ screen: FirstScreen; about: DatasetAbout } | null> {
  const read = (url: string) => readJson(fetcher, url);
  const base = aboutUrl(id);
  try {
    // First whether the caller can read it: a private dataset's schema and rows are not asked
    // (their 404 would be logged by the browser as an error).
    const about = await readAbout(fetcher, id);
    if (about === null) return null;
    const [schema, rows] = await Promise.all([
      read(`${base}/schema`),
      read(`${base}/rows?limit=${FIRST_SCREEN_ROWS}`),
    ]);
    return firstScreenFromAnswers(id, about, schema, rows);
  } catch {
    return null;
  }
}
