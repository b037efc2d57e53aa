import { describe, expect, it } from 'vitest';
import type { DatasetRegistry } from '../dataset-registry.ts';
import { createHttpApp } from '../http-app.ts';
import type { DataRelay } from './data-routes.ts';
import type { openApiDocument } from './openapi.ts';

const registry: DatasetRegistry = {
  list: async () => [],
  get: async () => null,
  upsert: async () => undefined,
};
const relay: DataRelay = {
  readDocument: async () => {
    throw new Error('not used');
  },
  applyServerUpdate: async () => undefined,
  roomsInMemory: () => [],
};

describe('GET /api/openapi.json', () => {
  it('describes every route the HTTP app mounts under /api, with its method', async () => {
    const app = createHttpApp({ registry, relay, appDir: null, roomsInMemory: () => 0 });
    const mounted = app.routes
      .filter(
        (route) => route.path.startsWith('/api/') && !route.path.includes('*') && route.method !== 'ALL',
      )
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(mounted.length).toBeGreaterThan(5);
    const served = (await (await app.request('/api/openapi.json')).json()) as typeof openApiDocument;
    const described = Object.entries(served.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    for (const route of mounted) expect(described).toContain(route);
    expect(served.openapi).toBe('3.1.0');
  });
});
