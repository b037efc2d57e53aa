/**
 * One import as the worker thread runs it: the raw upload in, a small answer or one Yjs update
 * out. Invariants: everything that grows with the file (multipart parsing, reading, validating,
 * building the update) happens here, never on the server's event loop; every refusal is a value
 * with a stable code; what crosses back is the dry-run answer (capped) or the update's bytes.
 */
import type { Actor } from '@datapatch/core';
import type { RepairWarning } from '@datapatch/io';
import { ImportLimitErrorCode } from '@datapatch/protocol';
import {
  type DocumentState,
  DRY_RUN_LIMITS,
  type DryRunAnswer,
  dryRunAnswer,
  type ImportAnswer,
  type ImportMeta,
  importUpdate,
  prepareImport,
} from '../dataset-import.ts';

export interface ImportJob {
  /** The request body as received: the file, or a multipart/form-data body carrying it. */
  body: Uint8Array;
  contentType: string;
  /** Raw bodies: the file name from `?filename=`. */
  filename?: string;
  maxBytes: number;
  rowBudget: number;
  strict: boolean;
  /** Go ahead despite an unclosed quote (the owner accepted the repair). */
  acceptRepairs?: boolean;
  dryRun: boolean;
  current: DocumentState;
  meta: ImportMeta;
  actor: Actor;
}

export type ImportRefusal = {
  ok: false;
  status: 400 | 413 | 422;
  error: { code: string; message: string; fr?: string };
  /** A file refused for its repairs: every one of them, with its line. */
  repairs?: RepairWarning[];
};

export type ImportOutcome =
  | ImportRefusal
  | { ok: true; kind: 'dry-run'; answer: DryRunAnswer }
  | {
      ok: true;
      kind: 'import';
      update: Uint8Array;
      created: boolean;
      rowsImported: number;
      answer: Omit<ImportAnswer, 'datasetId' | 'created' | 'rowsImported'>;
    };

/** Codes of the upload's own shape (kept from the routes' first version). */
export const UploadErrorCode = { noFile: 'no_file' } as const;

type Upload = {
  bytes: Uint8Array;
  filename?: string;
  schemaText: string | null;
  customPropsText?: string | null;
};

/** multipart/form-data (`file`, optional `schema` and `customProps`) or the raw file. */
async function readUpload(job: ImportJob): Promise<Upload | ImportRefusal> {
  if (!job.contentType.toLowerCase().startsWith('multipart/form-data')) {
    return { bytes: job.body, ...(job.filename ? { filename: job.filename } : {}), schemaText: null };
  }
  let form: FormData;
  try {
    form = await new Response(job.body, { headers: { 'content-type': job.contentType } }).formData();
  } catch {
    return {
      ok: false,
      status: 400,
      error: {
        code: ImportLimitErrorCode.malformedBody,
        message: 'The multipart/form-data body cannot be read (boundary, headers or framing)',
        fr: 'Le corps multipart/form-data est illisible (séparateur, en-têtes ou découpage)',
      },
    };
  }
  const file = form.get('file');
  if (!(file instanceof File))
    return {
      ok: false,
      status: 400,
      error: { code: UploadErrorCode.noFile, message: 'Send the file in a "file" field' },
    };
  const text = async (part: File | string | null) =>
    part instanceof File ? await part.text() : typeof part === 'string' ? part : null;
  return {
    bytes: new Uint8Array(await file.arrayBuffer()),
    filename: file.name,
    schemaText: await text(form.get('schema')),
    // Datami custom props (OUI/NON booleans, tag separators) for whichever schema is used.
    customPropsText: await text(form.get('customProps')),
  };
}

export async function runImportJob(job: ImportJob): Promise<ImportOutcome> {
  const upload = await readUpload(job);
  if ('ok' in upload) return upload;
  const prepared = await prepareImport(
    {
      bytes: upload.bytes,
      ...(upload.filename ? { filename: upload.filename } : {}),
      schemaText: upload.schemaText,
      customPropsText: upload.customPropsText ?? null,
      maxBytes: job.maxBytes,
      maxRows: job.rowBudget,
      strict: !job.dryRun && job.strict,
      ...(job.acceptRepairs ? { acceptRepairs: true } : {}),
      ...(job.dryRun ? { maxErrors: DRY_RUN_LIMITS.counted } : {}),
    },
    job.current.schema,
  );
  if (!prepared.ok) return prepared;
  if (job.dryRun)
    return {
      ok: true,
      kind: 'dry-run',
      answer: dryRunAnswer(prepared, job.meta.datasetId, job.current.exists),
    };
  const made = importUpdate(job.current, prepared, job.meta, job.actor);
  return { ok: true, kind: 'import', ...made, answer: prepared.answer };
}
