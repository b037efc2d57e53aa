/**
 * The schema files an owner uploads in the wizard's schema step, read in the browser with the
 * pure readers of @datapatch/schema (no validator library loads here: a JSON Schema's rows are
 * checked by the server's dry run). Invariant: a file that cannot be used is a value saying why,
 * and the schema being edited is never replaced by one with no field.
 */
import type { TableSchema } from '@datapatch/core';
import { applyCustomProps, type Message, readSchema, type SchemaKind } from '@datapatch/schema';

export type Note = { field: string; change: string };

export type SchemaFileReading =
  | { ok: true; kind: SchemaKind; schema: TableSchema; notes: Note[] }
  | {
      ok: false;
      reason: 'not-json' | 'no-fields' | 'kind-unsupported' | 'custom-props-invalid';
      message?: Message;
    };

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A Table Schema, a Datami field list or a JSON Schema (kept under `jsonSchema` for the server). */
export function readSchemaFile(text: string): SchemaFileReading {
  const json = parse(text);
  if (!json.ok) return { ok: false, reason: 'not-json' };
  const read = readSchema(json.value);
  if (read.ok) return { ok: true, kind: read.kind, schema: read.schema as TableSchema, notes: read.notes };
  return {
    ok: false,
    reason: read.code === 'schema-no-fields' ? 'no-fields' : 'kind-unsupported',
    message: read.message,
  };
}

/** `schema` with a Datami custom-props file applied: OUI/NON booleans, tags as lists. */
export function applyCustomPropsFile(schema: TableSchema, text: string): SchemaFileReading {
  const json = parse(text);
  if (!json.ok) return { ok: false, reason: 'custom-props-invalid' };
  const read = applyCustomProps(schema as Parameters<typeof applyCustomProps>[0], json.value);
  if (!read.ok) return { ok: false, reason: 'custom-props-invalid', message: read.message };
  const kind: SchemaKind = typeof schema.jsonSchema === 'object' ? 'json-schema' : 'datami-fields';
  return { ok: true, kind, schema: read.schema as TableSchema, notes: read.notes };
}
