import { describe, expect, it } from 'vitest';
import { distanceMeters, formatDistance, sortByDistance } from './distance.ts';

const notreDame = { lat: 48.853, lon: 2.3499 };
const points: Record<string, { lat: number; lon: number } | null> = {
  eiffel: { lat: 48.8584, lon: 2.2945 },
  louvre: { lat: 48.8606, lon: 2.3376 },
  nowhere: null,
  hotelDeVille: { lat: 48.8566, lon: 2.3522 },
};

describe('near me', () => {
  it('measures distances on the Earth (Notre-Dame to the Eiffel Tower is about 4.1 km)', () => {
    expect(distanceMeters(notreDame, points.eiffel!)).toBeGreaterThan(4000);
    expect(distanceMeters(notreDame, points.eiffel!)).toBeLessThan(4200);
    expect(distanceMeters(notreDame, notreDame)).toBe(0);
  });

  it('puts the nearest record first and records without a point last, in their order', () => {
    const sorted = sortByDistance(Object.keys(points), (id) => points[id] ?? null, notreDame);
    expect(sorted.ids).toEqual(['hotelDeVille', 'louvre', 'eiffel', 'nowhere']);
    expect(sorted.distances.has('nowhere')).toBe(false);
    expect(sorted.distances.get('hotelDeVille')).toBeLessThan(500);
  });

  it('keeps the given order between records at the same distance', () => {
    const same = { lat: 48.86, lon: 2.34 };
    const sorted = sortByDistance(['z', 'a', 'm'], () => same, notreDame);
    expect(sorted.ids).toEqual(['z', 'a', 'm']);
  });

  it('shows distances as a person reads them, in French and English', () => {
    expect(formatDistance(42, 'fr')).toBe('40 m');
    expect(formatDistance(347, 'fr')).toBe('350 m');
    expect(formatDistance(1234, 'fr')).toBe('1,2 km');
    expect(formatDistance(1234, 'en')).toBe('1.2 km');
    expect(formatDistance(15_400, 'en')).toBe('15 km');
  });
});
