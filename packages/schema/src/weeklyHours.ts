// A week of opening hours as a person edits it (groups of days, each open in time ranges, all day,
// or closed) ⇄ the OpenStreetMap opening_hours value. Only the plain part of the syntax is read:
// anything else (months, weeks, "PH 10:00-12:00", comments) answers null, never a partial reading.
// Reading is per day, later rules winning as in OSM, so equal days regroup and writing is canonical.

import { frenchOpeningHours } from './frenchOpeningHours.ts';

export const WEEK = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
export type Weekday = (typeof WEEK)[number];

/** One range of a day, "HH:MM" each; `to` may be before `from` (open past midnight) or "24:00". */
export interface TimeRange {
  from: string;
  to: string;
}

export type DayHours = { kind: 'open'; ranges: TimeRange[] } | { kind: 'all-day' } | { kind: 'closed' };

export interface HoursGroup {
  days: Weekday[];
  hours: DayHours;
}

export interface WeeklyHours {
  groups: HoursGroup[];
  /** "PH off": closed on public holidays. */
  closedOnHolidays: boolean;
}

export const emptyWeek = (): WeeklyHours => ({ groups: [], closedOnHolidays: false });

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** A time of day as written in opening_hours ("09:00", "24:00"), or null. */
export function isClock(text: string): boolean {
  const m = CLOCK.exec(text);
  return m !== null && !(m[1] === '24' && m[2] !== '00');
}

function sameHours(a: DayHours, b: DayHours): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind !== 'open' || b.kind !== 'open') return true;
  return (
    a.ranges.length === b.ranges.length &&
    a.ranges.every((r, i) => r.from === b.ranges[i]?.from && r.to === b.ranges[i]?.to)
  );
}

/** The days of a selector ("Mo-Fr", "Sa,Su", "Fr-Mo" wraps), or null when it is not plain days. */
function readDays(selector: string): { days: Weekday[]; holidays: boolean } | null {
  const days: Weekday[] = [];
  let holidays = false;
  for (const part of selector.split(',')) {
    const item = part.trim();
    if (item === 'PH') {
      holidays = true;
      continue;
    }
    const [first, last, ...rest] = item.split('-');
    const from = WEEK.indexOf(first as Weekday);
    if (from < 0 || rest.length > 0) return null;
    if (last === undefined) {
      days.push(WEEK[from] as Weekday);
      continue;
    }
    const to = WEEK.indexOf(last as Weekday);
    if (to < 0) return null;
    for (let i = from; ; i = (i + 1) % 7) {
      days.push(WEEK[i] as Weekday);
      if (i === to) break;
    }
  }
  return { days, holidays };
}

function readRanges(text: string): TimeRange[] | null {
  const ranges: TimeRange[] = [];
  for (const part of text.split(',')) {
    const [from, to, ...rest] = part.trim().split('-');
    if (from === undefined || to === undefined || rest.length > 0) return null;
    if (!isClock(from.trim()) || !isClock(to.trim())) return null;
    ranges.push({ from: from.trim(), to: to.trim() });
  }
  return ranges;
}

/** The week an opening_hours value describes, or null when it uses more than plain days and times. */
export function readWeeklyHours(value: string): WeeklyHours | null {
  const text = value.trim();
  if (text === '') return emptyWeek();
  if (text === '24/7')
    return { groups: [{ days: [...WEEK], hours: { kind: 'all-day' } }], closedOnHolidays: false };
  const perDay = new Map<Weekday, DayHours>();
  let closedOnHolidays = false;
  for (const raw of text.split(';')) {
    const rule = raw.trim();
    if (rule === '') return null;
    // "Mo-Fr 09:00-12:00,14:00-17:00", "Sa,Su off", "10:00-18:00" (every day), "PH off".
    const m = /^(?:([A-Za-z,\- ]+?)\s+)?([\d:,\- ]+|off|closed)$/.exec(rule);
    if (m === null) return null;
    const selector = m[1]?.replace(/\s+/g, '') ?? '';
    const body = m[2] ?? '';
    const chosen = selector === '' ? { days: [...WEEK], holidays: false } : readDays(selector);
    if (chosen === null) return null;
    const closed = body === 'off' || body === 'closed';
    if (chosen.holidays) {
      // Public holidays with their own hours, or mixed with days, are beyond this editor.
      if (!closed || chosen.days.length > 0) return null;
      closedOnHolidays = true;
      continue;
    }
    let hours: DayHours;
    if (closed) hours = { kind: 'closed' };
    else {
      const ranges = readRanges(body);
      if (ranges === null) return null;
      hours =
        ranges.length === 1 && ranges[0]?.from === '00:00' && ranges[0]?.to === '24:00'
          ? { kind: 'all-day' }
          : { kind: 'open', ranges };
    }
    for (const day of chosen.days) perDay.set(day, hours);
  }
  const groups: HoursGroup[] = [];
  for (const day of WEEK) {
    const hours = perDay.get(day);
    if (hours === undefined) continue;
    const group = groups.find((g) => sameHours(g.hours, hours));
    if (group) group.days.push(day);
    else groups.push({ days: [day], hours });
  }
  return { groups, closedOnHolidays };
}

/** "Mo-Fr", "Mo,We,Fr", "Mo-We,Sa": runs of three days or more become ranges. */
export function writeDays(days: readonly Weekday[]): string {
  const sorted = WEEK.filter((d) => days.includes(d));
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (
      j + 1 < sorted.length &&
      WEEK.indexOf(sorted[j + 1] as Weekday) === WEEK.indexOf(sorted[j] as Weekday) + 1
    )
      j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(sorted[k] as string);
    i = j + 1;
  }
  return parts.join(',');
}

const complete = (r: TimeRange) => isClock(r.from) && isClock(r.to) && r.from !== r.to;

/**
 * The opening_hours value of a week: open groups first, closed days last (a later rule wins in
 * OSM), groups without days left out, "24/7" when every day is open all day. A range still being
 * filled is left out: the form says so (`weeklyHoursProblems`), the value stays valid.
 */
export function writeWeeklyHours(week: WeeklyHours): string {
  const groups = week.groups
    .map((g) => ({
      days: WEEK.filter((d) => g.days.includes(d)),
      hours:
        g.hours.kind === 'open'
          ? { kind: 'open' as const, ranges: g.hours.ranges.filter(complete) }
          : g.hours,
    }))
    .filter((g) => g.days.length > 0 && (g.hours.kind !== 'open' || g.hours.ranges.length > 0));
  const rules: string[] = [];
  const closings: string[] = [];
  const allDay = groups.filter((g) => g.hours.kind === 'all-day').flatMap((g) => g.days);
  if (allDay.length === 7 && !week.closedOnHolidays) return '24/7';
  for (const g of groups) {
    const days = writeDays(g.days);
    if (g.hours.kind === 'closed') closings.push(`${days} off`);
    else if (g.hours.kind === 'all-day') rules.push(`${days} 00:00-24:00`);
    else rules.push(`${days} ${g.hours.ranges.map((r) => `${r.from}-${r.to}`).join(',')}`);
  }
  if (week.closedOnHolidays) closings.push('PH off');
  return [...rules, ...closings].join('; ');
}

export type WeeklyHoursProblem =
  | { code: 'range-incomplete'; group: number; range: number }
  | { code: 'range-empty'; group: number; range: number }
  | { code: 'day-twice'; day: Weekday };

/** What keeps a week from being written as the person means it. */
export function weeklyHoursProblems(week: WeeklyHours): WeeklyHoursProblem[] {
  const problems: WeeklyHoursProblem[] = [];
  const seen = new Set<Weekday>();
  week.groups.forEach((g, group) => {
    for (const day of g.days) {
      if (seen.has(day)) problems.push({ code: 'day-twice', day });
      seen.add(day);
    }
    if (g.hours.kind !== 'open') return;
    g.hours.ranges.forEach((r, range) => {
      if (!isClock(r.from) || !isClock(r.to)) problems.push({ code: 'range-incomplete', group, range });
      else if (r.from === r.to) problems.push({ code: 'range-empty', group, range });
    });
  });
  return problems;
}

/**
 * The opening_hours value to propose for what a person typed: their French read
 * (frenchOpeningHours) and written back canonically ("6 h - 22 h" → "Mo-Su 06:00-22:00"), or
 * null when the text is already plain syntax, or cannot be read without guessing.
 */
export function proposedOpeningHours(text: string): string | null {
  if (readWeeklyHours(text) !== null) return null;
  const french = frenchOpeningHours(text);
  if (french === null) return null;
  const week = readWeeklyHours(french);
  return week === null ? french : writeWeeklyHours(week);
}
