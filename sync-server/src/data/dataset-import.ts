/**
 * A file becoming rows of a dataset, shared by `POST /api/datasets/:id/import` and
 * `datapatch import`. Invariants: everything that can refuse the file (reading it, the schema,
 * a strict validation) runs before a single update is made, so a refused file leaves nothing
 * behind; the rows land as ONE Yjs update (create or append), computed on a copy of the document.
 */
import {
  type Actor,
  appendRows,
  type CellValue,
  createDataset,
  isDataset,
  readSchema,
  type TableSchema,
} from '@datapatch/core';
import {
  type ImportFailure,
  type ImportReport,
  type ImportResult,
  importFile,
  type RepairWarning,
  refusedRepairs,
  repairWarnings,
  type Table,
} from '@datapatch/io';
import { ImportLimitErrorCode } from '@datapatch/protocol';
import {
  compileRowsValidator,
  inferSchema,
  SchemaError,
  serverCustomChecks,
  type TableReport,
  type TableSchema as ValidatedSchema,
} from '@datapatch/schema/server';
import * as Y from 'yjs';
import { GivenSchemaCode, readGivenSchema, withCustomProps } from './given-schema.ts';

export const ImportErrorCode = {
  /** The schema given with the file is not JSON, has no field, or cannot be compiled. */
  schemaInvalid: GivenSchemaCode.schemaInvalid,
  /** The schema given is JSON of a kind not read (draft-04, a Data Package…). */
  schemaKindUnsupported: GivenSchemaCode.schemaKindUnsupported,
  /** The Datami custom props given are not JSON or have no `fields` list. */
  customPropsInvalid: GivenSchemaCode.customPropsInvalid,
  /** `strict`: the rows do not pass the schema; nothing was imported. */
  rowsInvalid: 'rows_invalid',
} as const;

export type SchemaSource = 'given' | 'stored' | 'inferred';

export interface ImportAnswer {
  datasetId: string;
  created: boolean;
  rowsImported: number;
  schemaSource: SchemaSource;
  schemaNotes: unknown[];
  importReport: ImportReport;
  /** Every repair the file needed (renamed headers, padded rows, quotes…), with its line. */
  repairs: RepairWarning[];
  validation: TableReport;
}

export type PreparedImport =
  | {
      ok: true;
      table: Table;
      schema: TableSchema;
      answer: Omit<ImportAnswer, 'datasetId' | 'created' | 'rowsImported'>;
    }
  | {
      ok: false;
      status: 400 | 413 | 422;
      error: { code: string; message: string; fr?: string };
      /** A file refused for its repairs (unclosed quote, strict): every one of them, with its line. */
      repairs?: RepairWarning[];
    };

export interface ImportRequest {
  bytes: Uint8Array;
  filename?: string;
  /** Table Schema, Datami field list or JSON Schema as JSON text; absent: the stored schema, else inferred. */
  schemaText?: string | null;
  /** Datami custom props (`*-fields-custom-props.json`) applied to whichever schema is used. */
  customPropsText?: string | null;
  maxBytes?: number;
  /** Refuse the whole file when a row fails the schema or the file needed any repair. */
  strict?: boolean;
  /** Go ahead despite an unclosed quote (read as a character); refused otherwise. */
  acceptRepairs?: boolean;
  /** How many errors the validation keeps (default 1000); a dry run keeps more to count them. */
  maxErrors?: number;
  /** Refuse a file with more rows than this (413 `import_row_budget_exceeded`), before validating it. */
  maxRows?: number;
}

/** Turns a refused io import into the HTTP status and error the API and CLI report. */
export function refusedFile(
  result: Extract<ImportResult, { ok: false }> | ImportFailure,
): Extract<PreparedImport, { ok: false }> {
  const { code, message } = result.error;
  return {
    ok: false,
    status: code === 'file-too-large' ? 413 : 422,
    error: { code, message: message.en, fr: message.fr },
  };
}

/**
 * Reads the file and decides the schema. `stored` is the dataset's schema when it exists.
 * A given schema wins over the stored one, which wins over inference.
 */
export async function prepareImport(
  request: ImportRequest,
  stored: TableSchema | null,
): Promise<PreparedImport> {
  let given: { schema: TableSchema; notes: unknown[] } | null = null;
  if (request.schemaText) {
    const reading = readGivenSchema(request.schemaText);
    if (!reading.ok) return refusedSchema(reading);
    given = { schema: reading.schema as TableSchema, notes: reading.notes };
  }
  const imported = await importFile(request.bytes, {
    ...(request.filename ? { filename: request.filename } : {}),
    ...(request.maxBytes !== undefined ? { maxBytes: request.maxBytes } : {}),
  });
  if (!imported.ok) return refusedFile(imported);
  const { table, report } = imported;
  if (request.maxRows !== undefined && table.rows.length > request.maxRows) {
    return {
      ok: false,
      status: 413,
      error: {
        code: ImportLimitErrorCode.rowBudgetExceeded,
        message: `The file has ${table.rows.length} rows, over the row budget of ${request.maxRows}; nothing was imported`,
        fr: `Le fichier a ${table.rows.length} lignes, au-delà du budget de ${request.maxRows} lignes : rien n’a été importé`,
      },
    };
  }
  // Repairs are said aloud; an unclosed quote needs the user's yes, strict refuses any repair.
  const refusal = refusedRepairs(report, {
    ...(request.strict ? { strict: true } : {}),
    ...(request.acceptRepairs ? { acceptRepairs: true } : {}),
  });
  if (refusal) return { ...refusedFile(refusal), repairs: repairWarnings(report) };
  const schemaSource: SchemaSource = given ? 'given' : stored ? 'stored' : 'inferred';
  let schema = given?.schema ?? stored ?? (inferSchema(table) as TableSchema);
  const notes = [...(given?.notes ?? [])];
  if (request.customPropsText) {
    const reading = withCustomProps(schema as ValidatedSchema, request.customPropsText);
    if (!reading.ok) return refusedSchema(reading);
    schema = reading.schema as TableSchema;
    notes.push(...reading.notes);
  }
  let validation: TableReport;
  try {
    // A schema read from a JSON Schema is checked with it (Ajv), any other with its fields.
    validation = compileRowsValidator(schema as ValidatedSchema, {
      customChecks: serverCustomChecks,
    }).validateTable(table.rows, {
      labels: table.fields,
      maxErrors: request.maxErrors ?? 1000,
    });
  } catch (error) {
    if (error instanceof SchemaError) return schemaRefused(`${error.code}: ${error.message}`);
    throw error;
  }
  if (request.strict && !validation.valid) {
    return {
      ok: false,
      status: 422,
      error: {
        code: ImportErrorCode.rowsInvalid,
        message: `${validation.errorCount} errors against the schema; nothing was imported`,
      },
    };
  }
  return {
    ok: true,
    table,
    schema,
    answer: {
      schemaSource,
      schemaNotes: notes,
      importReport: report,
      repairs: repairWarnings(report),
      validation,
    },
  };
}

function schemaRefused(message: string): PreparedImport {
  return { ok: false, status: 400, error: { code: ImportErrorCode.schemaInvalid, message } };
}

function refusedSchema(refusal: { code: string; message: string; fr: string }): PreparedImport {
  return { ok: false, status: 400, error: { code: refusal.code, message: refusal.message, fr: refusal.fr } };
}

/** An empty text cell is no value; every other cell is kept as read (types are the schema's). */
export function storedRows(table: Table): Record<string, CellValue>[] {
  return table.rows.map((row) => {
    const out: Record<string, CellValue> = {};
    for (const field of table.fields) {
      const cell = row[field];
      out[field] = cell === undefined || cell === '' ? null : cell;
    }
    return out;
  });
}

export interface DocumentState {
  exists: boolean;
  schema: TableSchema | null;
  /** The document's whole state, to compute the import on a copy. */
  state: Uint8Array;
}

export function documentState(doc: Y.Doc): DocumentState {
  const exists = isDataset(doc);
  return { exists, schema: exists ? readSchema(doc) : null, state: Y.encodeStateAsUpdate(doc) };
}

/** What a new dataset is described by; ignored when the import appends to an existing one. */
export interface ImportMeta {
  datasetId: string;
  title?: string;
  description?: string;
  licence?: string;
  source?: string;
  /** The owning hub's id, a label in the metadata (as `setMeta` writes it); grants nothing. */
  hub?: string;
}

/**
 * The one update that creates the dataset (or appends to it) with the prepared rows, relative
 * to `current`; applying it anywhere that holds `current` gives the imported dataset.
 */
export function importUpdate(
  current: DocumentState,
  prepared: Extract<PreparedImport, { ok: true }>,
  meta: ImportMeta,
  actor: Actor,
): { update: Uint8Array; created: boolean; rowsImported: number } {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, current.state);
    const before = Y.encodeStateVector(copy);
    const rows = storedRows(prepared.table);
    if (current.exists) appendRows(copy, rows, actor);
    else
      createDataset(
        copy,
        {
          meta: {
            datasetId: meta.datasetId,
            title: meta.title ?? meta.datasetId,
            ...(meta.description ? { description: meta.description } : {}),
            ...(meta.licence ? { licence: meta.licence } : {}),
            ...(meta.source ? { source: meta.source } : {}),
            ...(meta.hub ? { hub: meta.hub } : {}),
          },
          schema: prepared.schema,
          rows,
        },
        actor,
      );
    return {
      update: Y.encodeStateAsUpdate(copy, before),
      created: !current.exists,
      rowsImported: rows.length,
    };
  } finally {
    copy.destroy();
  }
}

/** Caps of a dry run's answer: enough to show and page through, small enough to send. */
export const DRY_RUN_LIMITS = { errors: 1000, rows: 200, counted: 100_000 } as const;

export interface DryRunAnswer extends Omit<ImportAnswer, 'created' | 'rowsImported'> {
  dryRun: true;
  /** Whether the import would create the dataset (false: it would append). */
  wouldCreate: boolean;
  /** Rows the import would write. */
  rowsRead: number;
  /** The schema the rows were checked against (given, stored or inferred), to edit and send back. */
  schema: TableSchema;
  /** Errors per column over the whole file (up to DRY_RUN_LIMITS.counted), most first. */
  errorsByField: { field: string | null; count: number; codes: Record<string, number> }[];
  /** The offending rows of the first errors listed, as read (1-based row number). */
  offendingRows: { row: number; values: Record<string, CellValue> }[];
}

/**
 * What an import would do, computed from a prepared import, written nowhere. `validation.errors`
 * is cut to DRY_RUN_LIMITS.errors; the per-column counts are taken before the cut.
 */
export function dryRunAnswer(
  prepared: Extract<PreparedImport, { ok: true }>,
  datasetId: string,
  exists: boolean,
): DryRunAnswer {
  const { validation } = prepared.answer;
  const byField = new Map<string | null, { count: number; codes: Record<string, number> }>();
  for (const error of validation.errors) {
    const field = error.field ?? null;
    let entry = byField.get(field);
    if (entry === undefined) {
      entry = { count: 0, codes: {} };
      byField.set(field, entry);
    }
    entry.count++;
    entry.codes[error.code] = (entry.codes[error.code] ?? 0) + 1;
  }
  const errors = validation.errors.slice(0, DRY_RUN_LIMITS.errors);
  const rowNumbers: number[] = [];
  const seen = new Set<number>();
  for (const error of errors) {
    if (error.row === null || seen.has(error.row)) continue;
    seen.add(error.row);
    rowNumbers.push(error.row);
    if (rowNumbers.length >= DRY_RUN_LIMITS.rows) break;
  }
  const rows = storedRows(prepared.table);
  return {
    dryRun: true,
    datasetId,
    wouldCreate: !exists,
    rowsRead: rows.length,
    ...prepared.answer,
    validation: { ...validation, errors },
    schema: prepared.schema,
    errorsByField: [...byField]
      .map(([field, v]) => ({ field, ...v }))
      .sort((a, b) => b.count - a.count || String(a.field).localeCompare(String(b.field))),
    offendingRows: rowNumbers.flatMap((row) => {
      const values = rows[row - 1];
      return values === undefined ? [] : [{ row, values }];
    }),
  };
}
