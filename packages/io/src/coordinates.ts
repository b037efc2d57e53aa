// Recognises where a table keeps its points: a latitude and a longitude column, one "lat,lon" text,
// one "[lon,lat]" array, or a GeoJSON geometry in a cell. Detection looks at the values (in range,
// numeric), names only choose which numeric columns are the latitude and the longitude.

import type { CoordinatesDetection, Row, Table } from './table.ts';

export interface Geopoint {
  lat: number;
  lon: number;
}

const latitudeName = /^(lat|latitude|y|ylat|lat_coor1|geo_point_2d_lat|.*[_ -](lat|latitude))$/i;
const longitudeName =
  /^(lon|lng|long|longitude|x|xlong|long_coor1|geo_point_2d_long|.*[_ -](lon|lng|long|longitude))$/i;
const latLonText = /^\s*(-?\d+(?:[.,]\d+)?)\s*[,;]\s*(-?\d+(?:[.,]\d+)?)\s*$/;
const lonLatArray = /^\s*\[\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]\s*$/;
const sampleRows = 200;

export function detectCoordinates(table: Table): CoordinatesDetection[] {
  const found: CoordinatesDetection[] = [];
  const sample = table.rows.slice(0, sampleRows);
  const latitude = table.fields.find(
    (f) => latitudeName.test(f) && mostly(sample, f, (v) => inRange(toNumber(v), 90)),
  );
  const longitude = table.fields.find(
    (f) => longitudeName.test(f) && mostly(sample, f, (v) => inRange(toNumber(v), 180)),
  );
  if (latitude && longitude) found.push({ kind: 'latitude-longitude-fields', latitude, longitude });
  for (const field of table.fields) {
    if (field === latitude || field === longitude) continue;
    if (mostly(sample, field, (v) => parseLatLonText(v) !== null))
      found.push({ kind: 'lat-lon-text', field });
    else if (mostly(sample, field, (v) => parseLonLatArray(v) !== null))
      found.push({ kind: 'lon-lat-array', field });
    else if (mostly(sample, field, (v) => parseGeometry(v) !== null))
      found.push({ kind: 'geojson-geometry', field });
  }
  return found;
}

export function readGeopoint(row: Row, detection: CoordinatesDetection): Geopoint | null {
  switch (detection.kind) {
    case 'latitude-longitude-fields': {
      const lat = toNumber(row[detection.latitude]);
      const lon = toNumber(row[detection.longitude]);
      return inRange(lat, 90) && inRange(lon, 180) ? { lat, lon } : null;
    }
    case 'lat-lon-text':
      return parseLatLonText(row[detection.field]);
    case 'lon-lat-array':
      return parseLonLatArray(row[detection.field]);
    case 'geojson-geometry':
      return parseGeometry(row[detection.field]);
  }
}

/** Non-empty values of `field` in `rows`: at least one, and 90% of them pass `test`. */
function mostly(rows: Row[], field: string, test: (value: unknown) => boolean): boolean {
  let seen = 0;
  let passed = 0;
  for (const row of rows) {
    const value = row[field];
    if (value === null || value === undefined || value === '') continue;
    seen++;
    if (test(value)) passed++;
  }
  return seen > 0 && passed / seen >= 0.9;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return Number.NaN;
  return Number(value.trim().replace(',', '.'));
}

function inRange(value: number, limit: number): value is number {
  return Number.isFinite(value) && Math.abs(value) <= limit;
}

function point(lat: number, lon: number): Geopoint | null {
  return inRange(lat, 90) && inRange(lon, 180) ? { lat, lon } : null;
}

function parseLatLonText(value: unknown): Geopoint | null {
  if (typeof value !== 'string') return null;
  const match = latLonText.exec(value);
  if (!match) return null;
  // "48,85,2,35" would be ambiguous: only a comma-free pair or a dot-decimal pair is accepted.
  const [lat, lon] = [match[1]!, match[2]!].map((n) => Number(n.replace(',', '.')));
  return point(lat!, lon!);
}

function parseLonLatArray(value: unknown): Geopoint | null {
  if (typeof value !== 'string') return null;
  const match = lonLatArray.exec(value);
  return match ? point(Number(match[2]), Number(match[1])) : null;
}

function parseGeometry(value: unknown): Geopoint | null {
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return null;
  let geometry: unknown;
  try {
    geometry = JSON.parse(value);
  } catch {
    return null;
  }
  return geometryPoint(geometry);
}

/** A Point's position, or the mean of every position of another geometry (a usable map marker). */
export function geometryPoint(geometry: unknown): Geopoint | null {
  if (!geometry || typeof geometry !== 'object') return null;
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string' || !Array.isArray(coordinates)) return null;
  let lonSum = 0;
  let latSum = 0;
  let n = 0;
  const visit = (node: unknown): void => {
    if (!Array.isArray(node)) return;
    if (typeof node[0] === 'number' && typeof node[1] === 'number') {
      lonSum += node[0];
      latSum += node[1];
      n++;
    } else for (const child of node) visit(child);
  };
  visit(coordinates);
  return n > 0 ? point(latSum / n, lonSum / n) : null;
}
