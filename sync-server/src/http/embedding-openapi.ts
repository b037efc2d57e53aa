/**
 * OpenAPI entries of the embedding settings (embedding-routes.ts), spread into `apiPaths`.
 * Only types come from openapi.ts, which imports this module.
 */
import type { OpenApiPathItem } from './openapi.ts';
import { denied, parameters } from './upstream-openapi.ts';

const json = (schema: object) => ({ 'application/json': { schema } });
const settings = {
  type: 'object',
  required: ['origins'],
  properties: { origins: { type: 'array', items: { type: 'string', examples: ['https://www.hub.fr'] } } },
};
const failure = (description: string) => ({
  description,
  content: json({
    type: 'object',
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          invalid: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  }),
});
export const embeddingPaths: Record<string, OpenApiPathItem> = {
  '/api/datasets/{id}/embedding': {
    get: {
      summary: 'The sites allowed to embed the dataset (owners); empty: any site',
      tags: ['embed'],
      parameters,
      responses: { '200': { description: '{origins}', content: json(settings) }, ...denied },
    },
    put: {
      summary:
        'Lists the sites allowed to embed the dataset: origins `scheme://host[:port]` (owners). `/embed/{id}` may then be framed only by them, and the API answers them only with `Access-Control-Allow-Origin`',
      tags: ['embed'],
      parameters,
      requestBody: { required: true, content: json(settings) },
      responses: {
        '200': { description: 'The list kept, each origin in its canonical form', content: json(settings) },
        ...denied,
        '400': failure('embedding_invalid_origins (`invalid` lists the entries refused); nothing is changed'),
      },
    },
  },
};
