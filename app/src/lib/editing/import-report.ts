/**
 * What the server answered to a file import (`POST /api/datasets/:id/import`), summarised for
 * the owner: detection, repairs, and schema errors counted per column. Invariant: read
 * leniently — a missing part is absent from the summary, never a thrown error.
 */
export type ImportSummary = {
  datasetId: string;
  created: boolean;
  rowsImported: number;
  format: string | null;
  encoding: string | null;
  separator: string | null;
  repairCount: number;
  renamedHeaders: number;
  errorCount: number;
  /** Schema errors per column, most first. */
  errorsByField: { field: string; count: number; example: string }[];
};

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function summariseImport(body: unknown, locale: 'fr' | 'en'): ImportSummary | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const datasetId = str(b.datasetId);
  if (datasetId === null) return null;
  const report = (b.importReport ?? {}) as Record<string, unknown>;
  const validation = (b.validation ?? {}) as Record<string, unknown>;
  const counts = new Map<string, { count: number; example: string }>();
  for (const raw of Array.isArray(validation.errors) ? validation.errors : []) {
    const e = raw as { field?: unknown; message?: Record<string, unknown> };
    const field = str(e.field) ?? '—';
    const message = str(e.message?.[locale]) ?? '';
    const entry = counts.get(field);
    if (entry === undefined) counts.set(field, { count: 1, example: message });
    else entry.count++;
  }
  return {
    datasetId,
    created: b.created === true,
    rowsImported: num(b.rowsImported),
    format: str(report.format),
    encoding: str(report.encoding),
    separator: str(report.separator),
    repairCount: num(report.repairCount),
    renamedHeaders: Array.isArray(report.renamedHeaders) ? report.renamedHeaders.length : 0,
    errorCount: num(validation.errorCount),
    errorsByField: [...counts]
      .map(([field, v]) => ({ field, ...v }))
      .sort((x, y) => y.count - x.count || x.field.localeCompare(y.field)),
  };
}
