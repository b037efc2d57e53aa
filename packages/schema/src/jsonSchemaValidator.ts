// Validates rows against a JSON Schema with a compiled Ajv validator and reports them cell by cell,
// in the same shape as Table Schema validation (row, field, code, constraint, message fr/en).
// Server only (Ajv is ~120 kB): the browser entry never imports this module.

import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv07 from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import {
  collectReport,
  isBlankRow,
  labelError,
  type RowsValidator,
  SchemaError,
  type TableReport,
  type ValidationError,
} from './compileSchema.ts';
import { isWebLink } from './fieldTypes.ts';
import { jsonValueOf, pointerSegment, propertyShapes, recordSchemaOf } from './jsonSchemaFields.ts';
import type { Row } from './tableSchema.ts';
import {
  type ConstraintName,
  constraintErrorMessage,
  type Message,
  rowErrorMessage,
  typeErrorMessage,
} from './validationMessages.ts';

type Json = Record<string, unknown>;

/** The Ajv class for the schema's draft; no `$schema`: 2020-12 with `$defs`, draft-07 with `definitions`. */
function validatorClass(root: Json) {
  const declared = typeof root.$schema === 'string' ? root.$schema : '';
  if (declared.includes('draft-07')) return Ajv07;
  if (declared.includes('2019-09')) return Ajv2019;
  if (declared.includes('2020-12')) return Ajv2020;
  return 'definitions' in root && !('$defs' in root) ? Ajv07 : Ajv2020;
}

/** A row schema: the record itself, or the items of a root that describes an array of records. */
function rowSchemaOf(root: Json): Json {
  if (root.type !== 'array' || typeof root.items !== 'object' || root.items === null) return root;
  const { type: _t, items, minItems: _min, maxItems: _max, uniqueItems: _u, ...rest } = root;
  return { ...rest, allOf: [items] };
}

const keywordConstraints: Record<string, ConstraintName> = {
  enum: 'enum',
  const: 'enum',
  pattern: 'pattern',
  minLength: 'minLength',
  maxLength: 'maxLength',
  minimum: 'minimum',
  maximum: 'maximum',
  exclusiveMinimum: 'exclusiveMinimum',
  exclusiveMaximum: 'exclusiveMaximum',
  minItems: 'minItems',
  maxItems: 'maxItems',
  uniqueItems: 'uniqueItems',
};
const combinators = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'then', 'else']);
const formatTypes: Record<string, string> = { date: 'date', 'date-time': 'datetime', time: 'time' };
/** Vocabularies run to a hundred values: the message names the first ones. */
const SHOWN_VALUES = 12;

function fieldOfPath(path: string): { field: string; item: string } | null {
  const parts = path.split('/').slice(1);
  if (parts.length === 0) return null;
  return { field: pointerSegment(parts[0] ?? ''), item: parts.slice(1).map(pointerSegment).join('/') };
}

function withItem(message: Message, item: string, data: unknown): Message {
  if (item === '') return message;
  const shown = JSON.stringify(data);
  return {
    fr: `${message.fr.replace(/\.$/, '')} (élément ${item} : ${shown}).`,
    en: `${message.en.replace(/\.$/, '')} (item ${item}: ${shown}).`,
  };
}

/**
 * Turns one field's Ajv errors into what a person needs: for `anyOf: [X, null]` the rules of X
 * that failed, or one type error when no alternative's type matched.
 */
function fieldErrors(field: string, errors: ErrorObject[], rowNumber: number, row: Row): ValidationError[] {
  const value = row[field];
  const typeError = (message: Message): ValidationError => ({
    code: 'type-error',
    row: rowNumber,
    field,
    ...(value !== undefined ? { value } : {}),
    message,
  });
  const rules = errors.filter((e) => !combinators.has(e.keyword) && e.keyword !== 'type');
  const out: ValidationError[] = [];
  if (rules.length === 0) {
    const types = errors.filter((e) => e.keyword === 'type');
    if (types.length === 0) {
      // Only a combinator failed (`not`, a failed `if`/`then`): name the rule.
      const first = errors[0];
      if (first) out.push(constraint(field, rowNumber, 'schema', first.keyword, value, first, ''));
      return out;
    }
    const accepted = [
      ...new Set(types.flatMap((e) => String((e.params as { type?: unknown }).type ?? '').split(','))),
    ].filter((t) => t !== '' && t !== 'null');
    const item = fieldOfPath(types[0]?.instancePath ?? '')?.item ?? '';
    out.push(
      typeError(
        withItem(typeErrorMessage(field, accepted.join('|') || 'null', undefined), item, types[0]?.data),
      ),
    );
    return out;
  }
  const seen = new Set<string>();
  for (const error of rules) {
    const key = `${error.instancePath} ${error.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const item = fieldOfPath(error.instancePath)?.item ?? '';
    if (error.keyword === 'format') {
      const format = String((error.params as { format?: unknown }).format);
      const named = formatTypes[format];
      const message = named
        ? typeErrorMessage(field, named, undefined)
        : typeErrorMessage(field, 'string', format);
      out.push(typeError(withItem(message, item, error.data)));
      continue;
    }
    const name = keywordConstraints[error.keyword] ?? 'schema';
    out.push(constraint(field, rowNumber, name, expectedOf(error), value, error, item));
  }
  return out;
}

function expectedOf(error: ErrorObject): unknown {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum': {
      const values = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      return values.length > SHOWN_VALUES ? [...values.slice(0, SHOWN_VALUES), '…'] : values;
    }
    case 'const':
      return [params.allowedValue];
    case 'pattern':
      return params.pattern;
    case 'uniqueItems':
      return '';
    default:
      return params.limit ?? error.keyword;
  }
}

function constraint(
  field: string | null,
  rowNumber: number,
  name: ConstraintName,
  expected: unknown,
  value: Row[string] | undefined,
  error: ErrorObject,
  item: string,
): ValidationError {
  return {
    code: 'constraint-error',
    row: rowNumber,
    field,
    constraint: name,
    ...(value !== undefined ? { value } : {}),
    message: withItem(constraintErrorMessage(field ?? '', name, expected), item, error.data),
  };
}

/**
 * A validator for a JSON Schema (draft-07, 2019-09, 2020-12; a root describing an array of
 * records validates each record). Cells are typed as the schema expects where that is unambiguous
 * (jsonValueOf); an empty cell is no value. Throws SchemaError `schema-invalid` when Ajv cannot compile it.
 */
export function compileJsonSchema(root: Json): RowsValidator {
  const Validator = validatorClass(root);
  const ajv = new Validator({ allErrors: true, strict: false, verbose: true, validateFormats: true });
  addFormats(ajv);
  // The same rule as Table Schema's `uri`: only web links (a `javascript:` URI is a valid URI).
  ajv.addFormat('uri', { type: 'string', validate: isWebLink });
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(rowSchemaOf(root));
  } catch (error) {
    throw new SchemaError('schema-invalid', (error as Error).message);
  }
  const shapes = propertyShapes(root);
  const record = recordSchemaOf(root);
  const required = Array.isArray(record.required) ? record.required.map(String) : [];
  const closed = record.additionalProperties === false;
  const fieldNames = [...shapes.keys(), ...required.filter((name) => !shapes.has(name))];

  function validateRow(row: Row, rowNumber = 1, absent: ReadonlySet<string> = new Set()): ValidationError[] {
    const value: Record<string, unknown> = {};
    for (const key of Object.keys(row)) {
      const typed = jsonValueOf(row[key], shapes.get(key)?.types);
      if (typed !== undefined) value[key] = typed;
    }
    if (validate(value)) return [];
    const byField = new Map<string | null, ErrorObject[]>();
    for (const error of validate.errors ?? []) {
      let field: string | null = fieldOfPath(error.instancePath)?.field ?? null;
      if (field === null && error.keyword === 'required')
        field = String((error.params as { missingProperty?: unknown }).missingProperty);
      // Columns outside a closed schema are one extra-label for the file, not one per row.
      if (field === null && error.keyword === 'additionalProperties') continue;
      // A combinator over the whole record names no cell: its branches' errors say which.
      if (field === null && combinators.has(error.keyword)) continue;
      const list = byField.get(field) ?? [];
      list.push(error);
      byField.set(field, list);
    }
    const errors: ValidationError[] = [];
    for (const [field, list] of byField) {
      if (field === null) {
        for (const error of list)
          errors.push(constraint(null, rowNumber, 'schema', error.keyword, undefined, error, ''));
        continue;
      }
      if (list.some((e) => e.keyword === 'required' && e.instancePath === '')) {
        if (!absent.has(field)) errors.push(requiredError(field, rowNumber, row[field]));
        continue;
      }
      errors.push(...fieldErrors(field, list, rowNumber, row));
    }
    return errors;
  }

  function validateLabels(labels: readonly string[]): ValidationError[] {
    const errors: ValidationError[] = [];
    const present = new Set(labels);
    if (closed) {
      for (const label of labels) if (!shapes.has(label)) errors.push(labelError('extra-label', label));
    }
    // Optional properties may be absent from every record: only required ones are missing columns.
    for (const name of required) if (!present.has(name)) errors.push(labelError('missing-label', name));
    return errors;
  }

  function validateTable(
    rows: readonly Row[],
    opts: { labels?: readonly string[]; maxErrors?: number } = {},
  ): TableReport {
    const { report, add } = collectReport(opts.maxErrors);
    const labels = opts.labels ?? (rows[0] ? Object.keys(rows[0]) : fieldNames);
    const labelErrors = validateLabels(labels);
    for (const error of labelErrors) add(error);
    const absent = new Set(labelErrors.filter((e) => e.code === 'missing-label').map((e) => e.field ?? ''));
    rows.forEach((row, index) => {
      if (isBlankRow(row)) {
        add({ code: 'blank-row', row: index + 1, field: null, message: rowErrorMessage('blank-row', '') });
        return;
      }
      for (const error of validateRow(row, index + 1, absent)) add(error);
    });
    return { ...report, valid: report.errorCount === 0 };
  }

  return {
    fieldNames,
    warnings: [],
    validateRow: (row, rowNumber) => validateRow(row, rowNumber),
    validateLabels,
    validateTable,
  };
}

function requiredError(field: string, rowNumber: number, raw: Row[string]): ValidationError {
  return {
    code: 'constraint-error',
    row: rowNumber,
    field,
    constraint: 'required',
    ...(raw !== undefined ? { value: raw } : {}),
    message: constraintErrorMessage(field, 'required', true),
  };
}
