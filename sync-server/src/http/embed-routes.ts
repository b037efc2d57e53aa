/**
 * The embed's server side: `/embed.js` and its chunks (ETag; the entry revalidated hourly, hashed
 * chunks for a year), the pages `/embed/<id>` (framable) and `/embed`, and cross-origin reading
 * for the widget. Invariants: CORS is added only to what a stranger may already read (public
 * rows, error answers that hold no data, the instance config, a proposal's status behind its
 * receipt) and to the anonymous proposal route of a public dataset; the app's own pages keep
 * their policy (`frame-ancestors 'none'`), only `/embed/<id>` may be framed. When a dataset's owner
 * lists the sites allowed to embed it, `/embed/<id>` may be framed only by them, its API answers
 * carry `Access-Control-Allow-Origin` only for them (never `*`), and a request from another site
 * is refused before any route runs (a proposal from it is never taken in).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddingErrorCode, isDatasetId } from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import { isSameOrigin } from './access-guard.ts';
import { attributesFrom, chooserPage, framePage, type PageLang } from './embed-pages.ts';

export const DEFAULT_EMBED_DIR = fileURLToPath(new URL('../../../app/dist/embed', import.meta.url));

/** The entry keeps its name across versions: cached an hour, then asked again with its ETag. */
export const ENTRY_CACHE = 'public, max-age=3600, stale-while-revalidate=86400';
const CHUNK_CACHE = 'public, max-age=31536000, immutable';
const CHUNK_NAME = /^embed-[A-Za-z0-9_-]+\.js$/;

/** The embed pages' policy: their one script is ours; styles inline (Leaflet sets them); tiles over HTTPS. */
export const EMBED_PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; base-uri 'none'; form-action 'self'";

const READ_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, If-None-Match',
  'Access-Control-Max-Age': '600',
};

export interface EmbedRoutesOptions {
  /** The folder with `embed.js` (app/dist/embed by default). */
  embedDir?: string;
  /** A dataset's summary when anyone may read it, else null. */
  publicDataset: (id: string) => Promise<{ title: string } | null>;
  /** Every dataset (the chooser keeps the public ones). */
  datasets: () => Promise<{ id: string }[]>;
  /** The sites a dataset's owner allows to embed it (canonical origins); empty: any site. */
  embedOrigins?: (id: string) => Promise<readonly string[]>;
}

const DATASET_PATH = /^\/api\/datasets\/([^/]+)(?:\/|$)/;

interface ScriptFile {
  body: string;
  etag: string;
  mtimeMs: number;
}

function notModified(c: Context, etag: string): boolean {
  const header = c.req.header('if-none-match') ?? '';
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export function embedRoutes(options: EmbedRoutesOptions): Hono {
  const dir = options.embedDir ?? DEFAULT_EMBED_DIR;
  const cache = new Map<string, ScriptFile>();
  const app = new Hono();
  const allowedSites = async (id: string): Promise<readonly string[]> =>
    isDatasetId(id) && options.embedOrigins ? await options.embedOrigins(id) : [];

  /** The built file, read once per build (its mtime tells a new build). */
  function script(name: string): ScriptFile | null {
    const path = join(dir, name);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      return null;
    }
    const known = cache.get(name);
    if (known && known.mtimeMs === mtimeMs) return known;
    const body = readFileSync(path, 'utf8');
    const file = { body, mtimeMs, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    cache.set(name, file);
    return file;
  }

  function serveScript(c: Context, name: string, cacheControl: string): Response {
    const file = script(name);
    if (!file)
      return c.json({ error: { code: 'not_found', message: 'The embed is not built (pnpm build)' } }, 404);
    // A module script from another origin is fetched in CORS mode.
    const headers = { ETag: file.etag, 'Cache-Control': cacheControl, 'Access-Control-Allow-Origin': '*' };
    if (notModified(c, file.etag)) return c.body(null, 304, headers);
    return c.body(file.body, 200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' });
  }

  app.get('/embed.js', (c) => serveScript(c, 'embed.js', ENTRY_CACHE));
  app.get('/:chunk{embed-[A-Za-z0-9_-]+\\.js}', (c) => {
    const name = c.req.param('chunk');
    return CHUNK_NAME.test(name) ? serveScript(c, name, CHUNK_CACHE) : c.notFound();
  });

  app.get('/embed/:id', async (c) => {
    const id = c.req.param('id');
    const attributes = attributesFrom(isDatasetId(id) ? id : '-', (name) => c.req.query(name));
    // Framable by any site unless the owner lists some; the element reads only what the public API gives.
    const sites = await allowedSites(id);
    const ancestors = sites.length > 0 ? ["'self'", ...sites].join(' ') : '*';
    return c.html(framePage(attributes), 200, {
      'Content-Security-Policy': `${EMBED_PAGE_POLICY}; frame-ancestors ${ancestors}`,
      'Cache-Control': 'no-cache',
    });
  });

  app.get('/embed', async (c) => {
    const lang: PageLang = c.req.query('page') === 'en' ? 'en' : 'fr';
    const listed: { id: string; title: string }[] = [];
    for (const { id } of await options.datasets()) {
      const dataset = await options.publicDataset(id);
      if (dataset) listed.push({ id, title: dataset.title });
    }
    const wanted = c.req.query('dataset');
    const chosenId = listed.find((d) => d.id === wanted)?.id ?? null;
    const chosen = chosenId ? attributesFrom(chosenId, (name) => c.req.query(name)) : null;
    const origin = new URL(c.req.url).origin;
    return c.html(chooserPage(origin, lang, listed, chosen), 200, {
      'Content-Security-Policy': `${EMBED_PAGE_POLICY}; frame-ancestors 'none'`,
      'Cache-Control': 'no-cache',
    });
  });

  // Cross-origin: preflights of what the widget sends (answered here, so they are no API routes
  // of their own), and the headers on what it may read.
  app.use('/api/*', async (c, next) => {
    const listed = await listedSites(c);
    if (listed !== null && !listed.includes(c.req.header('origin') ?? '')) {
      c.res = refuseSite(c);
      return;
    }
    await openToStrangers(c, next);
    if (listed !== null && c.res.headers.has('Access-Control-Allow-Origin')) {
      c.res.headers.set('Access-Control-Allow-Origin', c.req.header('origin') ?? '');
      c.res.headers.set('Vary', [c.res.headers.get('Vary'), 'Origin'].filter(Boolean).join(', '));
    }
  });

  /** The sites a dataset lists when another site asks it, else null (no list, same origin, no dataset). */
  async function listedSites(c: Context): Promise<readonly string[] | null> {
    const id = DATASET_PATH.exec(c.req.path)?.[1];
    if (!c.req.header('origin') || id === undefined || isSameOrigin(c)) return null;
    // The catalog's descriptions (datapackage.json, dcat.jsonld) are no embedding: open to all.
    if (/\.(json|jsonld)$/.test(c.req.path)) return null;
    const sites = await allowedSites(id);
    return sites.length > 0 ? sites : null;
  }

  /** Another site than those listed: no CORS header (the browser keeps the answer from the page). */
  function refuseSite(c: Context): Response {
    const headers = { Vary: 'Origin' };
    if (c.req.method === 'OPTIONS') return c.body(null, 204, headers);
    return c.json(
      {
        error: {
          code: EmbeddingErrorCode.siteNotListed,
          message: "This dataset's owner does not allow this site to embed it",
        },
      },
      403,
      headers,
    );
  }

  async function openToStrangers(c: Context, next: () => Promise<void>): Promise<void> {
    if (c.req.method === 'OPTIONS') {
      const proposalTo = /^\/api\/datasets\/([^/]+)\/proposals$/.exec(c.req.path)?.[1];
      if (proposalTo !== undefined) {
        const open = isDatasetId(proposalTo) && (await options.publicDataset(proposalTo)) !== null;
        c.res = c.body(null, 204, open ? READ_CORS : {});
        return;
      }
      if (c.req.path === '/api/config' || /^\/api\/proposals\/[^/]+$/.test(c.req.path)) {
        c.res = c.body(null, 204, READ_CORS);
        return;
      }
    }
    await next();
    if (!c.req.header('origin') || c.res.headers.has('Access-Control-Allow-Origin')) return;
    const path = c.req.path;
    const method = c.req.method;
    const open =
      (method === 'GET' && (path === '/api/config' || /^\/api\/proposals\/[^/]+$/.test(path))) ||
      // The route answers a private dataset as it answers a missing one (404): nothing leaks.
      (method === 'POST' && /^\/api\/datasets\/[^/]+\/proposals$/.test(path)) ||
      // Errors carry no data: the widget may tell "private or missing" from "unreachable".
      (method === 'GET' &&
        /^\/api\/datasets\/[^/]+(\/rows(\/[^/]+)?|\/schema)?$/.test(path) &&
        c.res.status >= 400);
    if (!open) return;
    c.res.headers.set('Access-Control-Allow-Origin', '*');
    c.res.headers.set('Vary', [c.res.headers.get('Vary'), 'Origin'].filter(Boolean).join(', '));
  }

  return app;
}
