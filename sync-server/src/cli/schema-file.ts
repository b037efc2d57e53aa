/**
 * Reads the `--schema` file of `datapatch import` and `validate`. Invariants: every failure names
 * the schema file (never the data file) with a stable code; the file's content is never echoed
 * back (a binary or a wrong file would print garbage, or data that is not the user's to show).
 */
import { readFile } from 'node:fs/promises';

export type SchemaFileProblem = 'schema-missing' | 'schema-unreadable' | 'schema-binary' | 'schema-not-json';

export type SchemaFile =
  | { ok: true; text: string; json: unknown }
  | { ok: false; problem: SchemaFileProblem };

export async function readSchemaFile(path: string): Promise<SchemaFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === 'ENOENT' ? 'schema-missing' : 'schema-unreadable' };
  }
  if (bytes.includes(0)) return { ok: false, problem: 'schema-binary' };
  const text = bytes.toString('utf8');
  try {
    return { ok: true, text, json: JSON.parse(text) };
  } catch {
    // JSON.parse's message quotes the text: not shown.
    return { ok: false, problem: 'schema-not-json' };
  }
}
