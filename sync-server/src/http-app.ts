/**
 * The HTTP side of the server (Hono): `/api/*` JSON endpoints and, when the app is built, the
 * SPA from `app/build` with a fallback to its index.html.
 * Invariant: `/api/*` and `/sync/*` are never answered by the SPA fallback; API errors are
 * `{error: {code, message}}` with a stable code.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { accessMiddleware, dataAccessFrom, mayRead, type RouteDependencies } from './http/access-guard.ts';
import { authRoutes } from './http/auth-routes.ts';
import { type DataAccess, type DataRelay, dataRoutes } from './http/data-routes.ts';
import { moderationRoutes } from './http/moderation-routes.ts';
import { openApiDocument } from './http/openapi.ts';
import { proposalRoutes } from './http/proposal-routes.ts';
import type { ImportLimits } from './imports/import-limits.ts';
import { type InstanceConfig, noInstanceConfig } from './instance-config.ts';
import type { DatasetRegistry } from './store/dataset-registry.ts';

/** Codes of the errors this module answers with (the API areas add theirs in @datapatch/protocol). */
export const HttpErrorCode = {
  notFound: 'not_found',
  /** `/sync/<room>` is a websocket endpoint. */
  upgradeRequired: 'upgrade_required',
  internal: 'internal_error',
} as const;
export type HttpErrorCode = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

export interface HttpAppOptions {
  registry: DatasetRegistry;
  /** Built SPA folder (index.html inside), or null to serve the API only. */
  appDir: string | null;
  /** Rooms in memory, reported by the health check. */
  roomsInMemory: () => number;
  /** The live documents behind the data API (rows, schema, import); absent: no data API. */
  relay?: DataRelay;
  /** Who may read and import (default: every dataset public). */
  dataAccess?: DataAccess;
  /** Accounts, roles, proposals and moderation; absent: none of their routes. */
  accessRoutes?: RouteDependencies;
  /** What the app reads at `GET /api/config` (basemap); absent: nothing configured. */
  instance?: InstanceConfig;
  /** Budgets and concurrency of imports (default `defaultImportLimits`). */
  importLimits?: Partial<ImportLimits>;
}

function apiError(c: Context, status: 404 | 426 | 500, code: HttpErrorCode, message: string) {
  return c.json({ error: { code, message } }, status);
}

export function createHttpApp(options: HttpAppOptions): Hono {
  const app = new Hono();

  app.get('/api/health', (c) => c.json({ ok: true, rooms: options.roomsInMemory() }));

  const routes = options.accessRoutes;
  if (routes) app.use('/api/*', accessMiddleware(routes.access));
  app.get('/api/datasets', async (c) => {
    const datasets = await options.registry.list();
    // Private datasets are listed only to those who may read them.
    // (With a `dataAccess` of its own, the caller decides who reads; the list stays whole.)
    const readable = routes && !options.dataAccess ? datasets.filter((d) => mayRead(c, d.id)) : datasets;
    return c.json({ datasets: readable });
  });
  app.get('/api/openapi.json', (c) => c.json(openApiDocument));
  app.get('/api/config', (c) => c.json(options.instance ?? noInstanceConfig));
  if (options.relay) {
    const data = {
      relay: options.relay,
      registry: options.registry,
      ...(options.importLimits ? { importLimits: options.importLimits } : {}),
    };
    const dataAccess = options.dataAccess ?? (routes ? dataAccessFrom(routes) : undefined);
    app.route('/', dataRoutes(dataAccess ? { ...data, access: dataAccess } : data));
  }
  if (routes) {
    app.route('/', authRoutes(routes));
    app.route('/', proposalRoutes(routes));
    app.route('/', moderationRoutes(routes));
  }

  app.all('/api/*', (c) => apiError(c, 404, HttpErrorCode.notFound, `No API route for ${c.req.path}`));
  app.all('/sync/*', (c) =>
    apiError(
      c,
      426,
      HttpErrorCode.upgradeRequired,
      'Open /sync/<room> with a websocket (y-websocket protocol)',
    ),
  );

  const appDir = options.appDir;
  if (appDir !== null && existsSync(join(appDir, 'index.html'))) {
    // Built files carry a hash of their content in their name: a browser may keep them for good.
    app.use('/_app/immutable/*', async (c, next) => {
      await next();
      if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    });
    app.use('*', serveStatic({ root: appDir }));
    // Every page is the SPA's index.html; a built file that is not there is a 404, not the page.
    app.get('*', async (c, next) => {
      if (c.req.path.startsWith('/_app/')) return next();
      return c.html(await readFile(join(appDir, 'index.html'), 'utf8'));
    });
  }

  app.notFound((c) => apiError(c, 404, HttpErrorCode.notFound, `Nothing at ${c.req.path}`));
  app.onError((error, c) => {
    console.error('datapatch: request failed', error);
    return apiError(c, 500, HttpErrorCode.internal, 'Internal error');
  });
  return app;
}
