import { describe, expect, it } from 'vitest';
import { lastVerified, timeAgo } from './relative-time.ts';

const now = Date.parse('2026-12-06T12:00:00Z');

describe('timeAgo', () => {
  it('says "il y a 3 mois" and "3 months ago" for a verification three months old', () => {
    expect(timeAgo('2026-09-05T12:00:00Z', now, 'fr')).toBe('il y a 3 mois');
    expect(timeAgo('2026-09-05T12:00:00Z', now, 'en')).toBe('3 months ago');
  });
  it('reads a date in the future as now, and a year as a year', () => {
    expect(timeAgo('2027-01-01T00:00:00Z', now, 'fr')).toBeNull();
    expect(timeAgo('2025-11-01T00:00:00Z', now, 'en')).toBe('last year');
  });
  it('picks the latest verification of a record', () => {
    expect(lastVerified({ a: '2026-01-01T00:00:00Z', b: '2026-03-01T00:00:00Z' })).toBe(
      '2026-03-01T00:00:00Z',
    );
    expect(lastVerified({})).toBeUndefined();
  });
});
