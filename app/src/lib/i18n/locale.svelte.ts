/**
 * The current language, as reactive state: reading `i18n.t(...)` in a template re-renders
 * it when the language changes. The choice is remembered on the device and `<html lang>`
 * always follows it (screen readers pronounce the page in that language).
 */
import { afterPaint } from '../scheduling/tasks.ts';
import type { Locale, MessageKey } from './messages.ts';
import { type Params, type PluralKey, pickLocale, translate, translatePlural } from './translate.ts';

const STORAGE_KEY = 'datapatch:locale';

function initialLocale(): Locale {
  if (typeof window === 'undefined') return 'fr';
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'fr' || saved === 'en') return saved;
  } catch {
    // Storage can be disabled (private mode): fall back to the browser's languages.
  }
  return pickLocale(navigator.languages ?? [navigator.language]);
}

let current = $state<Locale>(initialLocale());

// The page's first Intl.DateTimeFormat costs 35–80 ms in Chromium (ICU loads its date patterns),
// as long as building the whole first screen: what the first screen shows of dates waits until
// the page has painted once (`dateTimeAfterPaint`).
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();
function dateFormat(locale: Locale): Intl.DateTimeFormat {
  let format = dateFormats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
    dateFormats.set(locale, format);
  }
  return format;
}
let datesReady = $state(false);
let datesAsked = false;
if (typeof document !== 'undefined') document.documentElement.lang = current;

export const i18n = {
  get locale(): Locale {
    return current;
  },
  set locale(locale: Locale) {
    current = locale;
    document.documentElement.lang = locale;
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Not remembered across visits, but the page still switches.
    }
  },
  t(key: MessageKey, params?: Params): string {
    return translate(current, key, params);
  },
  plural(key: PluralKey, count: number, params?: Params): string {
    return translatePlural(current, key, count, params);
  },
  /** A date-time in the current language, e.g. for the last sync. */
  dateTime(ms: number): string {
    return dateFormat(current).format(ms);
  },
  /** Like `dateTime`, but null until the page has painted once (for what the first screen shows). */
  dateTimeAfterPaint(ms: number): string | null {
    if (!datesReady) {
      if (!datesAsked) {
        datesAsked = true;
        afterPaint(() => {
          dateFormat(current);
          datesReady = true;
        });
      }
      return null;
    }
    return dateFormat(current).format(ms);
  },
};
