// Datami's per-field settings (`json/*-fields-custom-props.json`) read for validation: what they
// say about values — booleans written OUI/NON, tags joined by a separator — becomes Table Schema
// (trueValues/falseValues, a list with its delimiter). Display settings (colours, sticky, hide,
// subtypes such as link or longtext) change nothing. Every change is noted for the owner.

import type { Field, TableSchema } from './tableSchema.ts';
import type { Message } from './validationMessages.ts';

export type CustomPropsNote = {
  field: string;
  change: 'boolean-values-from-custom-props' | 'tags-as-list';
};

export type CustomPropsReading =
  | { ok: true; schema: TableSchema; notes: CustomPropsNote[] }
  | { ok: false; code: 'custom-props-invalid'; message: Message };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function optionValue(option: unknown): string | null {
  if (isObject(option) && (typeof option.value === 'string' || typeof option.value === 'number'))
    return String(option.value);
  return null;
}

/** `schema` with what `props` (a parsed custom-props file) says about its fields' values. */
export function applyCustomProps(schema: TableSchema, props: unknown): CustomPropsReading {
  if (!isObject(props) || !Array.isArray(props.fields))
    return {
      ok: false,
      code: 'custom-props-invalid',
      message: {
        fr: 'Ce fichier n’est pas un fichier de propriétés Datami : il lui faut une liste « fields ».',
        en: 'This is not a Datami custom-props file: it needs a "fields" list.',
      },
    };
  const byName = new Map<string, Record<string, unknown>>();
  for (const entry of props.fields)
    if (isObject(entry) && typeof entry.name === 'string') byName.set(entry.name, entry);
  const notes: CustomPropsNote[] = [];
  const fields = schema.fields.map((original) => {
    const prop = byName.get(original.name);
    if (prop === undefined) return original;
    const field: Field = { ...original };
    const options = isObject(prop.booleanOptions) ? prop.booleanOptions : null;
    const yes = optionValue(options?.true);
    const no = optionValue(options?.false);
    if (yes !== null && no !== null) {
      field.type = 'boolean';
      field.trueValues = [yes];
      field.falseValues = [no];
      notes.push({ field: field.name, change: 'boolean-values-from-custom-props' });
    }
    // Several tags in one cell ("T-O-D"): a list whose items each meet the field's enum.
    if (prop.subtype === 'tags') {
      field.type = 'list';
      field.delimiter =
        typeof prop.tagSeparator === 'string' && prop.tagSeparator !== '' ? prop.tagSeparator : ',';
      field.itemType = 'string';
      notes.push({ field: field.name, change: 'tags-as-list' });
    }
    return field;
  });
  return { ok: true, schema: { ...schema, fields }, notes };
}
