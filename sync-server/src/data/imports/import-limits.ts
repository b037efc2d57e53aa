/**
 * The bounds on the work one import may cause, and where their values come from. Invariant:
 * every limit is a positive whole number; a bad environment value is refused at start (a
 * message naming the variable), never replaced silently by a default.
 */
import { positiveNumbersFromEnvironment } from '../../http/timeouts.ts';

export interface ImportLimits {
  /** Largest file, in bytes; a multipart body may carry 1 MiB more (the schema, the framing). */
  maxBytes: number;
  /** Wall time one worker may spend reading and checking a file (and building its update). */
  timeBudgetMs: number;
  /** The worker's V8 old-generation heap (`resourceLimits.maxOldGenerationSizeMb`). */
  memoryBudgetMb: number;
  /** Rows one file may have. */
  rowBudget: number;
  /** Imports (dry runs included) one account may have running at once. */
  perAccount: number;
  /** Imports running at once on this instance. */
  perInstance: number;
}

export const defaultImportLimits: ImportLimits = {
  maxBytes: 100 * 1024 * 1024,
  timeBudgetMs: 120_000,
  memoryBudgetMb: 1024,
  rowBudget: 200_000,
  perAccount: 2,
  perInstance: 4,
};

/** Environment variable of each limit (documented in sync-server/README.md, "Imports"). */
export const IMPORT_LIMIT_VARIABLES: Record<keyof ImportLimits, string> = {
  maxBytes: 'DATAPATCH_IMPORT_MAX_BYTES',
  timeBudgetMs: 'DATAPATCH_IMPORT_TIME_BUDGET_MS',
  memoryBudgetMb: 'DATAPATCH_IMPORT_MEMORY_BUDGET_MB',
  rowBudget: 'DATAPATCH_IMPORT_ROW_BUDGET',
  perAccount: 'DATAPATCH_IMPORTS_PER_ACCOUNT',
  perInstance: 'DATAPATCH_IMPORTS_PER_INSTANCE',
};

export function importLimitsFromEnvironment(
  env: NodeJS.ProcessEnv,
): { ok: true; values: ImportLimits } | { ok: false; message: string } {
  return positiveNumbersFromEnvironment(env, defaultImportLimits, IMPORT_LIMIT_VARIABLES);
}
