/**
 * How a record page shows the cells that hold a place: coordinates rounded to 5 decimals (about a
 * metre), a GeoJSON shape as words ("48.86736, 2.35402" or "a shape of 12 points"), never its raw
 * text. Cells that hold no place are left as they are. Pure: no DOM, no Leaflet.
 */
import { COORDINATE_DECIMALS, type Point, rounded } from './geopoint-format.ts';
import type { PlaceSource } from './places.ts';

/** What to show instead of the raw cell: a rounded number, a point, a shape's size, or nothing. */
export type ShownPlaceCell =
  | { kind: 'number'; value: number }
  | { kind: 'point'; point: Point }
  | { kind: 'shape'; points: number }
  | null;

type Geometry = { type?: unknown; coordinates?: unknown; geometries?: unknown };

function parsed(value: unknown): Geometry | null {
  let candidate: unknown = value;
  if (typeof value === 'string') {
    if (!/^\s*[[{]/.test(value)) return null;
    try {
      candidate = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) return null;
  const object = candidate as Geometry & { geometry?: unknown };
  // A Feature carries its geometry; a bare geometry is one.
  if (object.type === 'Feature') return parsed(object.geometry);
  return typeof object.type === 'string' ? object : null;
}

/** Every [lon, lat] pair of a geometry, however deep its coordinates are nested. */
function pairs(coordinates: unknown, out: [number, number][] = []): [number, number][] {
  if (!Array.isArray(coordinates)) return out;
  const [lon, lat] = coordinates;
  if (typeof lon === 'number' && typeof lat === 'number') out.push([lon, lat]);
  else for (const inner of coordinates) pairs(inner, out);
  return out;
}

/** A GeoJSON geometry (text or object) as a reader sees it; null when the value is not one. */
export function shownGeometry(value: unknown): ShownPlaceCell {
  const geometry = parsed(value);
  if (geometry === null) return null;
  const all =
    geometry.type === 'GeometryCollection' && Array.isArray(geometry.geometries)
      ? geometry.geometries.flatMap((g) => pairs((g as Geometry)?.coordinates))
      : pairs(geometry.coordinates);
  const [first] = all;
  if (all.length === 1 && first !== undefined) {
    return { kind: 'point', point: { lat: rounded(first[1]), lon: rounded(first[0]) } };
  }
  return { kind: 'shape', points: all.length };
}

/**
 * What a record page shows for one cell: the place source's coordinate fields rounded, its
 * geopoint as a point, any GeoJSON-looking cell (a `geojson` field, or a text starting with `{"type":`)
 * in words. Null: show the cell as it is.
 */
export function shownPlaceCell(
  field: { name: string; type?: string | undefined },
  value: unknown,
  source: PlaceSource | null,
  point: Point | null,
): ShownPlaceCell {
  if (value === null || value === undefined || value === '') return null;
  if (source?.kind === 'geopoint' && source.field === field.name && point !== null) {
    return { kind: 'point', point: { lat: rounded(point.lat), lon: rounded(point.lon) } };
  }
  if (
    source?.kind === 'detected' &&
    source.detection.kind === 'latitude-longitude-fields' &&
    (source.detection.latitude === field.name || source.detection.longitude === field.name) &&
    typeof value === 'number'
  ) {
    return { kind: 'number', value: rounded(value) };
  }
  if (
    field.type === 'geojson' ||
    field.type === 'object' ||
    typeof value === 'object' ||
    (source?.kind === 'detected' && 'field' in source.detection && source.detection.field === field.name) ||
    (typeof value === 'string' && /^\s*\{\s*"(type|coordinates)"\s*:/.test(value))
  ) {
    return shownGeometry(value);
  }
  return null;
}

/**
 * "48.86736, 2.35402" in the reader's number format, latitude first as people say it; where the
 * decimal mark is a comma (French), "48,86736 ; 2,35402".
 */
export function pointText(point: Point, locale: string): string {
  const format = new Intl.NumberFormat(locale, {
    useGrouping: false,
    maximumFractionDigits: COORDINATE_DECIMALS,
  });
  const separator = format.format(1.5).includes(',') ? ' ; ' : ', ';
  return `${format.format(point.lat)}${separator}${format.format(point.lon)}`;
}
