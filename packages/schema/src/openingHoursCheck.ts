// The `opening-hours-value` custom check, with the `opening_hours` library (LGPL-3.0, ~1 MB with
// its holiday data). Kept out of index.ts so the browser bundle never loads it eagerly: the server
// imports `@datapatch/schema/server` and passes `serverCustomChecks` to compileSchema.
// Strict like Validata (openingHoursStrict.ts): the message shows the nearest valid form when one
// can be derived.

import OpeningHours from 'opening_hours';
import { type CustomChecks, pureCustomChecks } from './customChecks.ts';
import { type OpeningHoursLibrary, readOpeningHours } from './openingHoursStrict.ts';
import type { Message } from './validationMessages.ts';

const library = OpeningHours as unknown as OpeningHoursLibrary;

/** True when the value is in OpenStreetMap's opening_hours syntax as written (no correction needed). */
export function isOpeningHours(value: string): boolean {
  return readOpeningHours(library, value, 'en').ok;
}

/** The valid opening_hours value nearest to `value`, or null when none can be derived (or it is valid). */
export function nearestOpeningHours(value: string): string | null {
  const reading = readOpeningHours(library, value, 'en');
  return reading.ok ? null : reading.nearest;
}

/** A value in OpenStreetMap's opening_hours syntax (`Mo-Fr 08:00-18:00; PH off`). */
export function openingHoursValue(value: string): Message | null {
  const fr = readOpeningHours(library, value, 'fr');
  if (fr.ok) return null;
  const en = readOpeningHours(library, value, 'en');
  const enReason = en.ok ? fr.reason : en.reason;
  return {
    fr: `horaires invalides (syntaxe OpenStreetMap opening_hours) : ${fr.reason}${
      fr.nearest ? ` — forme valide la plus proche : « ${fr.nearest} »` : ''
    }`,
    en: `invalid opening hours (OpenStreetMap opening_hours syntax): ${enReason}${
      fr.nearest ? ` — nearest valid form: "${fr.nearest}"` : ''
    }`,
  };
}

/** Every custom check this package knows: the pure ones and opening hours. */
export const serverCustomChecks: CustomChecks = {
  ...pureCustomChecks,
  'opening-hours-value': openingHoursValue,
};
