// The Frictionless Table Schema (v1, with the v2 additions that are cheap to honour), as read from
// JSON. Everything is optional beyond `fields[].name`, as in real published schemas.

export type FieldType =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'object'
  | 'array'
  | 'list'
  | 'date'
  | 'time'
  | 'datetime'
  | 'year'
  | 'yearmonth'
  | 'duration'
  | 'geopoint'
  | 'geojson'
  | 'any';

export const fieldTypes: readonly FieldType[] = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'list',
  'date',
  'time',
  'datetime',
  'year',
  'yearmonth',
  'duration',
  'geopoint',
  'geojson',
  'any',
];

export interface Constraints {
  required?: boolean;
  unique?: boolean;
  enum?: unknown[];
  pattern?: string;
  minimum?: number | string;
  maximum?: number | string;
  exclusiveMinimum?: number | string;
  exclusiveMaximum?: number | string;
  minLength?: number;
  maxLength?: number;
}

export interface Field {
  name: string;
  type?: FieldType | string;
  format?: string;
  title?: string;
  description?: string;
  example?: unknown;
  constraints?: Constraints;
  missingValues?: string[];
  trueValues?: string[];
  falseValues?: string[];
  decimalChar?: string;
  groupChar?: string;
  bareNumber?: boolean;
  /** list type: separator between items (default ","), and the type of each item. */
  delimiter?: string;
  itemType?: FieldType | string;
  [extra: string]: unknown;
}

export interface TableSchema {
  fields: Field[];
  primaryKey?: string | string[];
  missingValues?: string[];
  [extra: string]: unknown;
}

export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;
