/**
 * A Table Schema `geopoint` cell read and written in the field's own format: "default" is the
 * text "lon, lat", "array" is `[lon, lat]`, "object" is `{"lon": …, "lat": …}` (spec order:
 * longitude first). Reading never throws: a cell that is not a point in range gives null.
 */

export type Point = { lat: number; lon: number };
export type GeopointFormat = 'default' | 'array' | 'object';

/**
 * Five decimals is about a metre: what a phone or a map click can tell, and what a person can
 * read (issue 16: coordinates are shown and written rounded to 5 decimals).
 */
export const COORDINATE_DECIMALS = 5;
const DECIMALS = COORDINATE_DECIMALS;

export function geopointFormat(format: string | undefined): GeopointFormat {
  return format === 'array' || format === 'object' ? format : 'default';
}

export function rounded(value: number): number {
  return Number(value.toFixed(DECIMALS));
}

function inRange(lat: number, lon: number): Point | null {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180
    ? { lat, lon }
    : null;
}

export function writeGeopoint(point: Point, format: GeopointFormat): string {
  const lon = rounded(point.lon);
  const lat = rounded(point.lat);
  if (format === 'array') return JSON.stringify([lon, lat]);
  if (format === 'object') return JSON.stringify({ lon, lat });
  return `${lon}, ${lat}`;
}

export function readGeopointCell(value: unknown, format: GeopointFormat): Point | null {
  if (value === null || value === undefined || value === '') return null;
  let parsed: unknown = value;
  if (typeof value === 'string' && format !== 'default') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (format === 'array') {
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [lon, lat] = parsed;
    return typeof lon === 'number' && typeof lat === 'number' ? inRange(lat, lon) : null;
  }
  if (format === 'object') {
    if (parsed === null || typeof parsed !== 'object') return null;
    const { lon, lat } = parsed as { lon?: unknown; lat?: unknown };
    return typeof lon === 'number' && typeof lat === 'number' ? inRange(lat, lon) : null;
  }
  const match = /^\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(String(value));
  return match ? inRange(Number(match[2]), Number(match[1])) : null;
}
