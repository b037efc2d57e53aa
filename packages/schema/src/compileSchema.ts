// Compiles a Table Schema once into a validator whose per-row work is a few closures per field:
// the same code checks a proposal form on every keystroke (browser) and a whole import (server).
// Row numbers are 1-based data rows; a schema the validator cannot honour throws a SchemaError.

import { type CustomCheck, type CustomChecks, pureCustomChecks } from './customChecks.ts';
import { type Cast, casterFor, invalid } from './fieldTypes.ts';
import type { Cell, Field, Row, TableSchema } from './tableSchema.ts';
import {
  type ConstraintName,
  constraintErrorMessage,
  customCheckErrorMessage,
  type Message,
  rowErrorMessage,
  type SchemaWarningCode,
  schemaWarningMessage,
  typeErrorMessage,
  type ValidationErrorCode,
} from './validationMessages.ts';

export interface ValidationError {
  code: ValidationErrorCode;
  /** 1-based data row; null for errors about the columns (labels). */
  row: number | null;
  field: string | null;
  constraint?: ConstraintName;
  /** For custom-check-error: the validata check name (`french-siret-value`…). */
  check?: string;
  value?: Cell;
  message: Message;
}

/** Something in the schema the validator does not check, said once per schema (not per row). */
export interface SchemaWarning {
  code: SchemaWarningCode;
  /** The custom check's name as written in the schema. */
  check: string;
  field: string | null;
  message: Message;
}

export interface CompileOptions {
  /**
   * The validata `custom_checks` this validator can run. Default: `pureCustomChecks` (SIREN,
   * SIRET, phone); `serverCustomChecks` from `@datapatch/schema/server` adds opening hours.
   */
  customChecks?: CustomChecks;
}

export interface TableReport {
  valid: boolean;
  errorCount: number;
  /** The first `maxErrors` errors, in row order. */
  errors: ValidationError[];
  countsByCode: Partial<Record<ValidationErrorCode, number>>;
}

export interface SchemaValidator {
  readonly schema: TableSchema;
  readonly fieldNames: readonly string[];
  /** Declared custom checks this validator cannot run (unknown name, unknown column). */
  readonly warnings: readonly SchemaWarning[];
  /** Errors of one row on its own, e.g. a proposal form (uniqueness and blank rows: validateTable). */
  validateRow(row: Row, rowNumber?: number): ValidationError[];
  validateLabels(labels: readonly string[]): ValidationError[];
  validateTable(rows: readonly Row[], opts?: { labels?: readonly string[]; maxErrors?: number }): TableReport;
  /** Typed values of a row (null for missing), or undefined for a cell that does not cast. */
  castRow(row: Row): Record<string, unknown>;
  /**
   * The values that `unique` fields and the primary key already use in `rows`, to check one new
   * or edited row (a proposal) without revalidating the table.
   */
  uniqueIndex(rows: readonly Row[]): UniqueIndex;
}

/**
 * What every schema kind can do with rows: a Table Schema's SchemaValidator, or a JSON Schema's
 * validator (`compileJsonSchema` from `@datapatch/schema/server`). Same report shape for both.
 */
export type RowsValidator = Pick<
  SchemaValidator,
  'fieldNames' | 'warnings' | 'validateRow' | 'validateLabels' | 'validateTable'
>;

export interface UniqueIndex {
  /** unique-error / primary-key-error for `row`; `replacing` is the row it edits (its values are free). */
  errorsFor(row: Row, opts?: { rowNumber?: number; replacing?: Row }): ValidationError[];
}

export class SchemaError extends Error {
  constructor(
    readonly code: 'schema-invalid' | 'schema-pattern-invalid' | 'schema-primary-key-invalid',
    message: string,
  ) {
    super(message);
    this.name = 'SchemaError';
  }
}

interface CompiledField {
  name: string;
  type: string;
  format: string | undefined;
  /** For booleans, the spellings accepted, shown in the error message. */
  accepted: string[] | undefined;
  /** The schema's example value, shown when a value breaks the pattern. */
  example: string | undefined;
  cast: Cast;
  required: boolean;
  missingValues: Set<string>;
  /** Checks on the typed value; empty for most fields, so valid cells cost nothing more. */
  checks: ((typed: unknown, raw: Exclude<Cell, null | undefined>) => [ConstraintName, unknown] | null)[];
  unique: boolean;
  /** The schema's custom_checks on this column that the registry knows. */
  custom: { name: string; check: CustomCheck; params: Record<string, unknown> }[];
}

export function compileSchema(schema: TableSchema, options: CompileOptions = {}): SchemaValidator {
  if (!schema || !Array.isArray(schema.fields))
    throw new SchemaError('schema-invalid', 'schema.fields must be an array');
  const primaryKey = typeof schema.primaryKey === 'string' ? [schema.primaryKey] : (schema.primaryKey ?? []);
  const names = schema.fields.map((f) => f.name);
  for (const key of primaryKey) {
    if (!names.includes(key))
      throw new SchemaError('schema-primary-key-invalid', `primaryKey field ${key} is not a field`);
  }
  const tableMissing = schema.missingValues ?? [''];
  const fields = schema.fields.map((field) =>
    compileField(field, tableMissing, primaryKey.includes(field.name)),
  );
  const warnings = attachCustomChecks(schema, fields, options.customChecks ?? pureCustomChecks);

  function validateRow(row: Row, rowNumber = 1): ValidationError[] {
    const errors: ValidationError[] = [];
    for (const f of fields) {
      const raw = row[f.name];
      if (raw === undefined) {
        errors.push({
          code: 'missing-cell',
          row: rowNumber,
          field: f.name,
          message: rowErrorMessage('missing-cell', f.name),
        });
        continue;
      }
      if (raw === null || (typeof raw === 'string' && f.missingValues.has(raw))) {
        if (f.required) errors.push(constraintError(f, rowNumber, 'required', true, raw));
        continue;
      }
      const typed = f.cast(raw);
      if (typed === invalid) {
        errors.push({
          code: 'type-error',
          row: rowNumber,
          field: f.name,
          value: raw,
          message: typeErrorMessage(f.name, f.type, f.format, f.accepted),
        });
        continue;
      }
      for (const check of f.checks) {
        const failed = check(typed, raw);
        if (failed) errors.push(constraintError(f, rowNumber, failed[0], failed[1], raw));
      }
      for (const custom of f.custom) {
        const problem = custom.check(String(raw), custom.params);
        if (problem)
          errors.push({
            code: 'custom-check-error',
            row: rowNumber,
            field: f.name,
            check: custom.name,
            value: raw,
            message: customCheckErrorMessage(f.name, problem),
          });
      }
    }
    return errors;
  }

  function validateLabels(labels: readonly string[]): ValidationError[] {
    const errors: ValidationError[] = [];
    const known = new Set(names);
    const present = new Set(labels);
    for (const label of labels) {
      if (!known.has(label)) {
        errors.push(labelError('extra-label', label));
      }
    }
    for (const name of names) {
      if (!present.has(name)) {
        errors.push(labelError('missing-label', name));
      }
    }
    return errors;
  }

  function validateTable(
    rows: readonly Row[],
    opts: { labels?: readonly string[]; maxErrors?: number } = {},
  ): TableReport {
    const { report, add } = collectReport(opts.maxErrors);
    const labels = opts.labels ?? (rows[0] ? Object.keys(rows[0]) : names);
    const labelErrors = validateLabels(labels);
    for (const error of labelErrors) add(error);
    // A column the file lacks is reported once as missing-label, not once per row as missing-cell.
    const absent = new Set(labelErrors.filter((e) => e.code === 'missing-label').map((e) => e.field));
    const uniqueFields = fields.filter((f) => f.unique && !absent.has(f.name));
    const seen = new Map<string, Map<unknown, number>>(uniqueFields.map((f) => [f.name, new Map()]));
    const keyFields = primaryKey.filter((k) => !absent.has(k)).map((k) => fields[names.indexOf(k)]!);
    const keysSeen = new Map<string, number>();
    rows.forEach((row, index) => {
      const rowNumber = index + 1;
      // Frictionless reports an empty row once, instead of once per required cell.
      if (isBlankRow(row)) {
        add({ code: 'blank-row', row: rowNumber, field: null, message: rowErrorMessage('blank-row', '') });
        return;
      }
      for (const error of validateRow(row, rowNumber)) {
        if (!(error.code === 'missing-cell' && absent.has(error.field))) add(error);
      }
      for (const f of uniqueFields) {
        const key = uniqueKey(f, row[f.name]);
        if (key === null) continue;
        const values = seen.get(f.name)!;
        const first = values.get(key);
        if (first === undefined) values.set(key, rowNumber);
        else
          add({
            code: 'unique-error',
            row: rowNumber,
            field: f.name,
            value: row[f.name],
            message: rowErrorMessage('unique-error', f.name),
          });
      }
      if (keyFields.length > 0) {
        const parts = keyFields.map((f) => uniqueKey(f, row[f.name]));
        if (parts.includes(null)) return; // already a required error
        const key = JSON.stringify(parts);
        if (keysSeen.has(key)) {
          add({
            code: 'primary-key-error',
            row: rowNumber,
            field: primaryKey.join(', '),
            message: rowErrorMessage('primary-key-error', primaryKey.join(', ')),
          });
        } else keysSeen.set(key, rowNumber);
      }
    });
    return { ...report, valid: report.errorCount === 0 };
  }

  function castRow(row: Row): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const f of fields) {
      const raw = row[f.name];
      if (raw === undefined || raw === null || (typeof raw === 'string' && f.missingValues.has(raw))) {
        values[f.name] = null;
        continue;
      }
      const typed = f.cast(raw);
      values[f.name] = typed === invalid ? undefined : typed;
    }
    return values;
  }

  function uniqueIndex(rows: readonly Row[]): UniqueIndex {
    const uniqueFields = fields.filter((f) => f.unique);
    const keyFields = primaryKey.map((k) => fields[names.indexOf(k)]!);
    const primaryKeyOf = (row: Row) => {
      const parts = keyFields.map((f) => uniqueKey(f, row[f.name]));
      return parts.includes(null) ? null : JSON.stringify(parts);
    };
    const counts = new Map<string, Map<unknown, number>>(uniqueFields.map((f) => [f.name, new Map()]));
    const keys = new Map<string, number>();
    const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
    for (const row of rows) {
      for (const f of uniqueFields) {
        const key = uniqueKey(f, row[f.name]);
        if (key !== null) bump(counts.get(f.name)!, key);
      }
      const key = keyFields.length > 0 ? primaryKeyOf(row) : null;
      if (key !== null) bump(keys, key);
    }
    return {
      errorsFor(row, opts = {}) {
        const rowNumber = opts.rowNumber ?? 1;
        const errors: ValidationError[] = [];
        for (const f of uniqueFields) {
          const key = uniqueKey(f, row[f.name]);
          if (key === null) continue;
          const own = opts.replacing && uniqueKey(f, opts.replacing[f.name]) === key ? 1 : 0;
          if ((counts.get(f.name)!.get(key) ?? 0) - own > 0) {
            errors.push({
              code: 'unique-error',
              row: rowNumber,
              field: f.name,
              value: row[f.name],
              message: rowErrorMessage('unique-error', f.name),
            });
          }
        }
        const key = keyFields.length > 0 ? primaryKeyOf(row) : null;
        if (key !== null) {
          const own = opts.replacing && primaryKeyOf(opts.replacing) === key ? 1 : 0;
          if ((keys.get(key) ?? 0) - own > 0) {
            const label = primaryKey.join(', ');
            errors.push({
              code: 'primary-key-error',
              row: rowNumber,
              field: label,
              message: rowErrorMessage('primary-key-error', label),
            });
          }
        }
        return errors;
      },
    };
  }

  return {
    schema,
    fieldNames: names,
    warnings,
    validateRow,
    validateLabels,
    validateTable,
    castRow,
    uniqueIndex,
  };
}

/** A report that keeps the first `maxErrors` errors (default 10,000) and counts every one. */
export function collectReport(maxErrors = 10_000): {
  report: TableReport;
  add: (error: ValidationError) => void;
} {
  const report: TableReport = { valid: true, errorCount: 0, errors: [], countsByCode: {} };
  const add = (error: ValidationError) => {
    report.errorCount++;
    report.countsByCode[error.code] = (report.countsByCode[error.code] ?? 0) + 1;
    if (report.errors.length < maxErrors) report.errors.push(error);
  };
  return { report, add };
}

export function labelError(code: 'extra-label' | 'missing-label', label: string): ValidationError {
  return { code, row: null, field: label, message: rowErrorMessage(code, label) };
}

/** Every cell empty: Frictionless reports the row once instead of once per required cell. */
export function isBlankRow(row: Row): boolean {
  for (const key in row) {
    const value = row[key];
    if (value !== null && value !== undefined && value !== '') return false;
  }
  return true;
}

function constraintError(
  f: CompiledField,
  row: number,
  constraint: ConstraintName,
  expected: unknown,
  value: Cell,
): ValidationError {
  return {
    code: 'constraint-error',
    row,
    field: f.name,
    constraint,
    value,
    message: constraintErrorMessage(f.name, constraint, expected, f.example),
  };
}

/** The value two rows must not share, compared after casting ("01" and "1" are the same integer). */
function uniqueKey(f: CompiledField, raw: Cell): unknown {
  if (raw === null || raw === undefined || (typeof raw === 'string' && f.missingValues.has(raw))) return null;
  const typed = f.cast(raw);
  if (typed === invalid) return `raw:${String(raw)}`;
  return typed !== null && typeof typed === 'object' ? JSON.stringify(typed) : typed;
}

function compileField(field: Field, tableMissing: string[], inPrimaryKey: boolean): CompiledField {
  if (!field || typeof field.name !== 'string')
    throw new SchemaError('schema-invalid', 'every field needs a name');
  const cast = casterFor(field);
  const c = field.constraints ?? {};
  const checks: CompiledField['checks'] = [];
  const typedBound = (bound: unknown): unknown => {
    if (typeof bound === 'number') return bound;
    const typed = cast(bound as string);
    return typed === invalid ? bound : typed;
  };
  if (c.enum && Array.isArray(c.enum) && field.type === 'list') {
    // A list's enum names the allowed items (Datami tags "T-O-D" against T, O, D, C); items are
    // compared trimmed, as tags are written "Professionnels – Citoyens".
    const allowed = new Set(c.enum.map((v) => String(v).trim()));
    const expected = c.enum;
    checks.push((typed) =>
      (typed as unknown[]).every((item) => allowed.has(String(item).trim())) ? null : ['enum', expected],
    );
  } else if (c.enum && Array.isArray(c.enum)) {
    const allowed = new Set(c.enum.map((v) => comparable(cast(v as string))));
    const expected = c.enum;
    checks.push((typed) => (allowed.has(comparable(typed)) ? null : ['enum', expected]));
  }
  if (typeof c.pattern === 'string') {
    const pattern = compilePattern(c.pattern, field.name);
    const expected = c.pattern;
    checks.push((_, raw) => (pattern.test(String(raw)) ? null : ['pattern', expected]));
  }
  const bounds: [ConstraintName, unknown, (v: never, b: never) => boolean][] = [
    ['minimum', c.minimum, (v, b) => v >= b],
    ['maximum', c.maximum, (v, b) => v <= b],
    ['exclusiveMinimum', c.exclusiveMinimum, (v, b) => v > b],
    ['exclusiveMaximum', c.exclusiveMaximum, (v, b) => v < b],
  ];
  for (const [name, bound, passes] of bounds) {
    if (bound === undefined) continue;
    const typed = typedBound(bound);
    checks.push((v) => (passes(v as never, typed as never) ? null : [name, bound]));
  }
  if (typeof c.minLength === 'number') {
    const min = c.minLength;
    checks.push((v) => (lengthOf(v) >= min ? null : ['minLength', min]));
  }
  if (typeof c.maxLength === 'number') {
    const max = c.maxLength;
    checks.push((v) => (lengthOf(v) <= max ? null : ['maxLength', max]));
  }
  return {
    name: field.name,
    type: String(field.type ?? 'string'),
    format: field.format,
    accepted:
      field.type === 'boolean'
        ? [
            ...(field.trueValues ?? ['true', 'True', 'TRUE', '1']),
            ...(field.falseValues ?? ['false', 'False', 'FALSE', '0']),
          ]
        : undefined,
    example: exampleOf(field),
    cast,
    required: c.required === true || inPrimaryKey,
    missingValues: new Set(field.missingValues ?? tableMissing),
    checks,
    unique: c.unique === true,
    custom: [],
  };
}

/**
 * Gives each field the custom checks the schema declares on it (`{ name, params: { column } }`).
 * A name the registry lacks, or a column that is no field, is one warning: the rest still validates.
 */
function attachCustomChecks(
  schema: TableSchema,
  fields: CompiledField[],
  registry: CustomChecks,
): SchemaWarning[] {
  const declared = schema.custom_checks;
  if (!Array.isArray(declared)) return [];
  const warnings: SchemaWarning[] = [];
  const warned = new Set<string>();
  for (const entry of declared as unknown[]) {
    if (!entry || typeof entry !== 'object') continue;
    const { name, params } = entry as { name?: unknown; params?: unknown };
    const checkName = String(name);
    const args = params && typeof params === 'object' ? (params as Record<string, unknown>) : {};
    const column = typeof args.column === 'string' ? args.column : null;
    const check = Object.hasOwn(registry, checkName) ? registry[checkName] : undefined;
    if (!check) {
      if (warned.has(checkName)) continue;
      warned.add(checkName);
      warnings.push({
        code: 'custom-check-unknown',
        check: checkName,
        field: column,
        message: schemaWarningMessage('custom-check-unknown', checkName, column),
      });
      continue;
    }
    const field = fields.find((f) => f.name === column);
    if (!field) {
      warnings.push({
        code: 'custom-check-column-unknown',
        check: checkName,
        field: column,
        message: schemaWarningMessage('custom-check-column-unknown', checkName, column),
      });
      continue;
    }
    field.custom.push({ name: checkName, check, params: args });
  }
  return warnings;
}

function comparable(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') return Object.keys(value).length;
  return String(value).length;
}

/** The field's example as text (`example`, or the first of `examples`), when it is a plain value. */
function exampleOf(field: Field): string | undefined {
  const examples = field.examples;
  const example = field.example ?? (Array.isArray(examples) ? examples[0] : undefined);
  return typeof example === 'string' || typeof example === 'number' ? String(example) : undefined;
}

/** Table Schema patterns are XML-Schema style: implicitly anchored at both ends. */
export function compilePattern(pattern: string, field: string): RegExp {
  const source = `^(?:${pattern.replace(/\(\?P</g, '(?<')})$`;
  try {
    return new RegExp(source, 'u');
  } catch {
    try {
      return new RegExp(source);
    } catch (error) {
      throw new SchemaError('schema-pattern-invalid', `field ${field}: ${(error as Error).message}`);
    }
  }
}
