// Every repair an import made, said aloud as one list of warnings, and which of them refuse the
// file. Invariants: an unclosed quote refuses the file unless the user accepts the repair; `strict`
// refuses any repair; nothing here changes the table — it only reads the report.

import { type ImportFailure, importFailure } from './importErrors.ts';
import type { ImportReport, RepairKind } from './table.ts';

export type RepairWarningKind =
  | RepairKind
  | 'header-trimmed'
  | 'header-empty'
  | 'header-duplicate'
  | 'header-reserved'
  | 'header-extra-cells'
  | 'stray-bytes';

/** One repair: where (file line when known, data row, column) and what was done. */
export interface RepairWarning {
  kind: RepairWarningKind;
  /** 1-based line of the file (CSV), null when the format has no lines. */
  line: number | null;
  /** 1-based data row; null for the header and the whole file. */
  row: number | null;
  /** A column's source and new name, for header repairs. */
  column?: { position: number; from: string; to: string };
  detail?: string;
}

export interface RepairPolicy {
  /** Refuse the file when anything was repaired. */
  strict?: boolean;
  /** Go ahead despite an unclosed quote (read as a character). */
  acceptRepairs?: boolean;
}

/**
 * What `nested-value-stringified` does is how nested JSON is stored (its JSON text, whole), not a
 * repair of a broken file: it is listed but never refuses.
 */
const notARepair: ReadonlySet<RepairWarningKind> = new Set(['nested-value-stringified']);

/** Every repair of an import, the header's first, then in row order; at most what io listed. */
export function repairWarnings(report: ImportReport): RepairWarning[] {
  const warnings: RepairWarning[] = report.renamedHeaders.map((renamed) => ({
    kind: `header-${renamed.reason}` as RepairWarningKind,
    line: renamed.line ?? null,
    row: null,
    column: { position: renamed.column + 1, from: renamed.from, to: renamed.to },
  }));
  if (report.strayBytes > 0)
    warnings.push({ kind: 'stray-bytes', line: null, row: null, detail: String(report.strayBytes) });
  for (const repair of report.repairs)
    warnings.push({
      kind: repair.kind,
      line: repair.line ?? null,
      row: repair.row === 0 ? null : repair.row,
      ...(repair.detail !== undefined ? { detail: repair.detail } : {}),
    });
  return warnings;
}

/** The refusal the policy calls for, or null when the import may go ahead. */
export function refusedRepairs(report: ImportReport, policy: RepairPolicy = {}): ImportFailure | null {
  const warnings = repairWarnings(report).filter((w) => !notARepair.has(w.kind));
  if (policy.strict && warnings.length > 0) {
    const first = warnings[0]!;
    const hidden = report.repairCount - report.repairs.length;
    return importFailure('repairs-refused', {
      count: warnings.length + hidden,
      line: first.line ?? '—',
      kind: first.kind,
    });
  }
  const unclosed = warnings.find((w) => w.kind === 'unclosed-quote');
  if (unclosed && !policy.acceptRepairs)
    return importFailure('csv-unclosed-quote', { line: unclosed.line ?? '—' });
  return null;
}
