/**
 * The OpenAPI 3.1 description served at `/api/openapi.json`, written by hand as typed data.
 * Invariant: every route the HTTP app mounts under /api has an entry here (openapi.test.ts
 * compares the two); another area adds its routes by spreading its own `paths` into `apiPaths`.
 */

import { accessPaths } from './access-openapi.ts';
import { catalogPaths, changePaths } from './change-openapi.ts';
import { embeddingPaths } from './embedding-openapi.ts';
import { upstreamPaths } from './upstream-openapi.ts';
import { webhookPaths } from './webhook-openapi.ts';

export interface OpenApiOperation {
  summary: string;
  description?: string;
  tags?: string[];
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: object;
}

export type OpenApiPathItem = Partial<
  Record<'get' | 'post' | 'put' | 'patch' | 'delete' | 'options', OpenApiOperation>
>;

const errorBody = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, fr: { type: 'string' } },
    },
  },
};
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBody } },
});
const datasetId: OpenApiParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Dataset id: 1-64 letters, digits, - or _',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
};
const ifNoneMatch: OpenApiParameter = {
  name: 'If-None-Match',
  in: 'header',
  description: 'An ETag from a previous answer: 304 when nothing changed',
  schema: { type: 'string' },
};
const corsPreflight: OpenApiOperation = {
  summary: 'CORS preflight (reads are open to every origin for public datasets)',
  tags: ['data'],
  parameters: [datasetId],
  responses: { '204': { description: 'Allowed methods and headers' } },
};

export const corePaths: Record<string, OpenApiPathItem> = {
  '/api/health': {
    get: {
      summary: 'Liveness and rooms in memory',
      tags: ['server'],
      responses: { '200': { description: '`{ok, rooms}`' } },
    },
  },
  '/api/datasets': {
    get: {
      summary: 'The datasets (id, title, description, row count, updated at)',
      tags: ['data'],
      responses: { '200': { description: '`{datasets: [...]}`' } },
    },
  },
  '/api/config': {
    get: {
      summary: 'Instance settings the app needs: the basemap of the map view (DATAPATCH_BASEMAP_URL)',
      tags: ['server'],
      responses: { '200': { description: '`{basemap: {url, attribution} | null}`' } },
    },
  },
  '/api/openapi.json': {
    get: {
      summary: 'This description',
      tags: ['server'],
      responses: { '200': { description: 'OpenAPI 3.1' } },
    },
  },
};

export const dataPaths: Record<string, OpenApiPathItem> = {
  '/api/datasets/{id}': {
    get: {
      summary: 'What a re-user needs: title, licence, source, row count, date of the last change',
      tags: ['data'],
      parameters: [datasetId, ifNoneMatch],
      responses: {
        '200': {
          description: '`{datasetId, title, description?, licence?, source?, rowCount, lastChange?}`',
        },
        '304': { description: 'Not modified' },
        '404': error('No such dataset (or not readable by the caller)'),
      },
    },
    options: corsPreflight,
  },
  '/api/datasets/{id}/about': {
    get: {
      summary: 'The same facts as `GET /api/datasets/{id}`, or null: the app asks this before the rows',
      tags: ['data'],
      parameters: [datasetId],
      responses: {
        '200': {
          description:
            '`{dataset}`: the facts, or `null` when the dataset is unknown or not readable by the caller (a state, not an error)',
        },
      },
    },
  },
  '/api/datasets/{id}/rows': {
    get: {
      summary: 'The validated rows, paged, searched and filtered',
      description:
        'JSON pages carry `next` (also in the `Link` header); the total is in `X-Total-Count`. CSV is UTF-8 with every value as stored (`for=excel`: the spreadsheet copy, formula-like text neutralised); GeoJSON points come from the detected coordinate columns.',
      tags: ['data'],
      parameters: [
        datasetId,
        {
          name: 'format',
          in: 'query',
          schema: { type: 'string', enum: ['json', 'csv', 'geojson'], default: 'json' },
        },
        { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
        {
          name: 'limit',
          in: 'query',
          description: 'JSON: default 100, at most 1000. CSV/GeoJSON: every row by default',
          schema: { type: 'integer', minimum: 1 },
        },
        {
          name: 'q',
          in: 'query',
          description: 'Words a row must all contain, ignoring case and accents',
          schema: { type: 'string' },
        },
        {
          name: 'filter.<field>',
          in: 'query',
          description:
            'Exact value of a field (repeat for any of several); unknown field → 400 unknown_field',
          schema: { type: 'string' },
        },
        {
          name: 'bom',
          in: 'query',
          description: 'CSV: 1 to start with a UTF-8 byte order mark (Excel)',
          schema: { type: 'string' },
        },
        {
          name: 'separator',
          in: 'query',
          description: 'CSV: "," (default; ";" with for=excel), ";" or "tab"',
          schema: { type: 'string', enum: [',', ';', 'tab'] },
        },
        {
          name: 'for',
          in: 'query',
          description:
            'CSV: "excel" for spreadsheet users — a BOM, ";" unless separator is given, and an apostrophe before text a spreadsheet could run as a formula (never numbers or coordinate pairs)',
          schema: { type: 'string', enum: ['excel'] },
        },
        {
          name: 'provenance',
          in: 'query',
          description:
            'JSON and CSV: 1 to say where each value came from and when. CSV: after each field, `<field>__source` and `<field>__date`; JSON: each row gets `provenance` by field, `{ source, date }`. The source is `import`, `upstream` (a release of the official source), `proposal:<id>`, `auto:<id>` (a proposal accepted automatically) or `edit`; the date is ISO 8601. No person is named',
          schema: { type: 'string', enum: ['1', 'true'] },
        },
        ifNoneMatch,
      ],
      responses: {
        '200': {
          description: 'A page of rows',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  datasetId: { type: 'string' },
                  total: { type: 'integer' },
                  offset: { type: 'integer' },
                  limit: { type: ['integer', 'null'] },
                  fields: { type: 'array', items: { type: 'string' } },
                  rows: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        id: { type: 'string' },
                        values: { type: 'object' },
                        provenance: {
                          type: 'object',
                          description: 'With provenance=1: by field, `{ source, date }`',
                        },
                      },
                    },
                  },
                  next: { type: ['string', 'null'] },
                },
              },
            },
            'text/csv': { schema: { type: 'string' } },
            'application/geo+json': { schema: { type: 'object' } },
          },
        },
        '304': { description: 'Not modified since the ETag given' },
        '400': error('bad_format, bad_paging or unknown_field'),
        '404': error('No such dataset (or not readable by the caller)'),
      },
    },
    options: corsPreflight,
  },
  '/api/datasets/{id}/rows/{rowId}': {
    get: {
      summary: 'One validated record, by its id',
      tags: ['data'],
      parameters: [
        datasetId,
        {
          name: 'rowId',
          in: 'path',
          required: true,
          description: 'The record id',
          schema: { type: 'string' },
        },
        ifNoneMatch,
      ],
      responses: {
        '200': { description: '`{datasetId, row: {id, values}}`' },
        '304': { description: 'Not modified' },
        '404': error('No such dataset, or no such record (`row_not_found`)'),
      },
    },
    options: corsPreflight,
  },
  '/api/datasets/{id}/schema': {
    get: {
      summary: 'The Table Schema of the dataset',
      tags: ['data'],
      parameters: [datasetId, ifNoneMatch],
      responses: {
        '200': { description: '`{datasetId, schema}`' },
        '304': { description: 'Not modified' },
        '404': error('No such dataset'),
      },
    },
    options: corsPreflight,
  },
  '/api/datasets/{id}/duplicates': {
    post: {
      summary: 'Likely duplicates of a record about to be proposed',
      description:
        'Body `{values: {field: value}}` (a record of this dataset, at most 64 KiB). Answers `{candidates}`: up to 5 records of this dataset and of the instance’s public datasets (never a private one) that likely describe the same place, best first, each with `datasetId`, `datasetTitle`, `rowId`, `score` in [0, 1], `reasons` (codes: same-name, similar-name, nearby with `meters`, same-address, same-phone, same-email, same-siret, same-town) and a `label` (name, address, city).',
      tags: ['data'],
      parameters: [datasetId],
      responses: {
        '200': { description: '`{candidates: [{datasetId, datasetTitle, rowId, score, reasons, label}]}`' },
        '400': error('duplicates_bad_body'),
        '404': error('No such dataset (or not readable by the caller)'),
        '413': error('duplicates_bad_body: over 64 KiB'),
      },
    },
  },
  '/api/datasets/{id}/import': {
    post: {
      summary: 'Import a file: creates the dataset or appends to it',
      description:
        'The rows are validated against the schema given (multipart `schema`), else the stored one, else one inferred from the file. A refused file changes nothing. The caller and their right to import are checked before the body is read; the body is capped as it arrives; the file is read in a worker thread within a time, memory and row budget; imports running at once are limited per account and per instance.',
      tags: ['data'],
      parameters: [
        datasetId,
        {
          name: 'filename',
          in: 'query',
          description: 'Raw body: the file name (its extension picks the format)',
          schema: { type: 'string' },
        },
        {
          name: 'title',
          in: 'query',
          description: 'Title of a dataset this import creates',
          schema: { type: 'string' },
        },
        { name: 'description', in: 'query', schema: { type: 'string' } },
        {
          name: 'licence',
          in: 'query',
          description: 'Licence of a dataset this import creates',
          schema: { type: 'string' },
        },
        {
          name: 'source',
          in: 'query',
          description: 'Source of a dataset this import creates',
          schema: { type: 'string' },
        },
        {
          name: 'hub',
          in: 'query',
          description: 'Owning hub id of a dataset this import creates (metadata)',
          schema: { type: 'string' },
        },
        {
          name: 'new',
          in: 'query',
          description: '1: only create; 409 dataset_exists when the id is taken (nothing written)',
          schema: { type: 'string' },
        },
        {
          name: 'dryRun',
          in: 'query',
          description:
            '1: write nothing; answer what the import would do: `{dryRun: true, wouldCreate, rowsRead, schema (the one used: given, stored or inferred), schemaSource, schemaNotes, importReport, repairs, validation (errors cut to 1000), errorsByField: [{field, count, codes}] (whole file, up to 100,000 errors), offendingRows: [{row, values}] (the first 200 rows with an error)}`. Same access as the import.',
          schema: { type: 'string' },
        },
        {
          name: 'strict',
          in: 'query',
          description:
            '1: refuse the file when any row fails the schema (rows_invalid) or the file needed any repair (repairs-refused); not applied to a dry run',
          schema: { type: 'string' },
        },
        {
          name: 'acceptRepairs',
          in: 'query',
          description:
            '1: go ahead despite an unclosed quote (read as a plain character); without it such a file is refused (csv-unclosed-quote, naming its line)',
          schema: { type: 'string' },
        },
      ],
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file'],
              properties: {
                file: { type: 'string', format: 'binary' },
                schema: {
                  type: 'string',
                  description:
                    'A Table Schema, a Datami field list or a JSON Schema (draft-07, 2019-09, 2020-12: rows are then checked with it, the answer’s schema carries it under `jsonSchema`)',
                },
                customProps: {
                  type: 'string',
                  description:
                    'Datami custom props (`*-fields-custom-props.json`): OUI/NON boolean options and tag separators, applied to the schema used',
                },
              },
            },
          },
          'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
        },
      },
      responses: {
        '200': {
          description:
            'Appended: `{datasetId, created, rowsImported, schemaSource, importReport, repairs: [{kind, line, row, column?, detail?}] (every repair, said aloud), validation}`; with dryRun=1: the dry-run answer, nothing written',
        },
        '201': { description: 'Created, same body' },
        '400': error(
          'bad_dataset_id, no_file, schema_invalid (not JSON, no field such as `{}`, or not compilable), schema_kind_unsupported, custom_props_invalid, malformed_body (multipart that cannot be parsed)',
        ),
        '401': error('unauthenticated (before any of the body is read)'),
        '403': error('forbidden, cross_site_request (before any of the body is read)'),
        '409': error('dataset_exists (with new=1)'),
        '413': error(
          'file-too-large (a declared Content-Length over the cap is refused unread), import_time_budget_exceeded, import_memory_budget_exceeded, import_row_budget_exceeded',
        ),
        '422': error(
          'The file was refused (file-empty, file-binary, xlsx-zip-bomb, csv-unclosed-quote…), rows_invalid / repairs-refused with strict, or import_unreadable',
        ),
        '429': error(
          'import_busy: too many imports running for this account or on this instance; see Retry-After',
        ),
      },
    },
  },
};

export const apiPaths: Record<string, OpenApiPathItem> = {
  ...corePaths,
  ...dataPaths,
  ...accessPaths,
  ...changePaths,
  ...catalogPaths,
  ...upstreamPaths,
  ...webhookPaths,
  ...embeddingPaths,
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Data Patch',
    version: '0.1.0',
    description: 'Open datasets edited together; errors are `{error: {code, message}}` with a stable code.',
    license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
  },
  paths: apiPaths,
};
