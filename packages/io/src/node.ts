// Node-only helper (never imported by the browser build): reads a file from disk for importFile,
// refusing it by its size on disk before a single byte is read.

import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { importFailure } from './importErrors.ts';
import { defaultMaxBytes, type ImportOptions, type ImportResult, importFile } from './importFile.ts';

export async function importFilePath(path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const maxBytes = opts.maxBytes ?? defaultMaxBytes;
  const { size } = await stat(path);
  if (size > maxBytes) return importFailure('file-too-large', { limit: maxBytes });
  const bytes = new Uint8Array(await readFile(path));
  return importFile(bytes, { filename: basename(path), ...opts });
}
