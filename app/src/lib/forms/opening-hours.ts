/**
 * Checking opening hours written in OpenStreetMap's syntax with the `opening_hours` library
 * (LGPL-3.0, usable from this AGPL-3.0 app). It weighs ~1 MB with its holiday data, so it is
 * imported only when a form has an opening-hours field, never on first load.
 */
import type { Locale } from '../i18n/messages.ts';

export type HoursCheck =
  | { ok: true; warnings: string[]; prettified: string }
  | { ok: false; message: string };

type OpeningHours = typeof import('opening_hours').default;
let library: Promise<OpeningHours> | null = null;

function load(): Promise<OpeningHours> {
  library ??= import('opening_hours').then((module) => module.default);
  return library;
}

/** An empty value is fine (the field may be optional: the schema validator says if it is not). */
export async function checkOpeningHours(value: string, locale: Locale): Promise<HoursCheck> {
  const text = value.trim();
  if (text === '') return { ok: true, warnings: [], prettified: '' };
  const OpeningHours = await load();
  try {
    const parsed = new OpeningHours(text, null, {
      locale,
      mode: 0,
      tag_key: undefined,
      map_value: undefined,
      warnings_severity: undefined,
    });
    return { ok: true, warnings: parsed.getWarnings(), prettified: parsed.prettifyValue() };
  } catch (error) {
    // The library throws its message as a plain string, already in the requested language.
    return { ok: false, message: String(error instanceof Error ? error.message : error) };
  }
}
