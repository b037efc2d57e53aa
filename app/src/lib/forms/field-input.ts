/**
 * Which input a Table Schema field gets in a proposal form. Pure: decided from the schema
 * alone, so the same field always gets the same widget. Values stay cells of the dataset
 * (lists are joined with the separator the schema uses, never a JSON array).
 */
import type { Field } from '@datapatch/schema';
import { COORDINATE_DECIMALS } from '../map/geopoint-format.ts';

export type InputKind =
  | 'choice'
  | 'multi-choice'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'url'
  | 'phone'
  | 'opening-hours'
  | 'geopoint'
  | 'long-text'
  | 'text'
  /** A GeoJSON shape or a JSON object: technical, never a text box in a citizen's form. */
  | 'shape';

export interface FieldInput {
  name: string;
  label: string;
  description: string | undefined;
  kind: InputKind;
  required: boolean;
  /** Allowed values of a choice or multi-choice. */
  options: string[];
  /** Between the items of a multi-choice value. */
  separator: string;
  /** Coordinates: shown and written rounded to this many decimals. */
  decimals?: number;
}

/** Up to this many options show as chips; more become a select (a 360 px screen fits ~6). */
export const CHIP_LIMIT = 6;

// The mednum schema writes closed lists as a pattern: (?:(?:^|\|)(A|B|C))+$
const LIST_PATTERN = /^\^?\(\?:\(\?:\^\|\\?([|;,])\)\((.*)\)\)\+\$$/;

function unescapeRegex(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** The options and separator of a multi-valued field written as a regex pattern, if it is one. */
export function listFromPattern(
  pattern: string | undefined,
): { options: string[]; separator: string } | null {
  if (pattern === undefined) return null;
  const match = LIST_PATTERN.exec(pattern);
  if (match === null) return null;
  const separator = match[1] ?? '|';
  const body = match[2] ?? '';
  // Options are separated by unescaped `|` inside the group.
  const options: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '\\' && i + 1 < body.length) {
      current += char + body[i + 1];
      i++;
    } else if (char === '|') {
      options.push(unescapeRegex(current));
      current = '';
    } else current += char;
  }
  options.push(unescapeRegex(current));
  return options.every((o) => o !== '') ? { options, separator } : null;
}

const PHONE_NAME = /(^|_)(t[ée]l[ée]phone|tel|phone|portable|mobile)(_|$)/i;
const EMAIL_NAME = /(^|_)(e?-?mail|courriels?|email)(_|$)/i;
const URL_NAME = /(^|_)(url|site|site_web|website|lien)(_|$)/i;
const HOURS_NAME = /(^|_)(horaires?|opening_hours)(_|$)/i;
const LONG_NAME = /(description|presentation|commentaire|detail|remarque|note)/i;

/** The input for one field of the schema. */
export function inputFor(field: Field): FieldInput {
  const constraints = field.constraints ?? {};
  const base = {
    name: field.name,
    label: field.title ?? field.name,
    description: field.description,
    required: constraints.required === true,
    options: [] as string[],
    separator: '|',
  };
  const type = field.type ?? 'string';
  if (Array.isArray(constraints.enum) && constraints.enum.length > 0) {
    return { ...base, kind: 'choice', options: constraints.enum.map(String) };
  }
  const list = listFromPattern(constraints.pattern);
  if (list !== null) return { ...base, kind: 'multi-choice', ...list };
  switch (type) {
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'integer':
    case 'year':
      return { ...base, kind: 'integer' };
    case 'number':
      return { ...base, kind: 'number' };
    case 'date':
      return { ...base, kind: 'date' };
    case 'datetime':
      return { ...base, kind: 'datetime' };
    case 'time':
      return { ...base, kind: 'time' };
    case 'geopoint':
      return { ...base, kind: 'geopoint' };
    case 'object':
    case 'geojson':
      return { ...base, kind: 'shape' };
    case 'array':
      return { ...base, kind: 'long-text' };
  }
  if (field.format === 'email' || EMAIL_NAME.test(field.name)) return { ...base, kind: 'email' };
  if (field.format === 'uri' || URL_NAME.test(field.name)) return { ...base, kind: 'url' };
  if (PHONE_NAME.test(field.name)) return { ...base, kind: 'phone' };
  if (HOURS_NAME.test(field.name) || field.format === 'opening_hours')
    return { ...base, kind: 'opening-hours' };
  if (LONG_NAME.test(field.name) || (constraints.maxLength ?? 0) > 200) return { ...base, kind: 'long-text' };
  return { ...base, kind: 'text' };
}

/** Whether the schema says this field follows OpenStreetMap's opening_hours syntax (else a hint only). */
export function requiresOsmHours(field: Field): boolean {
  const text = `${field.description ?? ''} ${field.format ?? ''}`;
  return /openstreetmap|opening_hours|\bOSM\b/i.test(text);
}

export function splitList(value: string, separator: string): string[] {
  return value === '' ? [] : value.split(separator).map((item) => item.trim());
}

/** Items in the schema's order, so the same choice always writes the same text. */
export function joinList(items: readonly string[], options: readonly string[], separator: string): string {
  const chosen = new Set(items);
  const known = options.filter((o) => chosen.has(o));
  const unknown = items.filter((i) => !options.includes(i));
  return [...known, ...unknown].join(separator);
}

/** The latitude and longitude of a place: one geopoint field, or a pair of number fields. */
export type PositionFields =
  | { kind: 'geopoint'; field: string }
  | { kind: 'pair'; latitude: string; longitude: string }
  | null;

export function positionFields(fields: readonly Field[]): PositionFields {
  const geopoint = fields.find((f) => f.type === 'geopoint');
  if (geopoint !== undefined) return { kind: 'geopoint', field: geopoint.name };
  const numeric = fields.filter((f) => f.type === 'number');
  const latitude = numeric.find((f) => /(^|_)lat(itude)?($|_)/i.test(f.name));
  const longitude = numeric.find((f) => /(^|_)(lon|lng|long|longitude)($|_)/i.test(f.name));
  if (latitude === undefined || longitude === undefined) return null;
  return { kind: 'pair', latitude: latitude.name, longitude: longitude.name };
}

/**
 * The inputs of a citizen's form, in schema order: technical fields (GeoJSON shapes, JSON
 * objects) left out, the latitude and longitude (or the geopoint) rounded for reading.
 */
export function citizenInputs(fields: readonly Field[]): FieldInput[] {
  const position = positionFields(fields);
  const coordinates = new Set(
    position === null
      ? []
      : position.kind === 'geopoint'
        ? [position.field]
        : [position.latitude, position.longitude],
  );
  return fields
    .map(inputFor)
    .filter((input) => input.kind !== 'shape')
    .map((input) => (coordinates.has(input.name) ? { ...input, decimals: COORDINATE_DECIMALS } : input));
}
