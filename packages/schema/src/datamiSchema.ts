// Reads a schema as published: a Frictionless Table Schema, or a Datami field list (its
// `json/*-schema.json`: fields with name/title/type/format/constraints, often no type, sometimes
// the misspelt `contraints`). The result is always a plain Table Schema an owner can edit.

import { type Field, type FieldType, fieldTypes, type TableSchema } from './tableSchema.ts';

export interface SchemaReading {
  schema: TableSchema;
  /** What had to be changed to make it a valid Table Schema, for the owner to see. */
  notes: {
    field: string;
    change: 'type-defaulted-to-string' | 'contraints-renamed' | 'unknown-type-to-any';
  }[];
}

export function toTableSchema(json: unknown): SchemaReading {
  const source = (Array.isArray(json) ? { fields: json } : json) as { fields?: unknown } | null;
  const rawFields = Array.isArray(source?.fields) ? (source.fields as Record<string, unknown>[]) : [];
  const notes: SchemaReading['notes'] = [];
  const fields = rawFields
    .filter((raw) => raw && typeof raw.name === 'string')
    .map((raw) => {
      const field = { ...raw } as Field;
      if (field.type === undefined) {
        field.type = 'string';
        notes.push({ field: field.name, change: 'type-defaulted-to-string' });
      } else if (!fieldTypes.includes(field.type as FieldType)) {
        field.type = 'any';
        notes.push({ field: field.name, change: 'unknown-type-to-any' });
      }
      if (raw.contraints && !raw.constraints) {
        field.constraints = raw.contraints as Field['constraints'];
        delete field.contraints;
        notes.push({ field: field.name, change: 'contraints-renamed' });
      }
      return field;
    });
  return { schema: { ...(source as object), fields } as TableSchema, notes };
}
