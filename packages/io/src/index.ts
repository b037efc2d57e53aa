export { detectCoordinates, type Geopoint, readGeopoint } from './coordinates.ts';
export type { ImportSuccess } from './csvImport.ts';
export { type ExportFormat, type ExportOptions, excelCsv, exportTable } from './exportTable.ts';
export { couldRunAsFormula, neutraliseFormula } from './formulaGuard.ts';
export type { ImportError, ImportErrorCode, ImportFailure } from './importErrors.ts';
export { defaultMaxBytes, type ImportOptions, type ImportResult, importFile } from './importFile.ts';
export {
  type RepairPolicy,
  type RepairWarning,
  type RepairWarningKind,
  refusedRepairs,
  repairWarnings,
} from './repairPolicy.ts';
/** For seeded random tests and benchmarks in any package: a replayable generator and its seed. */
export { mulberry32, testSeed } from './seededRandom.ts';
export type {
  Cell,
  CoordinatesDetection,
  ImportFormat,
  ImportReport,
  LineEnd,
  RenamedHeader,
  RepairKind,
  Row,
  RowRepair,
  Table,
} from './table.ts';
