/**
 * "il y a 3 mois" / "3 months ago": how long ago a field was verified, in the largest unit that
 * fits (minutes to years), rounded down; null under a minute ("à l’instant"). Invariant: a date in
 * the future (clock skew) reads as now.
 */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

export function timeAgo(iso: string, now: number, locale: string): string | null {
  const elapsed = Math.max(0, now - Date.parse(iso));
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (elapsed >= ms) return format.format(-Math.floor(elapsed / ms), unit);
  }
  return null;
}

/** The latest verification among a record's fields, or undefined when none was ever verified. */
export function lastVerified(verified: Record<string, string>): string | undefined {
  let latest: string | undefined;
  for (const at of Object.values(verified)) if (latest === undefined || at > latest) latest = at;
  return latest;
}
