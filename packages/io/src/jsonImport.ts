// Reads a JSON array of objects, or a GeoJSON FeatureCollection, into a table. Fields are the union
// of keys in order of first appearance; nested values are kept as their JSON text (and reported);
// a Point feature's coordinates become `latitude` / `longitude` fields.

import { geometryPoint } from './coordinates.ts';
import type { ImportSuccess } from './csvImport.ts';
import { type ImportFailure, importFailure } from './importErrors.ts';
import { type Cell, emptyReport, type ImportReport, type Row, recordRepair } from './table.ts';
import { decodeText } from './textEncoding.ts';

export function parseJsonBytes(
  bytes: Uint8Array,
): { ok: true; value: unknown; encoding: string } | ImportFailure {
  const decoded = decodeText(bytes);
  if (!decoded) return importFailure('file-binary');
  try {
    return { ok: true, value: JSON.parse(decoded.text), encoding: decoded.encoding };
  } catch (error) {
    return importFailure('json-invalid', { detail: (error as Error).message });
  }
}

export function importJson(value: unknown, encoding: string): ImportSuccess | ImportFailure {
  if (
    !Array.isArray(value) ||
    !value.every((item) => item && typeof item === 'object' && !Array.isArray(item))
  ) {
    return importFailure('json-not-a-table');
  }
  const report = emptyReport('json');
  report.encoding = encoding;
  const fields: string[] = [];
  const known = new Set<string>();
  const rows = (value as Record<string, unknown>[]).map((item, index) =>
    toRow(item, index + 1, fields, known, report),
  );
  return finish(fields, rows, report);
}

export function importGeojson(value: unknown, encoding: string): ImportSuccess | ImportFailure {
  const collection = value as { type?: unknown; features?: unknown };
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    return importFailure('geojson-not-feature-collection');
  }
  const report = emptyReport('geojson');
  report.encoding = encoding;
  const fields: string[] = [];
  const known = new Set<string>();
  const pointFields = { latitude: 'latitude', longitude: 'longitude' };
  const rows: Row[] = [];
  const geometries: unknown[] = [];
  for (const feature of collection.features as { properties?: unknown; geometry?: unknown }[]) {
    const properties = (feature?.properties ?? {}) as Record<string, unknown>;
    rows.push(toRow(properties, rows.length + 1, fields, known, report));
    geometries.push(feature?.geometry ?? null);
  }
  // Chosen after all properties are known so a property called "latitude" is never overwritten.
  for (const key of ['latitude', 'longitude'] as const) {
    let name = key;
    for (let n = 2; known.has(name); n++) name = `${key}_${n}` as typeof key;
    pointFields[key] = name;
    fields.push(name);
    known.add(name);
  }
  rows.forEach((row, i) => {
    const geometry = geometries[i] as { type?: unknown } | null;
    const point = geometry?.type === 'Point' ? geometryPoint(geometry) : null;
    row[pointFields.latitude] = point?.lat ?? null;
    row[pointFields.longitude] = point?.lon ?? null;
    if (!point) {
      recordRepair(report, {
        row: i + 1,
        kind: 'feature-without-point',
        detail: typeof geometry?.type === 'string' ? geometry.type : 'null',
      });
    }
  });
  return finish(fields, rows, report);
}

function toRow(
  item: Record<string, unknown>,
  rowNumber: number,
  fields: string[],
  known: Set<string>,
  report: ImportReport,
): Row {
  const row: Row = {};
  let stringified = false;
  for (const [name, raw] of Object.entries(item)) {
    // Assigning row.__proto__ would set the prototype and lose the value.
    const key = name === '__proto__' ? '_proto_' : name;
    if (!known.has(key)) {
      known.add(key);
      fields.push(key);
    }
    let cell: Cell;
    if (raw === null || raw === undefined) cell = null;
    else if (typeof raw === 'object') {
      cell = JSON.stringify(raw);
      stringified = true;
    } else if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') cell = raw;
    else cell = String(raw);
    row[key] = cell;
  }
  if (stringified) recordRepair(report, { row: rowNumber, kind: 'nested-value-stringified' });
  return row;
}

function finish(fields: string[], rows: Row[], report: ImportReport): ImportSuccess {
  for (const row of rows) for (const field of fields) if (!(field in row)) row[field] = null;
  report.rowCount = rows.length;
  return { ok: true, table: { fields, rows }, report };
}
