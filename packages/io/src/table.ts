// The table every importer produces and every exporter takes: ordered unique field names, and rows
// keyed by those names. Cells are scalars only (nested JSON is stored as its JSON text).

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface Table {
  fields: string[];
  rows: Row[];
}

export type ImportFormat = 'csv' | 'tsv' | 'xlsx' | 'json' | 'geojson';

export type LineEnd = 'LF' | 'CRLF' | 'CR' | 'CRCRLF' | 'none';

/** How coordinates were recognised; `readGeopoint` turns a row into a point with it. */
export type CoordinatesDetection =
  | { kind: 'latitude-longitude-fields'; latitude: string; longitude: string }
  | { kind: 'lat-lon-text'; field: string }
  | { kind: 'lon-lat-array'; field: string }
  | { kind: 'geojson-geometry'; field: string };

export type RepairKind =
  | 'short-row-padded'
  | 'long-row-extra-cells-kept'
  | 'long-row-empty-cells-removed'
  | 'unclosed-quote'
  | 'stray-quote-kept'
  | 'truncated-character'
  | 'blank-line-skipped'
  | 'nested-value-stringified'
  | 'feature-without-point';

export interface RowRepair {
  /** 1-based index of the data row in the imported table (the header is not counted). */
  row: number;
  /** 1-based line of the file where that row starts (CSV; a quoted line break counts). */
  line?: number;
  kind: RepairKind;
  detail?: string;
}

export interface RenamedHeader {
  /** 0-based column position in the source file. */
  column: number;
  from: string;
  to: string;
  reason: 'trimmed' | 'empty' | 'duplicate' | 'reserved' | 'extra-cells';
  /** CSV: the line of the header (or, for `extra-cells`, of the first row that had the cell). */
  line?: number;
}

export interface ImportReport {
  format: ImportFormat;
  encoding: string | null;
  hasBom: boolean;
  /** Bytes that were not UTF-8 in a UTF-8 file, read as Windows-1252 (0 normally). */
  strayBytes: number;
  separator: string | null;
  lineEnd: LineEnd | null;
  sheet: string | null;
  rowCount: number;
  renamedHeaders: RenamedHeader[];
  /** At most `maxRepairsListed` entries; `repairCount` is the true total. */
  repairs: RowRepair[];
  repairCount: number;
  blankLinesSkipped: number;
  coordinates: CoordinatesDetection[];
}

export const maxRepairsListed = 10_000;

export function emptyReport(format: ImportFormat): ImportReport {
  return {
    format,
    encoding: null,
    hasBom: false,
    strayBytes: 0,
    separator: null,
    lineEnd: null,
    sheet: null,
    rowCount: 0,
    renamedHeaders: [],
    repairs: [],
    repairCount: 0,
    blankLinesSkipped: 0,
    coordinates: [],
  };
}

export function recordRepair(report: ImportReport, repair: RowRepair): void {
  report.repairCount++;
  if (report.repairs.length < maxRepairsListed) report.repairs.push(repair);
}
