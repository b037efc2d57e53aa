// What a JSON Schema says about each property of a record, read without a validator: the Table
// Schema fields a form can be built from, and the JSON types a CSV cell may be read as. Only local
// references (`#/$defs/…`, `#/definitions/…`) are followed; anything else is left to the validator.

import type { Constraints, Field, TableSchema } from './tableSchema.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One segment of a JSON pointer (`~1` is `/`, `~0` is `~`). */
export function pointerSegment(raw: string): string {
  return raw.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The node a local `$ref` points at (JSON pointer from the root), or null. */
function follow(root: Json, ref: string): Json | null {
  if (!ref.startsWith('#')) return null;
  let node: unknown = root;
  for (const raw of ref
    .slice(1)
    .split('/')
    .filter((p) => p !== '')) {
    const key = pointerSegment(decodeURIComponent(raw));
    node = isObject(node) ? node[key] : undefined;
  }
  return isObject(node) ? node : null;
}

/** `node` with its `$ref` (and `$ref`s of what it points at) merged in, own keywords winning. */
function resolved(root: Json, node: Json, depth = 0): Json {
  if (typeof node.$ref !== 'string' || depth > 20) return node;
  const target = follow(root, node.$ref);
  if (target === null) return node;
  const { $ref: _ref, ...own } = node;
  return { ...resolved(root, target, depth + 1), ...own };
}

/** The schema a record must match: the root, or its `items` when the root describes an array of records. */
export function recordSchemaOf(root: Json): Json {
  const node = resolved(root, root);
  if (node.type === 'array' && isObject(node.items)) return resolved(root, node.items);
  return node;
}

export interface PropertyShape {
  /** JSON types a value may have (`null` included when the property may be null); empty: any. */
  types: Set<string>;
  /** The one non-null alternative's keywords (format, enum, pattern, lengths, bounds, items). */
  rules: Json;
  /** Alternatives this reading could not fold into one field (several non-null types). */
  mixed: boolean;
}

const jsonTypes = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'null'];

function typesOf(node: Json): string[] {
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type)) return node.type.filter((t): t is string => typeof t === 'string');
  const values = Array.isArray(node.enum) ? node.enum : 'const' in node ? [node.const] : null;
  if (values === null) return [];
  return [
    ...new Set(
      values.map((v) =>
        v === null
          ? 'null'
          : Array.isArray(v)
            ? 'array'
            : typeof v === 'number'
              ? 'number'
              : typeof v === 'object'
                ? 'object'
                : typeof v,
      ),
    ),
  ].filter((t) => jsonTypes.includes(t));
}

/** Reads one property: `anyOf: [X, {type: null}]` (pydantic's optional) is X, nullable. */
export function shapeOf(root: Json, property: Json): PropertyShape {
  const node = resolved(root, property);
  const alternatives = [
    ...(Array.isArray(node.anyOf) ? node.anyOf : []),
    ...(Array.isArray(node.oneOf) ? node.oneOf : []),
  ].filter(isObject);
  const own: Json = { ...node };
  delete own.anyOf;
  delete own.oneOf;
  if (Array.isArray(node.allOf)) {
    for (const part of node.allOf.filter(isObject)) Object.assign(own, resolved(root, part), own);
    delete own.allOf;
  }
  if (alternatives.length === 0) return { types: new Set(typesOf(own)), rules: own, mixed: false };
  const shapes = alternatives.map((alt) => shapeOf(root, alt));
  const types = new Set(shapes.flatMap((s) => [...s.types]));
  // An alternative with no type accepts anything: the property is untyped.
  if (shapes.some((s) => s.types.size === 0)) types.clear();
  const valued = shapes.filter((s) => !(s.types.size === 1 && s.types.has('null')));
  const one = valued.length === 1 ? valued[0] : undefined;
  return {
    types,
    rules: one ? { ...one.rules, ...withoutTyping(own) } : withoutTyping(own),
    mixed: valued.length > 1 || (one?.mixed ?? false),
  };
}

function withoutTyping(node: Json): Json {
  const { type: _type, ...rest } = node;
  return rest;
}

/** The properties of the record schema, in the order written, each with its shape. */
export function propertyShapes(root: Json): Map<string, PropertyShape> {
  const record = recordSchemaOf(root);
  const shapes = new Map<string, PropertyShape>();
  const properties = isObject(record.properties) ? record.properties : {};
  for (const [name, property] of Object.entries(properties)) {
    if (isObject(property)) shapes.set(name, shapeOf(root, property));
  }
  return shapes;
}

/** JSON Schema patterns match anywhere; Table Schema patterns are anchored at both ends. */
function anchored(pattern: string): string {
  return pattern.startsWith('^') && pattern.endsWith('$') ? pattern : `[\\s\\S]*(?:${pattern})[\\s\\S]*`;
}

const stringFormats: Record<string, Pick<Field, 'type' | 'format'>> = {
  date: { type: 'date' },
  'date-time': { type: 'datetime' },
  email: { type: 'string', format: 'email' },
  uri: { type: 'string', format: 'uri' },
  uuid: { type: 'string', format: 'uuid' },
};

export interface JsonSchemaReading {
  schema: TableSchema;
  /** Fields whose rules a Table Schema field cannot carry: the JSON Schema still checks them on import. */
  notes: { field: string; change: 'json-schema-rules-checked-on-import' }[];
}

/**
 * Table Schema fields for a JSON Schema's record properties (types, required, enum, pattern,
 * lengths, bounds), with the JSON Schema itself kept under `jsonSchema`: the server validates
 * imports against it, forms use the fields.
 */
export function tableSchemaFromJsonSchema(root: Json): JsonSchemaReading {
  const record = recordSchemaOf(root);
  const required = new Set(Array.isArray(record.required) ? record.required.map(String) : []);
  const notes: JsonSchemaReading['notes'] = [];
  const fields: Field[] = [];
  for (const [name, shape] of propertyShapes(root)) {
    const rules = shape.rules;
    const valued = [...shape.types].filter((t) => t !== 'null');
    const field: Field = { name };
    const only =
      valued.length === 1
        ? valued[0]
        : valued.length === 2 && valued.includes('integer') && valued.includes('number')
          ? 'number'
          : undefined;
    let carried = !shape.mixed;
    if (only === 'string')
      Object.assign(
        field,
        (typeof rules.format === 'string' && stringFormats[rules.format]) || { type: 'string' },
      );
    else if (
      only === 'integer' ||
      only === 'number' ||
      only === 'boolean' ||
      only === 'object' ||
      only === 'array'
    )
      field.type = only;
    else {
      field.type = 'any';
      if (valued.length > 0) carried = false;
    }
    if (typeof rules.title === 'string') field.title = rules.title;
    if (typeof rules.description === 'string') field.description = rules.description;
    if (Array.isArray(rules.examples) && rules.examples.length > 0) field.example = rules.examples[0];
    const constraints: Constraints = {};
    if (required.has(name)) constraints.required = true;
    if (Array.isArray(rules.enum)) constraints.enum = rules.enum.filter((v) => v !== null);
    else if ('const' in rules && rules.const !== null) constraints.enum = [rules.const];
    if (typeof rules.pattern === 'string') constraints.pattern = anchored(rules.pattern);
    for (const key of [
      'minLength',
      'maxLength',
      'minimum',
      'maximum',
      'exclusiveMinimum',
      'exclusiveMaximum',
    ] as const) {
      if (typeof rules[key] === 'number') constraints[key] = rules[key] as number;
    }
    // Item rules (an enum per item, uniqueItems, minItems) and nested objects stay in the JSON Schema.
    for (const key of [
      'items',
      'uniqueItems',
      'minItems',
      'maxItems',
      'properties',
      'not',
      'if',
      'multipleOf',
    ])
      if (key in rules) carried = false;
    if (Object.keys(constraints).length > 0) field.constraints = constraints;
    if (!carried) notes.push({ field: name, change: 'json-schema-rules-checked-on-import' });
    fields.push(field);
  }
  // A required property the record schema does not describe is still a column.
  for (const name of required) {
    if (!fields.some((f) => f.name === name))
      fields.push({ name, type: 'any', constraints: { required: true } });
  }
  const schema: TableSchema = { fields, jsonSchema: root };
  if (typeof root.title === 'string') schema.title = root.title;
  return { schema, notes };
}

const numberText = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A cell as the JSON value the schema expects, where that is unambiguous: text stays text when
 * text is allowed; otherwise `12` becomes a number, `true` a boolean, `["a"]` an array. An empty
 * cell is no value (undefined), as in Table Schema.
 */
export function jsonValueOf(cell: unknown, types: ReadonlySet<string> | undefined): unknown {
  if (cell === null || cell === undefined || cell === '') return undefined;
  if (typeof cell !== 'string' || types === undefined || types.size === 0 || types.has('string')) return cell;
  if ((types.has('number') || types.has('integer')) && numberText.test(cell)) return Number(cell);
  if (types.has('boolean') && (cell === 'true' || cell === 'false')) return cell === 'true';
  if ((types.has('array') && cell.startsWith('[')) || (types.has('object') && cell.startsWith('{'))) {
    try {
      return JSON.parse(cell);
    } catch {
      return cell;
    }
  }
  return cell;
}
