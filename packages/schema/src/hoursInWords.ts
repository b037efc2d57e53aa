// Opening hours said in plain words, French or English ("du lundi au vendredi, 9 h – 12 h et
// 14 h – 17 h"), from the week structure of weeklyHours.ts. Describes only what it can read: a
// value beyond the plain syntax answers null, so nobody is shown a wrong sentence.

import { readWeeklyHours, WEEK, type Weekday, type WeeklyHours } from './weeklyHours.ts';

export type HoursLocale = 'fr' | 'en';

const dayNames: Record<HoursLocale, Record<Weekday, string>> = {
  fr: { Mo: 'lundi', Tu: 'mardi', We: 'mercredi', Th: 'jeudi', Fr: 'vendredi', Sa: 'samedi', Su: 'dimanche' },
  en: {
    Mo: 'Monday',
    Tu: 'Tuesday',
    We: 'Wednesday',
    Th: 'Thursday',
    Fr: 'Friday',
    Sa: 'Saturday',
    Su: 'Sunday',
  },
};

const words = {
  fr: {
    and: ' et ',
    span: (a: string, b: string) => `du ${a} au ${b}`,
    everyDay: 'tous les jours',
    allDay: '24 h/24',
    always: '24 h/24, 7 j/7',
    closed: 'fermé',
    holidays: 'fermé les jours fériés',
    between: ' ; ',
  },
  en: {
    and: ' and ',
    span: (a: string, b: string) => `${a} to ${b}`,
    everyDay: 'every day',
    allDay: 'open 24 hours',
    always: 'open 24/7',
    closed: 'closed',
    holidays: 'closed on public holidays',
    between: '; ',
  },
};

/** "a", "a et b", "a, b et c". */
function list(items: string[], locale: HoursLocale): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}${words[locale].and}${items[items.length - 1]}`;
}

/** "9 h", "9 h 30", "minuit" is written "24 h" as on French signs; English "9:00", "9:30". */
export function clockInWords(clock: string, locale: HoursLocale): string {
  const [h = '0', m = '00'] = clock.split(':');
  const hours = String(Number(h));
  if (locale === 'en') return `${hours}:${m}`;
  return m === '00' ? `${hours} h` : `${hours} h ${m}`;
}

export function daysInWords(days: readonly Weekday[], locale: HoursLocale): string {
  const sorted = WEEK.filter((d) => days.includes(d));
  if (sorted.length === 7) return words[locale].everyDay;
  const runs: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (
      j + 1 < sorted.length &&
      WEEK.indexOf(sorted[j + 1] as Weekday) === WEEK.indexOf(sorted[j] as Weekday) + 1
    )
      j++;
    const first = dayNames[locale][sorted[i] as Weekday];
    const last = dayNames[locale][sorted[j] as Weekday];
    if (j - i >= 2) runs.push(words[locale].span(first, last));
    else for (let k = i; k <= j; k++) runs.push(dayNames[locale][sorted[k] as Weekday]);
    i = j + 1;
  }
  return list(runs, locale);
}

/** The week in one sentence, days in week order; empty text for an empty week. */
export function weekInWords(week: WeeklyHours, locale: HoursLocale): string {
  const w = words[locale];
  const groups = week.groups
    .filter((g) => g.days.length > 0)
    .sort((a, b) => WEEK.indexOf(a.days[0] as Weekday) - WEEK.indexOf(b.days[0] as Weekday));
  const parts: string[] = [];
  if (groups.length === 1 && groups[0]?.days.length === 7 && groups[0].hours.kind === 'all-day')
    parts.push(w.always);
  else
    for (const g of groups) {
      const days = daysInWords(g.days, locale);
      const hours =
        g.hours.kind === 'closed'
          ? w.closed
          : g.hours.kind === 'all-day'
            ? w.allDay
            : list(
                g.hours.ranges.map((r) => `${clockInWords(r.from, locale)} – ${clockInWords(r.to, locale)}`),
                locale,
              );
      parts.push(`${days}, ${hours}`);
    }
  if (week.closedOnHolidays) parts.push(w.holidays);
  const sentence = parts.join(w.between);
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** An opening_hours value in words, or null when it uses more than days and times. */
export function openingHoursInWords(value: string, locale: HoursLocale): string | null {
  const week = readWeeklyHours(value);
  return week === null ? null : weekInWords(week, locale);
}
