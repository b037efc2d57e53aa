/**
 * OpenAPI entries of the change feed (change-routes.ts) and of the harvested metadata
 * (catalog-routes.ts), spread into `apiPaths` after the access
 * paths: the `changes` entry describes both the feed and the moderators' changelog view it
 * leaves to moderation-routes.ts.
 */
import type { OpenApiParameter, OpenApiPathItem } from './openapi.ts';

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
const failure = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBody } },
});
const datasetId: OpenApiParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Dataset id: 1-64 letters, digits, - or _',
  schema: { type: 'string' },
};
const query = (name: string, description: string, schema: object = { type: 'string' }): OpenApiParameter => ({
  name,
  in: 'query',
  description,
  schema,
});
const value = { type: ['string', 'number', 'boolean', 'null'] };
const feedChange = {
  type: 'object',
  required: ['cursor', 'action', 'recordId', 'at', 'role'],
  properties: {
    cursor: { type: 'string', description: 'Opaque; pass as `since` or `Last-Event-ID`' },
    action: { enum: ['created', 'changed', 'deleted', 'restored', 'imported'] },
    recordId: { type: 'string' },
    field: { type: 'string' },
    old: value,
    new: value,
    values: { type: 'object', additionalProperties: value },
    count: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    role: { enum: ['owner', 'editor', 'moderator', 'proposition anonyme', 'source officielle'] },
    proposalId: { type: 'string' },
    batchId: { type: 'string' },
  },
};
const corsPreflight = {
  summary: 'CORS preflight (the feed is open to every origin for public datasets)',
  tags: ['changes'],
  parameters: [datasetId],
  responses: { '204': { description: 'Allowed methods and headers' } },
};
const hidden = failure('`dataset_not_found`: missing, or not readable by the caller');

export const changePaths: Record<string, OpenApiPathItem> = {
  '/api/datasets/{id}/changes': {
    get: {
      summary: 'What changed in the validated data after a cursor, oldest first',
      description:
        'Created, changed (field, old and new value), deleted and restored records, who in role terms, when, from which proposal. Cursors are stable across restarts. With `offset`, `rowId` or `proposalId` the answer is instead the raw changelog page `{total, changes, offset, limit}` the moderation pages read.',
      tags: ['changes'],
      parameters: [
        datasetId,
        query('since', 'A cursor from an earlier answer; absent: from the first change'),
        query('limit', 'At most 1000 (default 100)', { type: 'integer' }),
        query('offset', 'Changelog view: skip this many', { type: 'integer' }),
        query('rowId', 'Changelog view: changes of this record'),
        query('proposalId', 'Changelog view: changes from this proposal'),
      ],
      responses: {
        '200': {
          description: '`{datasetId, changes, next, more}`',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  datasetId: { type: 'string' },
                  changes: { type: 'array', items: feedChange },
                  next: { type: ['string', 'null'] },
                  more: { type: 'boolean' },
                },
              },
            },
          },
        },
        '400': failure('`bad_cursor`, `bad_limit`, `invalid_filter`'),
        '404': hidden,
      },
    },
    options: corsPreflight,
  },
  '/api/datasets/{id}/changes/stream': {
    get: {
      summary: 'The same changes as Server-Sent Events, as they are accepted',
      description:
        'Each event is `change` with the change as JSON and the cursor as its id; resumes after `Last-Event-ID` (or `since`); without either, sends only what changes from now on. A comment line every 15 s keeps idle connections open. A few streams per client address.',
      tags: ['changes'],
      parameters: [
        datasetId,
        query('since', 'A cursor to resume after'),
        {
          name: 'Last-Event-ID',
          in: 'header',
          description: 'A cursor to resume after',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '200': {
          description: 'An event stream',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        '400': failure('`bad_cursor`'),
        '404': hidden,
        '429': failure('`too_many_streams`'),
      },
    },
    options: corsPreflight,
  },
};

const jsonLd = (description: string) => ({
  description,
  content: { 'application/ld+json': { schema: { type: 'object' } } },
});

/** The metadata harvesters read (catalog-routes.ts). */
export const catalogPaths: Record<string, OpenApiPathItem> = {
  '/api/datasets/{id}/datapackage.json': {
    get: {
      summary: 'The dataset as a Frictionless tabular data package (metadata, schema, CSV link)',
      tags: ['re-use'],
      parameters: [datasetId],
      responses: {
        '200': {
          description: 'A data package; ETag and Last-Modified',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        '304': { description: 'Not modified (If-None-Match)' },
        '404': hidden,
      },
    },
  },
  '/api/datasets/{id}/dcat.jsonld': {
    get: {
      summary: 'The dataset described in DCAT (JSON-LD), with its downloads as distributions',
      tags: ['re-use'],
      parameters: [datasetId],
      responses: {
        '200': jsonLd('A dcat:Dataset; ETag and Last-Modified'),
        '304': { description: 'Not modified (If-None-Match)' },
        '404': hidden,
      },
    },
  },
  '/api/catalog.jsonld': {
    get: {
      summary: 'A DCAT catalogue of the datasets anyone may read, for portals that harvest (data.gouv.fr)',
      tags: ['re-use'],
      responses: {
        '200': jsonLd('A dcat:Catalog; ETag and Last-Modified'),
        '304': { description: 'Not modified (If-None-Match)' },
      },
    },
  },
};
