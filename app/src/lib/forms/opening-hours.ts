/**
 * Checking opening hours written in OpenStreetMap's syntax with the `opening_hours` library
 * (LGPL-3.0, usable from this AGPL-3.0 app). It weighs ~1 MB with its holiday data, so it is
 * imported only when a form has an opening-hours field, never on first load. The reading is the
 * server's (`readOpeningHours` of @datapatch/schema): strict, so what the form accepts the
 * proposal intake accepts too, and a refusal offers the nearest valid form when there is one.
 */
import { type OpeningHoursLibrary, readOpeningHours } from '@datapatch/schema';
import type { Locale } from '../i18n/messages.ts';

export type HoursCheck =
  | { ok: true; warnings: string[]; prettified: string }
  | { ok: false; message: string; suggestion: string | null };

let library: Promise<OpeningHoursLibrary> | null = null;

function load(): Promise<OpeningHoursLibrary> {
  library ??= import('opening_hours').then((module) => module.default as unknown as OpeningHoursLibrary);
  return library;
}

/** An empty value is fine (the field may be optional: the schema validator says if it is not). */
export async function checkOpeningHours(value: string, locale: Locale): Promise<HoursCheck> {
  const text = value.trim();
  if (text === '') return { ok: true, warnings: [], prettified: '' };
  const reading = readOpeningHours(await load(), text, locale);
  if (reading.ok) return { ok: true, warnings: reading.advice, prettified: reading.pretty };
  return { ok: false, message: reading.reason, suggestion: reading.nearest };
}
