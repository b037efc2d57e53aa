/**
 * The HTTP side of the server (Hono): `/api/*` JSON endpoints and, when the app is built, the
 * SPA from `app/build` with a fallback to its index.html; `/robots.txt` and `/sitemap.xml`.
 * Invariant: `/api/*` and `/sync/*` are never answered by the SPA fallback; API errors are
 * `{error: {code, message}}` with a stable code; every answer carries the security headers
 * and, when text, is compressed as the client accepts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isDatasetId } from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import { datasetSettings } from '../access/index.ts';
import type { ImportLimits } from '../data/imports/import-limits.ts';
import { embeddingRoom, readEmbedOrigins } from '../embedding/embedding-room.ts';
import { type InstanceConfig, noInstanceConfig } from '../server/instance-config.ts';
import type { DatasetRegistry } from '../store/dataset-registry.ts';
import { accessMiddleware, dataAccessFrom, mayRead, type RouteDependencies } from './access-guard.ts';
import { appFiles, REVALIDATE } from './app-files.ts';
import { appShell } from './app-shell.ts';
import { authRoutes } from './auth-routes.ts';
import { autoApprovalRoutes } from './auto-approval-routes.ts';
import { catalogRoutes } from './catalog-routes.ts';
import { changeRoutes, feedRoleOf } from './change-routes.ts';
import { compression } from './compression.ts';
import { type DataAccess, type DataRelay, dataRoutes } from './data-routes.ts';
import { duplicateRoutes } from './duplicate-routes.ts';
import { embedRoutes } from './embed-routes.ts';
import { embeddingRoutes } from './embedding-routes.ts';
import { moderationRoutes } from './moderation-routes.ts';
import { openApiDocument } from './openapi.ts';
import { type PublicDataset, pageMetaFor } from './page-meta.ts';
import { proposalRoutes } from './proposal-routes.ts';
import { publicOrigin, robotsTxt, sitemapXml } from './robots.ts';
import { appPolicy, securityHeaders } from './security-headers.ts';
import { upstreamRoutes } from './upstream-routes.ts';
import { type WebhookRoutesOptions, webhookRoutes } from './webhook-routes.ts';

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
  /** Behind our own proxy: its X-Forwarded-Proto says whether the visitor used HTTPS (HSTS, sitemap). */
  trustProxy?: boolean;
  /** Owners' webhooks (needs `accessRoutes`); absent: no webhook routes. */
  webhooks?: Omit<WebhookRoutesOptions, 'relay'>;
}

function apiError(c: Context, status: 404 | 426 | 500, code: HttpErrorCode, message: string) {
  return c.json({ error: { code, message } }, status);
}

export function createHttpApp(options: HttpAppOptions): Hono {
  const app = new Hono();
  const trustProxy = options.trustProxy ?? false;
  const appDir = options.appDir;
  const shell = appDir !== null && existsSync(join(appDir, 'index.html')) ? appShell(appDir) : null;
  const basemapUrl = (options.instance ?? noInstanceConfig).basemap?.url;

  app.use(
    '*',
    securityHeaders({ trustProxy, appPolicy: () => appPolicy(shell?.builtPolicy() ?? null, { basemapUrl }) }),
  );
  app.use('*', compression());
  // Answers depend on who asks and change with every edit: always asked again.
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', REVALIDATE);
  });

  app.get('/api/health', (c) => c.json({ ok: true, rooms: options.roomsInMemory() }));

  const routes = options.accessRoutes;
  if (routes) app.use('/api/*', accessMiddleware(routes.access));
  app.route(
    '/',
    embedRoutes({
      publicDataset: (id) => publicDataset(id),
      datasets: () => options.registry.list(),
      embedOrigins: (id) =>
        options.relay ? options.relay.readDocument(embeddingRoom(id), readEmbedOrigins) : Promise.resolve([]),
    }),
  );
  app.get('/api/datasets', async (c) => {
    const datasets = await options.registry.list();
    // Private datasets are listed only to those who may read them.
    // (With a `dataAccess` of its own, the caller decides who reads; the list stays whole.)
    const readable = [];
    for (const dataset of datasets) {
      if (!routes || options.dataAccess || (await mayRead(c, dataset.id))) readable.push(dataset);
    }
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
    app.route('/', duplicateRoutes(dataAccess ? { ...data, access: dataAccess } : data));
    app.route(
      '/',
      changeRoutes({
        ...data,
        ...(dataAccess ? { access: dataAccess } : {}),
        trustProxy,
        ...(routes ? { roleOf: feedRoleOf(routes.access.deps.store) } : {}),
      }),
    );
    app.route('/', catalogRoutes({ ...data, ...(dataAccess ? { access: dataAccess } : {}), trustProxy }));
  }
  if (routes) {
    app.route('/', authRoutes(routes));
    app.route('/', proposalRoutes(routes));
    app.route('/', moderationRoutes(routes));
    app.route('/', autoApprovalRoutes(routes));
    app.route('/', upstreamRoutes(routes));
    if (options.webhooks) app.route('/', webhookRoutes({ ...options.webhooks, relay: routes.relay }));
    app.route('/', embeddingRoutes(routes));
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

  /** A dataset's summary when anyone may read it (with a `dataAccess` of its own, every one). */
  const publicDataset: PublicDataset = async (id) => {
    if (!isDatasetId(id)) return null;
    if (
      routes &&
      !options.dataAccess &&
      (await datasetSettings(routes.access.deps.store, id))?.visibility !== 'public'
    )
      return null;
    return options.registry.get(id);
  };
  app.get('/robots.txt', (c) =>
    c.text(robotsTxt(publicOrigin(c, trustProxy)), 200, { 'Cache-Control': REVALIDATE }),
  );
  app.get('/sitemap.xml', async (c) => {
    const listed: { id: string; updatedAt: string }[] = [];
    for (const dataset of await options.registry.list()) {
      if ((await publicDataset(dataset.id)) !== null) listed.push(dataset);
    }
    return c.body(sitemapXml(publicOrigin(c, trustProxy), listed), 200, {
      'Content-Type': 'application/xml; charset=utf-8',
      'Cache-Control': REVALIDATE,
    });
  });

  if (appDir !== null && shell !== null) {
    app.use('*', appFiles(appDir));
    // Every page is the SPA's index.html; a built file that is not there is a 404, not the page.
    const page = shell.page((path) => pageMetaFor(path, publicDataset));
    app.get('*', async (c, next) => {
      if (c.req.path.startsWith('/_app/')) return next();
      return page(c, next);
    });
  }

  app.notFound((c) => apiError(c, 404, HttpErrorCode.notFound, `Nothing at ${c.req.path}`));
  app.onError((error, c) => {
    console.error('datapatch: request failed', error);
    return apiError(c, 500, HttpErrorCode.internal, 'Internal error');
  });
  return app;
}
