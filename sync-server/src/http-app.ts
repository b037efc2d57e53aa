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
import type { DatasetRegistry } from './dataset-registry.ts';

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
}

function apiError(c: Context, status: 404 | 426 | 500, code: HttpErrorCode, message: string) {
  return c.json({ error: { code, message } }, status);
}

export function createHttpApp(options: HttpAppOptions): Hono {
  const app = new Hono();

  app.get('/api/health', (c) => c.json({ ok: true, rooms: options.roomsInMemory() }));

  app.get('/api/datasets', async (c) => c.json({ datasets: await options.registry.list() }));

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
    app.use('*', serveStatic({ root: appDir }));
    app.get('*', async (c) => c.html(await readFile(join(appDir, 'index.html'), 'utf8')));
  }

  app.notFound((c) => apiError(c, 404, HttpErrorCode.notFound, `Nothing at ${c.req.path}`));
  app.onError((error, c) => {
    console.error('datapatch: request failed', error);
    return apiError(c, 500, HttpErrorCode.internal, 'Internal error');
  });
  return app;
}
