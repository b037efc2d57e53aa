import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { DatasetRegistry } from '../store/dataset-registry.ts';
import type { RouteDependencies } from './access-guard.ts';
import { createHttpApp } from './app.ts';
import { authRoutes } from './auth-routes.ts';
import type { DataRelay } from './data-routes.ts';
import { embeddingRoutes } from './embedding-routes.ts';
import { moderationRoutes } from './moderation-routes.ts';
import type { openApiDocument } from './openapi.ts';
import { proposalRoutes } from './proposal-routes.ts';
import { upstreamRoutes } from './upstream-routes.ts';

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

function mountedRoutes(app: Hono): string[] {
  return app.routes
    .filter((route) => route.path.startsWith('/api/') && !route.path.includes('*') && route.method !== 'ALL')
    .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
}

async function describedRoutes(app: Hono): Promise<string[]> {
  const served = (await (await app.request('/api/openapi.json')).json()) as typeof openApiDocument;
  return Object.entries(served.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method} ${path}`),
  );
}

describe('GET /api/openapi.json', () => {
  it('describes every accounts, hubs, roles, proposals and moderation route, with its method', async () => {
    // Building the route tables touches no dependency; nothing here is called.
    const deps = { access: { deps: {} } } as unknown as RouteDependencies;
    const routes = new Hono();
    for (const module of [authRoutes, proposalRoutes, moderationRoutes, upstreamRoutes, embeddingRoutes])
      routes.route('/', module(deps));
    const mounted = mountedRoutes(routes);
    expect(mounted).toContain('delete /api/hubs/{hubId}/members/{userId}');
    const described = await describedRoutes(
      createHttpApp({ registry, relay, appDir: null, roomsInMemory: () => 0 }),
    );
    for (const route of mounted) expect(described).toContain(route);
  });

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
