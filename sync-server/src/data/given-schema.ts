/**
 * A schema given with a file (`--schema`, the import API's `schema` part) and Datami custom props
 * (`--custom-props`, the `customProps` part), read the same way by the CLI and the API.
 * Invariant: anything that cannot be honoured is a value with a stable code and both languages,
 * never a schema with no fields that would report every column as "not in the schema".
 */
import { applyCustomProps, readSchema, type SchemaKind, type TableSchema } from '@datapatch/schema/server';

export const GivenSchemaCode = {
  /** Not JSON, or no field at all (`{}`, `{"fields": []}`), or a schema the validator cannot compile. */
  schemaInvalid: 'schema_invalid',
  /** JSON, but neither a Table Schema, a Datami field list nor a JSON Schema this validator reads. */
  schemaKindUnsupported: 'schema_kind_unsupported',
  /** The custom props are not JSON or have no `fields` list. */
  customPropsInvalid: 'custom_props_invalid',
} as const;

export type Refusal = { ok: false; code: string; message: string; fr: string };
export type Notes = { field: string; change: string }[];

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function readGivenSchema(
  text: string,
): { ok: true; schema: TableSchema; kind: SchemaKind; notes: Notes } | Refusal {
  const json = parsed(text);
  if (!json.ok)
    return {
      ok: false,
      code: GivenSchemaCode.schemaInvalid,
      message: 'The schema is not valid JSON',
      fr: 'Le schéma n’est pas du JSON valide',
    };
  const read = readSchema(json.value);
  if (read.ok) return read;
  return {
    ok: false,
    code:
      read.code === 'schema-kind-unsupported'
        ? GivenSchemaCode.schemaKindUnsupported
        : GivenSchemaCode.schemaInvalid,
    message: read.message.en,
    fr: read.message.fr,
  };
}

/** `schema` with what the custom props say about values (OUI/NON booleans, tag lists). */
export function withCustomProps(
  schema: TableSchema,
  text: string,
): { ok: true; schema: TableSchema; notes: Notes } | Refusal {
  const json = parsed(text);
  const reading = json.ok ? applyCustomProps(schema, json.value) : null;
  if (reading?.ok) return reading;
  return {
    ok: false,
    code: GivenSchemaCode.customPropsInvalid,
    message: reading ? reading.message.en : 'The custom props are not valid JSON',
    fr: reading ? reading.message.fr : 'Les propriétés Datami ne sont pas du JSON valide',
  };
}
