// The one entry point for turning a user's file into a table: refuses empty, binary and oversized
// input before any parsing, picks the format (option, then file name, then content), and adds the
// detected coordinates to the report. Takes bytes, never a path, so it runs in the browser too.

import { detectCoordinates } from './coordinates.ts';
import { type ImportSuccess, importCsv } from './csvImport.ts';
import { type ImportFailure, importFailure } from './importErrors.ts';
import { importGeojson, importJson, parseJsonBytes } from './jsonImport.ts';
import type { ImportFormat } from './table.ts';
import { looksBinary } from './textEncoding.ts';
import { importXlsx } from './xlsxImport.ts';

export interface ImportOptions {
  filename?: string;
  format?: ImportFormat;
  /** A sheet name, or a 0-based sheet position (default: the first sheet). */
  sheet?: string | number;
  /** Refuse files larger than this many bytes before parsing (default 100 MB). */
  maxBytes?: number;
  /** Refuse XLSX workbooks that expand to more than this (default 10 × maxBytes, at most 256 MB). */
  maxExpandedBytes?: number;
}

export type ImportResult = ImportSuccess | ImportFailure;

export const defaultMaxBytes = 100 * 1024 * 1024;

export async function importFile(bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
  const maxBytes = opts.maxBytes ?? defaultMaxBytes;
  if (bytes.length > maxBytes) return importFailure('file-too-large', { limit: maxBytes });
  if (isBlank(bytes)) return importFailure('file-empty');
  const format = opts.format ?? formatFromName(opts.filename) ?? formatFromContent(bytes);
  if (!format) return importFailure('file-binary');
  const result = await importAs(bytes, format, opts, maxBytes);
  if (result.ok) result.report.coordinates = detectCoordinates(result.table);
  return result;
}

async function importAs(
  bytes: Uint8Array,
  format: ImportFormat,
  opts: ImportOptions,
  maxBytes: number,
): Promise<ImportResult> {
  switch (format) {
    case 'csv':
    case 'tsv':
      return importCsv(bytes, format);
    case 'xlsx':
      if (!isZip(bytes)) return importFailure('xlsx-invalid', { detail: 'not a zip' });
      return importXlsx(
        bytes,
        opts.sheet,
        opts.maxExpandedBytes ?? Math.min(maxBytes * 10, 256 * 1024 * 1024),
      );
    case 'json':
    case 'geojson': {
      const parsed = parseJsonBytes(bytes);
      if (!parsed.ok) return parsed;
      const isCollection = (parsed.value as { type?: unknown } | null)?.type === 'FeatureCollection';
      return format === 'geojson' || isCollection
        ? importGeojson(parsed.value, parsed.encoding)
        : importJson(parsed.value, parsed.encoding);
    }
  }
}

function formatFromName(filename: string | undefined): ImportFormat | null {
  const extension = filename?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  switch (extension) {
    case 'csv':
    case 'txt':
      return 'csv';
    case 'tsv':
    case 'tab':
      return 'tsv';
    case 'xlsx':
      return 'xlsx';
    case 'json':
      return 'json';
    case 'geojson':
      return 'geojson';
    default:
      return null;
  }
}

function formatFromContent(bytes: Uint8Array): ImportFormat | null {
  if (isZip(bytes)) return 'xlsx';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf) return null; // legacy .xls (OLE2)
  const start = bytes.findIndex(
    (b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf,
  );
  const first = bytes[start];
  if (first === 0x7b || first === 0x5b) return 'json'; // { or [
  if (
    looksBinary(bytes) &&
    !(bytes[0] === 0xff && bytes[1] === 0xfe) &&
    !(bytes[0] === 0xfe && bytes[1] === 0xff)
  ) {
    return null;
  }
  return 'csv';
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Empty, or only whitespace and a byte order mark. */
function isBlank(bytes: Uint8Array): boolean {
  const limit = Math.min(bytes.length, 4096);
  for (let i = 0; i < limit; i++) {
    const b = bytes[i]!;
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    if (i < 3 && (b === 0xef || b === 0xbb || b === 0xbf)) continue;
    return false;
  }
  return bytes.length <= limit;
}
