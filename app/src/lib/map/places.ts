/**
 * Where a dataset keeps its points. The schema decides first (a `geopoint` field, read in its
 * format; else a latitude and a longitude number field); otherwise @datapatch/io's detection
 * by the values (lat/lon columns, "lat,lon" text, "[lon,lat]" arrays, GeoJSON) on a sample.
 * A row without a usable point simply has none: it is never placed at 0,0.
 */
import type { Field } from '@datapatch/core';
import { type CoordinatesDetection, detectCoordinates, readGeopoint } from '@datapatch/io';
import { type GeopointFormat, geopointFormat, type Point, readGeopointCell } from './geopoint-format.ts';

export type PlaceSource =
  | { kind: 'geopoint'; field: string; format: GeopointFormat }
  | { kind: 'detected'; detection: CoordinatesDetection };

type Row = Readonly<Record<string, unknown>>;

const LATITUDE = /(^|_)lat(itude)?($|_)/i;
const LONGITUDE = /(^|_)(lon|lng|long|longitude)($|_)/i;

export function placeSource(fields: readonly Field[], sample: readonly Row[]): PlaceSource | null {
  const geopoint = fields.find((f) => f.type === 'geopoint');
  if (geopoint !== undefined) {
    return { kind: 'geopoint', field: geopoint.name, format: geopointFormat(geopoint.format) };
  }
  const numeric = fields.filter((f) => f.type === 'number');
  const latitude = numeric.find((f) => LATITUDE.test(f.name));
  const longitude = numeric.find((f) => LONGITUDE.test(f.name));
  if (latitude !== undefined && longitude !== undefined) {
    return {
      kind: 'detected',
      detection: { kind: 'latitude-longitude-fields', latitude: latitude.name, longitude: longitude.name },
    };
  }
  const rows = sample.map((row) => {
    const out: Record<string, string | number | boolean | null> = {};
    for (const f of fields) {
      const value = row[f.name];
      out[f.name] =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
    }
    return out;
  });
  const [detection] = detectCoordinates({ fields: fields.map((f) => f.name), rows });
  return detection === undefined ? null : { kind: 'detected', detection };
}

/** The fields a source reads: only these are fetched per row (a row may have a hundred). */
export function sourceFields(source: PlaceSource): string[] {
  if (source.kind === 'geopoint') return [source.field];
  const { detection } = source;
  return detection.kind === 'latitude-longitude-fields'
    ? [detection.latitude, detection.longitude]
    : [detection.field];
}

/** The point of a row read cell by cell, e.g. from the TinyBase store without copying rows. */
export function placeReader(
  cell: (rowId: string, field: string) => unknown,
  source: PlaceSource,
): (rowId: string) => Point | null {
  const fields = sourceFields(source);
  return (rowId) => {
    const row: Record<string, unknown> = {};
    for (const field of fields) row[field] = cell(rowId, field);
    return placeOf(row, source);
  };
}

export function placeOf(row: Row, source: PlaceSource): Point | null {
  if (source.kind === 'geopoint') return readGeopointCell(row[source.field], source.format);
  return readGeopoint(row as Parameters<typeof readGeopoint>[0], source.detection);
}
