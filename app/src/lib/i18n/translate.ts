/**
 * Looking up a message: parameters are substituted, plurals follow the language's rules
 * (in French 0 and 1 are singular). An unknown key or parameter shows as itself, never as
 * an exception, so a slip in a template degrades to visible text.
 */
import { catalogs, type Locale, locales, type MessageKey } from './messages.ts';

export type Params = Record<string, string | number>;

/** Keys of messages that have `_one` / `_other` forms, without the suffix. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;

/**
 * CLDR's "one" category in our languages (the catalogs have only `_one` and `_other`): French,
 * integer part 0 or 1; English, exactly 1. It is what Intl.PluralRules answers (a test checks),
 * without its first use costing 40 ms of ICU loading while the first screen is built.
 */
function isOne(locale: Locale, count: number): boolean {
  const n = Math.abs(count);
  return locale === 'fr' ? Math.trunc(n) <= 1 : n === 1;
}

function substitute(template: string, params: Params | undefined, locale: Locale): string {
  if (params === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? value.toLocaleString(locale) : value;
  });
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  return substitute(catalogs[locale][key] ?? key, params, locale);
}

/** The plural form of `key` for `count`; `count` is also available as `{count}`. */
export function translatePlural(locale: Locale, key: PluralKey, count: number, params?: Params): string {
  const form = isOne(locale, count) ? 'one' : 'other';
  return translate(locale, `${key}_${form}` as MessageKey, { count, ...params });
}

/** The best supported language for a list of preferred ones (navigator.languages), French by default. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    const found = locales.find((l) => l === base);
    if (found !== undefined) return found;
  }
  return 'fr';
}
