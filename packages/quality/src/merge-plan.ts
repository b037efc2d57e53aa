/**
 * A proposed merge of two records that describe the same place: for each field of the record kept,
 * the best value of the two (the only one given, the more recent when both have an update date,
 * else the more precise or the longer) and which record it came from. A plan is data: nothing is
 * written until the server or the app applies it. Latitude and longitude always come together.
 */

import type { RecordRef } from './duplicate-index.ts';
import type { FieldRole, FieldRoles } from './field-roles.ts';
import { foldText, normaliseEmail, normalisePhone } from './normalize.ts';
import type { RecordValues } from './place.ts';

export interface MergeSide {
  ref: RecordRef;
  values: RecordValues;
  roles: FieldRoles;
}

export type ChoiceReason =
  /** Only this record has a value. */
  | 'only-value'
  /** Both say the same; the kept record's spelling stays. */
  | 'same-value'
  /** Both say the same; this spelling has accents or mixed case where the other is flat. */
  | 'better-written'
  /** This record was updated more recently. */
  | 'more-recent'
  /** A valid phone, e-mail or postcode against an invalid one, or a position with more decimals. */
  | 'more-precise'
  /** The longer text (it usually says more). */
  | 'longer'
  /** Nothing tells them apart: the kept record's value stays. */
  | 'kept';

export interface FieldChoice {
  /** The field of the kept record. */
  field: string;
  role: FieldRole | null;
  value: unknown;
  from: RecordRef;
  /** The other record's field it was compared with, when there was one. */
  otherField: string | null;
  /** The value not chosen, when it differed, so a moderator can pick it instead. */
  alternative?: unknown;
  reason: ChoiceReason;
}

export interface MergePlan {
  kept: RecordRef;
  merged: RecordRef;
  fields: FieldChoice[];
  /** The kept record's values after the merge. */
  values: Record<string, unknown>;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function asText(value: unknown): string {
  return typeof value === 'string'
    ? value.trim()
    : value === null || value === undefined
      ? ''
      : String(value);
}

/** "2023-03-29", "29/03/2023", "2023-03-29T10:00:00Z" → a time; anything else → null. */
export function readDate(value: unknown): number | null {
  const text = asText(value);
  let match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (match) return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (match) return Date.UTC(Number(match[3]), Number(match[2]) - 1, Number(match[1]));
  return null;
}

function decimals(value: unknown): number {
  const text = asText(value);
  const dot = text.replace(',', '.').indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Accented or mixed-case writing scores higher than flat capitals of the same words. */
function writingQuality(text: string): number {
  const accents = text.normalize('NFD').length - text.normalize('NFC').length;
  const lower = text.replace(/[^a-zà-ÿ]/g, '').length;
  return accents * 2 + (lower > 0 ? 1 : 0);
}

function validFor(role: FieldRole | null, value: unknown): boolean | null {
  const text = asText(value);
  if (role === 'phone') return normalisePhone(text) !== null;
  if (role === 'email') return normaliseEmail(text) !== null;
  if (role === 'postcode') return /^\d{5}$/.test(text);
  if (role === 'siret') return /^\d{14}$/.test(text.replace(/\s/g, ''));
  return null;
}

function comparable(role: FieldRole | null, value: unknown): string {
  const text = asText(value);
  if (role === 'phone') return normalisePhone(text) ?? foldText(text);
  if (role === 'email') return normaliseEmail(text) ?? foldText(text);
  return foldText(text);
}

interface Pick {
  fromOther: boolean;
  reason: ChoiceReason;
}

function choose(role: FieldRole | null, kept: unknown, other: unknown, recency: number): Pick {
  if (isEmpty(other)) return { fromOther: false, reason: isEmpty(kept) ? 'kept' : 'only-value' };
  if (isEmpty(kept)) return { fromOther: true, reason: 'only-value' };
  if (comparable(role, kept) === comparable(role, other)) {
    const better = writingQuality(asText(other)) > writingQuality(asText(kept));
    return better
      ? { fromOther: true, reason: 'better-written' }
      : { fromOther: false, reason: 'same-value' };
  }
  const keptValid = validFor(role, kept);
  const otherValid = validFor(role, other);
  if (keptValid !== otherValid && keptValid !== null)
    return { fromOther: otherValid === true, reason: 'more-precise' };
  if (recency !== 0) return { fromOther: recency < 0, reason: 'more-recent' };
  if (role === 'latitude' || role === 'longitude') {
    const d = decimals(other) - decimals(kept);
    return d > 0 ? { fromOther: true, reason: 'more-precise' } : { fromOther: false, reason: 'kept' };
  }
  const longer = asText(other).length > asText(kept).length;
  return longer ? { fromOther: true, reason: 'longer' } : { fromOther: false, reason: 'kept' };
}

/**
 * The merge of `other` into `kept`. `fields` lists the kept record's columns (its schema), so a
 * column empty in the kept record still receives the other's value; by default, its value keys.
 */
export function planMerge(kept: MergeSide, other: MergeSide, fields?: readonly string[]): MergePlan {
  const roleOf = new Map<string, FieldRole>();
  for (const [role, field] of Object.entries(kept.roles) as [FieldRole, string][]) roleOf.set(field, role);
  const keptDate = kept.roles.updatedAt ? readDate(kept.values[kept.roles.updatedAt]) : null;
  const otherDate = other.roles.updatedAt ? readDate(other.values[other.roles.updatedAt]) : null;
  // > 0: the kept record is the more recent; < 0: the other; 0: unknown or equal.
  const recency = keptDate !== null && otherDate !== null ? Math.sign(keptDate - otherDate) : 0;

  const counterpart = (field: string, role: FieldRole | null): string | null => {
    if (role) return other.roles[role] ?? null;
    return Object.hasOwn(other.values, field) && !Object.values(other.roles).includes(field) ? field : null;
  };

  // The position moves as a whole: decided once on the latitude, applied to both.
  let positionFromOther: Pick | null = null;
  const lat = kept.roles.latitude;
  const lon = kept.roles.longitude;
  if (lat && lon && other.roles.latitude && other.roles.longitude) {
    const keptHas = !isEmpty(kept.values[lat]) && !isEmpty(kept.values[lon]);
    const otherHas =
      !isEmpty(other.values[other.roles.latitude]) && !isEmpty(other.values[other.roles.longitude]);
    positionFromOther = choose(
      'latitude',
      keptHas ? kept.values[lat] : null,
      otherHas ? other.values[other.roles.latitude] : null,
      recency,
    );
  }

  const choices: FieldChoice[] = [];
  const values: Record<string, unknown> = {};
  for (const field of fields ?? Object.keys(kept.values)) {
    const role = roleOf.get(field) ?? null;
    const otherField = counterpart(field, role);
    const keptValue = kept.values[field];
    const otherValue = otherField === null ? undefined : other.values[otherField];
    const pick =
      (role === 'latitude' || role === 'longitude') && positionFromOther
        ? positionFromOther
        : choose(role, keptValue, otherValue, role === 'updatedAt' ? 0 : recency);
    const value = pick.fromOther ? otherValue : keptValue;
    const alternative = pick.fromOther ? keptValue : otherValue;
    const choice: FieldChoice = {
      field,
      role,
      value: value ?? null,
      from: pick.fromOther ? other.ref : kept.ref,
      otherField,
      reason: pick.reason,
    };
    if (!isEmpty(alternative) && comparable(role, alternative) !== comparable(role, value))
      choice.alternative = alternative;
    if (role === 'updatedAt' && recency !== 0) {
      choice.value = recency > 0 ? keptValue : otherValue;
      choice.from = recency > 0 ? kept.ref : other.ref;
      choice.reason = 'more-recent';
    }
    choices.push(choice);
    values[field] = choice.value;
  }
  return { kept: kept.ref, merged: other.ref, fields: choices, values };
}
