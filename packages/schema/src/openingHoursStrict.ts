// The strict reading of OpenStreetMap opening_hours shared by the server check and the app's
// form: the `opening_hours` library is passed in (the server imports it, the browser loads it
// lazily), so this module stays library-free. A value the library only reads by correcting it
// (French day names, "12h", hours without minutes) is not in the syntax, as Validata judges it.

import { frenchOpeningHours } from './frenchOpeningHours.ts';

/** What this module needs from the library's class: parse (throwing on errors), warnings, rewrite. */
export interface OpeningHoursLibrary {
  new (
    value: string,
    nominatim: null,
    options: {
      locale: string;
      mode: 0;
      tag_key: undefined;
      map_value: undefined;
      warnings_severity: undefined;
    },
  ): { getStructuredWarnings(): { type: string; message: string }[]; prettifyValue(): string };
}

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

export type OpeningHoursReading =
  | { ok: true; advice: string[]; pretty: string }
  | { ok: false; reason: string; nearest: string | null };

function parse(library: OpeningHoursLibrary, value: string, locale: string) {
  try {
    const parsed = new library(value, null, {
      locale,
      mode: 0,
      tag_key: undefined,
      map_value: undefined,
      warnings_severity: undefined,
    });
    return { parsed, error: null };
  } catch (error) {
    // The library throws its message as a plain string, in the requested language.
    return { parsed: null, error: String(error instanceof Error ? error.message : error).trim() };
  }
}

function passes(library: OpeningHoursLibrary, value: string): boolean {
  const { parsed } = parse(library, value, 'en');
  return parsed !== null && !parsed.getStructuredWarnings().some((w) => corrections.has(w.type));
}

/**
 * `value` read strictly; when it fails, the nearest valid form: its French reading ("Lundi
 * 9h-12h" → "Mo 09:00-12:00"), else the library's own rewrite, each only if it passes itself.
 */
export function readOpeningHours(
  library: OpeningHoursLibrary,
  value: string,
  locale: string,
): OpeningHoursReading {
  const text = value.trim();
  const { parsed, error } = parse(library, text, locale);
  const warnings = parsed?.getStructuredWarnings() ?? [];
  const corrected = warnings.find((w) => corrections.has(w.type));
  if (parsed !== null && corrected === undefined)
    return { ok: true, advice: warnings.map((w) => w.message), pretty: parsed.prettifyValue() };
  const french = frenchOpeningHours(text);
  const pretty = parsed?.prettifyValue() ?? null;
  const nearest =
    french !== null && passes(library, french)
      ? french
      : pretty !== null && passes(library, pretty)
        ? pretty
        : null;
  return { ok: false, reason: error ?? corrected?.message ?? '', nearest };
}
