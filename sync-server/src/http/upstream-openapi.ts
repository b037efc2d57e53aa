/**
 * OpenAPI entries of the upstream routes (upstream-routes.ts), spread into `apiPaths`.
 * Only types come from openapi.ts, which imports this module.
 */
import type { OpenApiOperation, OpenApiPathItem } from './openapi.ts';

const errorBody = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
};
const json = (schema: object = { type: 'object' }) => ({ 'application/json': { schema } });
const failure = (description: string) => ({ description, content: json(errorBody) });
/** The dataset id in the path, shared with the other owner settings' entries. */
export const parameters = [
  {
    name: 'id',
    in: 'path' as const,
    required: true,
    description: 'Dataset id: 1-64 letters, digits, - or _',
    schema: { type: 'string' },
  },
];
const releaseBody = {
  required: false,
  content: {
    'multipart/form-data': {
      schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
    },
    'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
  },
};
export const denied = {
  '401': failure('unauthenticated'),
  '403': failure('forbidden, cross_site_request'),
  '404': failure('dataset_not_found'),
};
const run = (summary: string, description: string): OpenApiOperation => ({
  summary,
  description,
  tags: ['upstream'],
  parameters: [
    ...parameters,
    {
      name: 'filename',
      in: 'query',
      description: "The raw file's name (its extension picks the format)",
      schema: { type: 'string' },
    },
  ],
  requestBody: releaseBody,
  responses: {
    '200': { description: 'Counts and the first examples of each outcome', content: json() },
    ...denied,
    '409': failure('upstream_not_configured, upstream_no_release'),
    '413': failure('upstream_too_large'),
    '422': failure('upstream_unreadable, upstream_bad_key'),
    '502': failure('upstream_fetch_failed'),
  },
});

export const upstreamPaths: Record<string, OpenApiPathItem> = {
  '/api/datasets/{id}/upstream': {
    get: {
      summary:
        "The dataset's official source: URL, key columns, last release taken (owners, editors, moderators)",
      tags: ['upstream'],
      parameters,
      responses: { '200': { description: '{url, key, lastRelease}', content: json() }, ...denied },
    },
    put: {
      summary: 'Names the official source: {url?: http(s) URL or null, key: [column, …]} (owners)',
      tags: ['upstream'],
      parameters,
      requestBody: { required: true, content: json() },
      responses: {
        '200': { description: 'The settings kept', content: json() },
        ...denied,
        '400': failure('upstream_invalid_settings'),
        '422': failure('upstream_bad_key'),
      },
    },
  },
  '/api/datasets/{id}/upstream/release': {
    post: {
      ...run(
        'Names the release the data reflects now (the base of the next merge); takes nothing in (owners)',
        '',
      ),
      responses: { '200': { description: '{filename, takenAt, rows}', content: json() }, ...denied },
    },
  },
  '/api/datasets/{id}/upstream/dry-run': {
    post: run(
      'What taking in a new release would do, writing nothing',
      'The release is the body (multipart `file`, or the raw file), else read from the configured URL.',
    ),
  },
  '/api/datasets/{id}/upstream/apply': {
    post: run(
      'Takes in a new release: one history batch (undone as one), conflicts and removals sent to moderation',
      'Answers like the dry run, plus `batchId` and `proposalsSent`.',
    ),
  },
  '/api/datasets/{id}/upstream/changes.csv': {
    get: {
      summary: 'What the hubs changed since the last release taken, one line per record and field (CSV)',
      tags: ['upstream'],
      parameters,
      responses: {
        '200': {
          description: 'CSV: key columns, operation, champ, valeur_publiee, valeur_corrigee, date',
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        ...denied,
        '409': failure('upstream_not_configured, upstream_no_release_taken'),
      },
    },
  },
};
