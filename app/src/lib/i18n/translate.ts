/**
 * Looking up a message: parameters are substituted, plurals follow the language's rules
 * (in French 0 and 1 are singular). An unknown key or parameter shows as itself, never as
 * an exception, so a slip in a template degrades to visible text.
 */
import { catalogs, type Locale, locales, type MessageKey } from './messages.ts';

export type Params = Record<string, string | number>;

/** Keys of messages that have `_one` / `_other` forms, without the suffix. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;

const pluralRules = new Map<Locale, Intl.PluralRules>();

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
  let rules = pluralRules.get(locale);
  if (rules === undefined) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  const form = rules.select(count) === 'one' ? 'one' : 'other';
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
