/**
 * A Table Schema as the owner edits it in a form: one draft per field (name, title, type,
 * required, enum values, format, description), and back. Invariants: whatever the form does not
 * show (other constraints, unknown keys, schema-level keys) is kept as it was; a field the owner
 * empties (title, format, enum…) loses that key instead of keeping an empty string.
 */
import type { Field, TableSchema } from '@datapatch/core';

export const FIELD_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'time',
  'year',
  'yearmonth',
  'duration',
  'geopoint',
  'object',
  'array',
  'list',
  'any',
] as const;

export type FieldDraft = {
  /** The name the field had when the draft was made; `null` for a field the owner added. */
  from: string | null;
  name: string;
  title: string;
  type: string;
  required: boolean;
  /** Enum values, one per line (empty: no enum). */
  enumText: string;
  format: string;
  description: string;
};

export type DraftIssue = { code: 'name-empty' | 'name-repeated' | 'schema-empty'; index: number };

export function draftOf(field: Field): FieldDraft {
  const constraints = field.constraints ?? {};
  const values = Array.isArray(constraints.enum) ? constraints.enum : [];
  return {
    from: field.name,
    name: field.name,
    title: field.title ?? '',
    type: field.type ?? 'string',
    required: constraints.required === true,
    enumText: values.map((v) => String(v)).join('\n'),
    format: field.format ?? '',
    description: field.description ?? '',
  };
}

export function draftsOf(schema: TableSchema): FieldDraft[] {
  return schema.fields.map(draftOf);
}

export function newDraft(name: string): FieldDraft {
  return {
    from: null,
    name,
    title: '',
    type: 'string',
    required: false,
    enumText: '',
    format: '',
    description: '',
  };
}

/** Enum text to values, typed like the field (an integer enum holds numbers). */
export function enumValues(draft: FieldDraft): (string | number)[] {
  const lines = draft.enumText
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const unique = [...new Set(lines)];
  if (draft.type === 'integer' || draft.type === 'number') {
    const numbers = unique.map(Number);
    if (numbers.every((n) => Number.isFinite(n))) return numbers;
  }
  return unique;
}

/** The field the draft describes, on top of what the original field held. */
export function fieldOf(draft: FieldDraft, original: Field | undefined): Field {
  const {
    title: _t,
    format: _f,
    description: _d,
    constraints: oldConstraints,
    ...rest
  } = original ?? {
    name: draft.name,
  };
  const field: Field = { ...rest, name: draft.name.trim(), type: draft.type };
  if (draft.title.trim()) field.title = draft.title.trim();
  if (draft.format.trim()) field.format = draft.format.trim();
  if (draft.description.trim()) field.description = draft.description.trim();
  const constraints: Record<string, unknown> = { ...(oldConstraints ?? {}) };
  delete constraints.required;
  delete constraints.enum;
  if (draft.required) constraints.required = true;
  const values = enumValues(draft);
  if (values.length > 0) constraints.enum = values;
  if (Object.keys(constraints).length > 0) field.constraints = constraints;
  return field;
}

/** The schema the drafts describe, with `base`'s other keys; renamed fields follow in the primary key. */
export function schemaOf(base: TableSchema, drafts: FieldDraft[]): TableSchema {
  const byName = new Map(base.fields.map((f) => [f.name, f]));
  const renames = new Map<string, string>();
  for (const d of drafts) if (d.from !== null && d.from !== d.name.trim()) renames.set(d.from, d.name.trim());
  const kept = new Set(drafts.flatMap((d) => (d.from === null ? [] : [d.from])));
  const { fields: _fields, ...extras } = base;
  const schema: TableSchema = {
    ...extras,
    fields: drafts.map((d) => fieldOf(d, d.from === null ? undefined : byName.get(d.from))),
  };
  if (base.primaryKey !== undefined) {
    const keys = (Array.isArray(base.primaryKey) ? base.primaryKey : [base.primaryKey])
      .filter((k) => kept.has(k))
      .map((k) => renames.get(k) ?? k);
    if (keys.length === 0) delete schema.primaryKey;
    else schema.primaryKey = Array.isArray(base.primaryKey) ? keys : keys[0];
  }
  return schema;
}

/** What stops the drafts from being a schema: empty or repeated names, no field at all. */
export function draftIssues(drafts: FieldDraft[]): DraftIssue[] {
  if (drafts.length === 0) return [{ code: 'schema-empty', index: -1 }];
  const issues: DraftIssue[] = [];
  const seen = new Set<string>();
  drafts.forEach((d, index) => {
    const name = d.name.trim();
    if (name === '') issues.push({ code: 'name-empty', index });
    else if (seen.has(name)) issues.push({ code: 'name-repeated', index });
    seen.add(name);
  });
  return issues;
}

/** Moves the draft at `index` by `delta` places (kept inside the list). */
export function moveDraft(drafts: FieldDraft[], index: number, delta: -1 | 1): FieldDraft[] {
  const target = index + delta;
  if (target < 0 || target >= drafts.length) return drafts;
  const out = [...drafts];
  const [moved] = out.splice(index, 1);
  if (moved !== undefined) out.splice(target, 0, moved);
  return out;
}
