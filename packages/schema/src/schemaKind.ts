// Which kind of schema a JSON document is — a Frictionless Table Schema, a Datami field list or a
// JSON Schema — read into one Table Schema (a JSON Schema rides along under `jsonSchema`). A
// document of another kind, or with no field at all, is a value with a stable code, never a guess.

import { toTableSchema } from './datamiSchema.ts';
import { type JsonSchemaReading, tableSchemaFromJsonSchema } from './jsonSchemaFields.ts';
import type { TableSchema } from './tableSchema.ts';
import type { Message } from './validationMessages.ts';

export type SchemaKind = 'table-schema' | 'datami-fields' | 'json-schema';

export type SchemaReadCode = 'schema-kind-unsupported' | 'schema-no-fields';

export type SchemaRead =
  | {
      ok: true;
      kind: SchemaKind;
      schema: TableSchema;
      notes: { field: string; change: string }[];
    }
  | { ok: false; code: SchemaReadCode; message: Message };

/** JSON Schema versions the server validates: draft-07 and 2019-09 / 2020-12. */
const supportedJsonSchema = /json-schema\.org\/(?:draft-07|draft\/2019-09|draft\/2020-12)\/schema/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function refused(code: SchemaReadCode, fr: string, en: string): SchemaRead {
  return { ok: false, code, message: { fr, en } };
}

const noFields = () =>
  refused(
    'schema-no-fields',
    'Ce schéma ne décrit aucun champ : un Table Schema liste ses champs dans « fields », un JSON Schema ses propriétés dans « properties ».',
    'This schema describes no field: a Table Schema lists its fields in "fields", a JSON Schema its properties in "properties".',
  );

function looksLikeJsonSchema(json: Record<string, unknown>): boolean {
  if (json.type === 'object' && isObject(json.properties)) return true;
  if (json.type === 'array' && isObject(json.items)) return true;
  return (
    (isObject(json.$defs) || isObject(json.definitions)) && (isObject(json.properties) || '$ref' in json)
  );
}

/** Reads any schema document; `{}` and kinds this validator cannot honour are refused with a code. */
export function readSchema(json: unknown): SchemaRead {
  if (Array.isArray(json)) {
    if (json.length === 0) return noFields();
    if (!json.every((f) => isObject(f) && typeof f.name === 'string'))
      return unsupported('a list whose items are not fields with a name');
    const { schema, notes } = toTableSchema(json);
    return { ok: true, kind: 'datami-fields', schema, notes };
  }
  if (!isObject(json)) return unsupported('not a JSON object');
  if ('fields' in json) {
    if (!Array.isArray(json.fields)) return unsupported('"fields" is not a list');
    const { schema, notes } = toTableSchema(json);
    if (schema.fields.length === 0) return noFields();
    // A Table Schema sent back by the wizard after reading a JSON Schema keeps it under jsonSchema.
    if (isObject(json.jsonSchema)) return { ok: true, kind: 'json-schema', schema, notes };
    const tableSchema = typeof json.$schema === 'string' && json.$schema.includes('table-schema');
    return {
      ok: true,
      kind: tableSchema || notes.length === 0 ? 'table-schema' : 'datami-fields',
      schema,
      notes,
    };
  }
  if (typeof json.$schema === 'string') {
    if (!json.$schema.includes('json-schema.org')) return unsupported(`"$schema": "${json.$schema}"`);
    if (!supportedJsonSchema.test(json.$schema))
      return unsupported(`JSON Schema ${json.$schema} (draft-07, 2019-09 and 2020-12 are read)`);
    return fromJsonSchema(json);
  }
  if (looksLikeJsonSchema(json)) return fromJsonSchema(json);
  if (Object.keys(json).length === 0) return noFields();
  if (Array.isArray(json.resources))
    return unsupported('a Data Package: give the schema of one of its resources');
  return unsupported('neither "fields" (Table Schema) nor "properties" (JSON Schema)');
}

function fromJsonSchema(json: Record<string, unknown>): SchemaRead {
  const reading: JsonSchemaReading = tableSchemaFromJsonSchema(json);
  if (reading.schema.fields.length === 0) return noFields();
  return { ok: true, kind: 'json-schema', schema: reading.schema, notes: reading.notes };
}

function unsupported(what: string): SchemaRead {
  return refused(
    'schema-kind-unsupported',
    `Ce type de schéma n’est pas pris en charge (${what}). Formats lus : Table Schema, liste de champs Datami, JSON Schema (draft-07, 2019-09, 2020-12).`,
    `This kind of schema is not supported (${what}). Read: Table Schema, Datami field list, JSON Schema (draft-07, 2019-09, 2020-12).`,
  );
}
