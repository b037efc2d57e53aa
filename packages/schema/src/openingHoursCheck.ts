// The `opening-hours-value` custom check, with the `opening_hours` library (LGPL-3.0, ~1 MB with
// its holiday data). Kept out of index.ts so the browser bundle never loads it eagerly: the server
// imports `@datapatch/schema/server` and passes `serverCustomChecks` to compileSchema.
// Strict like Validata: a value the library only understands by correcting it (French day names,
// "12h", hours without minutes) is refused, with the nearest valid form when one can be derived.

import OpeningHours from 'opening_hours';
import { type CustomChecks, pureCustomChecks } from './customChecks.ts';
import { frenchOpeningHours } from './frenchOpeningHours.ts';
import type { Message } from './validationMessages.ts';

/**
 * Warnings that mean the library rewrote the value to read it: the value is not in the syntax.
 * Other warnings (an empty rule, a date in the past, no public-holiday rule) are advice on valid values.
 */
const corrections = new Set([
  'word_error_correction',
  'hour_min_separator',
  'without_minutes',
  'no_colon_after',
  'adding_0',
  'ambiguous_word',
  'omit_ko',
  'please_use_ok_for_ko',
  'rant_degree_sign_used_for_zero',
  'separator_for_readability',
]);

type Reading = { ok: true } | { ok: false; reason: string; pretty: string | null };

function read(value: string, locale: 'fr' | 'en'): Reading {
  let parsed: OpeningHours;
  try {
    parsed = new OpeningHours(value, null, {
      locale,
      mode: 0,
      tag_key: undefined,
      map_value: undefined,
      warnings_severity: undefined,
    });
  } catch (error) {
    // The library throws its message as a plain string, in the requested language.
    return { ok: false, reason: String(error instanceof Error ? error.message : error).trim(), pretty: null };
  }
  const corrected = parsed.getStructuredWarnings().find((w) => corrections.has(w.type));
  if (corrected === undefined) return { ok: true };
  return { ok: false, reason: corrected.message, pretty: parsed.prettifyValue() };
}

/** True when the value is in OpenStreetMap's opening_hours syntax as written (no correction needed). */
export function isOpeningHours(value: string): boolean {
  return read(value.trim(), 'en').ok;
}

/**
 * The valid opening_hours value nearest to `value`: its French reading ("Lundi 9h-12h" →
 * "Mo 09:00-12:00"), else the library's own rewrite; null when neither is valid as written.
 */
export function nearestOpeningHours(value: string): string | null {
  const french = frenchOpeningHours(value);
  if (french !== null && isOpeningHours(french)) return french;
  const reading = read(value.trim(), 'en');
  if (!reading.ok && reading.pretty !== null && isOpeningHours(reading.pretty)) return reading.pretty;
  return null;
}

/** A value in OpenStreetMap's opening_hours syntax (`Mo-Fr 08:00-18:00; PH off`). */
export function openingHoursValue(value: string): Message | null {
  const fr = read(value.trim(), 'fr');
  if (fr.ok) return null;
  const en = read(value.trim(), 'en');
  const enReason = en.ok ? fr.reason : en.reason;
  const nearest = nearestOpeningHours(value);
  return {
    fr: `horaires invalides (syntaxe OpenStreetMap opening_hours) : ${fr.reason}${
      nearest ? ` — forme valide la plus proche : « ${nearest} »` : ''
    }`,
    en: `invalid opening hours (OpenStreetMap opening_hours syntax): ${enReason}${
      nearest ? ` — nearest valid form: "${nearest}"` : ''
    }`,
  };
}

/** Every custom check this package knows: the pure ones and opening hours. */
export const serverCustomChecks: CustomChecks = {
  ...pureCustomChecks,
  'opening-hours-value': openingHoursValue,
};
