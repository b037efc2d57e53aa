// Writes a table for programs (CSV, JSON, GeoJSON, a Frictionless data package) and for people
// (XLSX, CSV "for Excel"). Invariant: a CSV gives back exactly the values it was made from; only
// the "for Excel" CSV (`excelCsv`) adds an apostrophe before text a spreadsheet could run.

import { zipSync } from 'fflate';
import Papa from 'papaparse';
import writeXlsxFile from 'write-excel-file/universal';
import { detectCoordinates, readGeopoint } from './coordinates.ts';
import { neutraliseFormula } from './formulaGuard.ts';
import type { Cell, CoordinatesDetection, Table } from './table.ts';

export type ExportFormat = 'csv' | 'xlsx' | 'json' | 'geojson' | 'datapackage';

export interface ExportOptions {
  format: ExportFormat;
  /** CSV: start with a UTF-8 byte order mark, so Excel reads the accents right. */
  bom?: boolean;
  /** CSV: ',' (default), ';' (French spreadsheets) or a tab. */
  separator?: ',' | ';' | '\t';
  /**
   * Prefix text a spreadsheet could run as a formula with an apostrophe (default false: the values
   * are written as they are; `excelCsv` turns it on). Never touches numbers or coordinate pairs.
   */
  neutraliseFormulas?: boolean;
  /** Data package: the Table Schema to ship beside the data (any JSON object). */
  schema?: object;
  /** Data package: its `name` (lower-case, - _ . allowed). */
  name?: string;
  /** GeoJSON: where the points are; detected from the values when absent. */
  coordinates?: CoordinatesDetection;
}

const encoder = new TextEncoder();

/**
 * A CSV for spreadsheet users ("for Excel"): a byte order mark so accents read right, `;` as French
 * spreadsheets expect, and formula-like text neutralised. Spread it under a caller's own choices.
 */
export const excelCsv = { format: 'csv', bom: true, separator: ';', neutraliseFormulas: true } as const;

export async function exportTable(table: Table, opts: ExportOptions): Promise<Uint8Array> {
  switch (opts.format) {
    case 'csv':
      return encodeCsv(table, opts.separator ?? ',', opts.bom ?? false, opts.neutraliseFormulas ?? false);
    case 'xlsx':
      // XLSX text cells are stored as strings, never formulas: no apostrophe unless asked for.
      return exportXlsx(table, opts.neutraliseFormulas ?? false);
    case 'json':
      return encoder.encode(JSON.stringify(table.rows.map((row) => pick(row, table.fields))));
    case 'geojson':
      return encoder.encode(JSON.stringify(toFeatureCollection(table, opts.coordinates)));
    case 'datapackage':
      return exportDataPackage(table, opts);
  }
}

function cellText(cell: Cell | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

function encodeCsv(table: Table, separator: string, bom: boolean, neutralise: boolean): Uint8Array {
  const data = table.rows.map((row) =>
    table.fields.map((field) => {
      const text = cellText(row[field]);
      return neutralise && typeof row[field] === 'string' ? neutraliseFormula(text) : text;
    }),
  );
  const text = Papa.unparse(
    { fields: table.fields, data },
    { delimiter: separator, newline: '\r\n', quotes: false },
  );
  return encoder.encode(bom ? `\uFEFF${text}\r\n` : `${text}\r\n`);
}

async function exportXlsx(table: Table, neutralise: boolean): Promise<Uint8Array> {
  const header = table.fields.map((field) => ({ value: field, fontWeight: 'bold' as const }));
  const body = table.rows.map((row) =>
    table.fields.map((field) => {
      const cell = row[field];
      if (cell === null || cell === undefined || cell === '') return null;
      if (typeof cell === 'string')
        return { value: neutralise ? neutraliseFormula(cell) : cell, type: String };
      return { value: cell };
    }),
  );
  const blob = await writeXlsxFile([header, ...body] as never).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}

function pick(row: Record<string, Cell>, fields: string[]): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const field of fields) out[field] = row[field] ?? null;
  return out;
}

function toFeatureCollection(table: Table, given: CoordinatesDetection | undefined) {
  const detection = given ?? detectCoordinates(table)[0];
  return {
    type: 'FeatureCollection',
    features: table.rows.map((row) => {
      const point = detection ? readGeopoint(row, detection) : null;
      return {
        type: 'Feature',
        geometry: point ? { type: 'Point', coordinates: [point.lon, point.lat] } : null,
        properties: pick(row, table.fields),
      };
    }),
  };
}

function exportDataPackage(table: Table, opts: ExportOptions): Uint8Array {
  const name = (opts.name ?? 'dataset').toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  const resource: Record<string, unknown> = {
    name: 'data',
    path: 'data.csv',
    profile: 'tabular-data-resource',
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
  };
  const files: Record<string, Uint8Array> = {
    'data.csv': encodeCsv(table, ',', false, false),
  };
  if (opts.schema) {
    resource.schema = 'schema.json';
    files['schema.json'] = encoder.encode(JSON.stringify(opts.schema, null, 2));
  }
  const descriptor = { profile: 'tabular-data-package', name, resources: [resource] };
  files['datapackage.json'] = encoder.encode(JSON.stringify(descriptor, null, 2));
  return zipSync(files, { level: 6 });
}
