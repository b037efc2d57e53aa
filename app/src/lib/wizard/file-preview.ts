/**
 * What the wizard shows of a file before anything is created: its first rows and, per column, a
 * few sample values. Read in the browser with the same reader as the server's import (so the
 * column names match the inferred schema's); a large text file is read from its first bytes only,
 * and the row that cut may have split is dropped. A file that cannot be read gives no preview,
 * never an error: the server's dry run is what decides.
 */
import type { Cell, Table } from '@datapatch/io';

export type FilePreview = {
  fields: string[];
  /** The first rows, as read. */
  rows: Record<string, Cell>[];
  /** Per column: up to `samples` distinct non-empty values, in order of appearance, shortened. */
  samples: Record<string, string[]>;
};

/** Text files are previewed from this many first bytes; other formats must be read whole. */
export const PREVIEW_BYTES = 256 * 1024;
/** Workbooks and JSON larger than this get no preview (reading them would freeze the page). */
export const PREVIEW_WHOLE_MAX = 8 * 1024 * 1024;
const SAMPLE_LENGTH = 40;

function shortened(value: string): string {
  return value.length > SAMPLE_LENGTH ? `${value.slice(0, SAMPLE_LENGTH - 1)}…` : value;
}

export function previewOf(table: Table, options: { rows?: number; samples?: number } = {}): FilePreview {
  const wanted = options.samples ?? 3;
  const samples: Record<string, string[]> = {};
  for (const field of table.fields) {
    const seen = new Set<string>();
    for (const row of table.rows) {
      const value = row[field];
      if (value === null || value === undefined) continue;
      const text = String(value).trim();
      if (text === '' || seen.has(text)) continue;
      seen.add(text);
      if (seen.size >= wanted) break;
    }
    samples[field] = [...seen].map(shortened);
  }
  return { fields: table.fields, rows: table.rows.slice(0, options.rows ?? 5), samples };
}

function isText(name: string): boolean {
  return /\.(csv|tsv|txt)$/i.test(name);
}

/** Reads the preview of a chosen file, or null when it cannot (too large, unreadable). */
export async function readPreview(file: File): Promise<FilePreview | null> {
  const text = isText(file.name);
  if (!text && file.size > PREVIEW_WHOLE_MAX) return null;
  const cut = text && file.size > PREVIEW_BYTES;
  try {
    const bytes = new Uint8Array(await (cut ? file.slice(0, PREVIEW_BYTES) : file).arrayBuffer());
    // Loaded on demand: the reader (with its workbook support) stays out of the other pages.
    const { importFile } = await import('@datapatch/io');
    const read = await importFile(bytes, { filename: file.name });
    if (!read.ok) return null;
    const table = cut ? { fields: read.table.fields, rows: read.table.rows.slice(0, -1) } : read.table;
    return previewOf(table);
  } catch {
    return null;
  }
}
