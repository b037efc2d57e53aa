/**
 * OpenAPI entries of the webhook routes (webhook-routes.ts), spread into `apiPaths`.
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
const path = (name: string, description: string) => ({
  name,
  in: 'path' as const,
  required: true,
  description,
  schema: { type: 'string' },
});
const dataset = [path('id', 'Dataset id: 1-64 letters, digits, - or _')];
const webhook = [...dataset, path('wid', 'Webhook id')];
const denied = {
  '401': failure('unauthenticated'),
  '403': failure('forbidden, cross_site_request (owners only)'),
  '404': failure('dataset_not_found, webhook_not_found'),
};
const op = (summary: string, responses: OpenApiOperation['responses'], extra = {}): OpenApiOperation => ({
  summary,
  tags: ['webhooks'],
  parameters: webhook,
  responses: { ...responses, ...denied },
  ...extra,
});

export const webhookPaths: Record<string, OpenApiPathItem> = {
  '/api/datasets/{id}/webhooks': {
    get: {
      summary:
        "The dataset's webhooks: {webhooks: [{id, url, enabled, failures, disabledReason, createdAt}]} (owners)",
      tags: ['webhooks'],
      parameters: dataset,
      responses: { '200': { description: '{webhooks}', content: json() }, ...denied },
    },
    post: {
      summary:
        'Registers {url}: each later accepted change is POSTed to it, signed with the Standard Webhooks scheme (webhook-id = the change cursor). The answer holds the `whsec_` secret, shown this once (owners)',
      tags: ['webhooks'],
      parameters: dataset,
      requestBody: { required: true, content: json() },
      responses: {
        '201': { description: '{webhook} with its secret', content: json() },
        '400': failure('webhook_bad_url, webhook_unresolved, webhook_private_address, invalid_json'),
        '409': failure('webhook_limit'),
        ...denied,
      },
    },
  },
  '/api/datasets/{id}/webhooks/{wid}': {
    delete: op('Removes a webhook and its deliveries (owners)', { '204': { description: 'Removed' } }),
  },
  '/api/datasets/{id}/webhooks/{wid}/test': {
    post: op('Sends a `webhook.test` event now, whether the webhook is on or off: {delivery} (owners)', {
      '200': { description: '{delivery: {eventId, status, at, responseCode, error}}', content: json() },
    }),
  },
  '/api/datasets/{id}/webhooks/{wid}/enable': {
    post: op('Turns a webhook back on, its failures forgotten; delivery resumes where it stopped (owners)', {
      '200': { description: '{webhook}', content: json() },
    }),
  },
  '/api/datasets/{id}/webhooks/{wid}/deliveries': {
    get: op('The last deliveries, newest first: {deliveries} (owners)', {
      '200': { description: '{deliveries: [{eventId, status, at, responseCode, error}]}', content: json() },
    }),
  },
};
