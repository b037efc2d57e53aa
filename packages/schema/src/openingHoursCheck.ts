// The `opening-hours-value` custom check, with the `opening_hours` library (LGPL-3.0, ~1 MB with
// its holiday data). Kept out of index.ts so the browser bundle never loads it eagerly: the server
// imports `@datapatch/schema/server` and passes `serverCustomChecks` to compileSchema.

import OpeningHours from 'opening_hours';
import { type CustomChecks, pureCustomChecks } from './customChecks.ts';
import type { Message } from './validationMessages.ts';

function parseError(value: string, locale: 'fr' | 'en'): string | null {
  try {
    new OpeningHours(value, null, {
      locale,
      mode: 0,
      tag_key: undefined,
      map_value: undefined,
      warnings_severity: undefined,
    });
    return null;
  } catch (error) {
    // The library throws its message as a plain string, in the requested language.
    return String(error instanceof Error ? error.message : error);
  }
}

/** A value in OpenStreetMap's opening_hours syntax (`Mo-Fr 08:00-18:00; PH off`). */
export function openingHoursValue(value: string): Message | null {
  const fr = parseError(value.trim(), 'fr');
  if (fr === null) return null;
  const en = parseError(value.trim(), 'en') ?? fr;
  return {
    fr: `horaires invalides (syntaxe OpenStreetMap opening_hours) : ${fr}`,
    en: `invalid opening hours (OpenStreetMap opening_hours syntax): ${en}`,
  };
}

/** Every custom check this package knows: the pure ones and opening hours. */
export const serverCustomChecks: CustomChecks = {
  ...pureCustomChecks,
  'opening-hours-value': openingHoursValue,
};
