/**
 * "Near me": records ordered by their distance to the person, on the sphere (haversine; a
 * few metres off at city scale, which no one walking notices). Records without a point keep
 * their order after every placed one, so nothing disappears from the list.
 */
import type { Point } from '../map/geopoint-format.ts';

const EARTH_RADIUS_M = 6_371_008.8;

export function distanceMeters(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export type Nearby = { ids: string[]; distances: Map<string, number> };

/** `ids` from the nearest to the farthest; ties and unplaced records keep their given order. */
export function sortByDistance(
  ids: readonly string[],
  pointOf: (id: string) => Point | null,
  here: Point,
): Nearby {
  const distances = new Map<string, number>();
  const placed: { id: string; meters: number; index: number }[] = [];
  const unplaced: string[] = [];
  ids.forEach((id, index) => {
    const point = pointOf(id);
    if (point === null) {
      unplaced.push(id);
      return;
    }
    const meters = distanceMeters(here, point);
    distances.set(id, meters);
    placed.push({ id, meters, index });
  });
  placed.sort((a, b) => a.meters - b.meters || a.index - b.index);
  return { ids: [...placed.map((p) => p.id), ...unplaced], distances };
}

/** "350 m", "1,2 km", "12 km" in the reader's language. */
export function formatDistance(meters: number, locale: string): string {
  if (meters < 1000) {
    const rounded = meters < 100 ? Math.round(meters / 5) * 5 : Math.round(meters / 10) * 10;
    return `${new Intl.NumberFormat(locale).format(rounded)} m`;
  }
  const km = meters / 1000;
  const digits = km < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(km)} km`;
}
