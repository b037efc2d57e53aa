/**
 * Security headers on every HTTP answer. The app's Content-Security-Policy is the one SvelteKit
 * wrote into the built index.html (`kit.csp`, with the hash of its inline boot script), plus what
 * only the server knows: the basemap's tile origin and `frame-ancestors`, which a `<meta>` cannot
 * carry. Invariant: no page of the app can be framed by another site; a route that sets its own
 * policy first (the future widget, framed by its owner's allow-list) keeps it.
 */
import type { MiddlewareHandler } from 'hono';
import { cameOverHttps } from './secure-transport.ts';

/** A policy as directive → sources, in the order written. */
export type PolicyDirectives = Map<string, string[]>;

/** Who may frame a page. The app: nobody. A widget route passes its dataset owner's allow-list. */
export const NOBODY_MAY_FRAME: readonly string[] = ["'none'"];

/** API answers are data, never documents: nothing to load, nobody to frame them. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** Before the app is built (API-only servers, tests): a strict policy with nothing inline. */
const FALLBACK_APP_POLICY =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; form-action 'self'";

export function parsePolicy(text: string): PolicyDirectives {
  const directives: PolicyDirectives = new Map();
  for (const part of text.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

export function formatPolicy(directives: PolicyDirectives): string {
  return [...directives].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

/**
 * The origin tiles come from, as a CSP source: `https://{s}.tile.example.org/{z}/{x}/{y}.png`
 * gives `https://*.tile.example.org`. A placeholder elsewhere in the host allows the scheme only.
 */
export function tileSource(template: string): string | null {
  const match = /^(https?):\/\/([^/?#]+)/i.exec(template);
  if (!match) return null;
  const scheme = (match[1] ?? '').toLowerCase();
  const host = (match[2] ?? '').toLowerCase();
  if (!host.includes('{')) return `${scheme}://${host}`;
  const [first, ...rest] = host.split('.');
  if (/^\{[a-z]+\}$/.test(first ?? '') && rest.length > 0 && !rest.join('.').includes('{')) {
    return `${scheme}://*.${rest.join('.')}`;
  }
  return `${scheme}:`;
}

/** The app's policy from the build's `<meta>` policy (or a strict default), completed for this server. */
export function appPolicy(
  built: string | null,
  options: { basemapUrl?: string | undefined; frameAncestors?: readonly string[] } = {},
): string {
  const directives = parsePolicy(built ?? FALLBACK_APP_POLICY);
  const tiles = options.basemapUrl ? tileSource(options.basemapUrl) : null;
  if (tiles) {
    const images = directives.get('img-src') ?? directives.get('default-src') ?? ["'self'"];
    directives.set('img-src', [...images.filter((source) => source !== tiles), tiles]);
  }
  directives.set('frame-ancestors', [...(options.frameAncestors ?? NOBODY_MAY_FRAME)]);
  return formatPolicy(directives);
}

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * Adds the headers after the route answered: nosniff and the referrer policy everywhere, the
 * API's or the app's CSP unless the route set one, and HSTS only over HTTPS (a browser ignores it
 * over HTTP, and a plain-HTTP instance must stay reachable).
 */
export function securityHeaders(options: {
  trustProxy: boolean;
  appPolicy: () => string;
}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('X-Content-Type-Options', 'nosniff');
    // Tile servers (OpenStreetMap's policy) want to know the site; no path or query leaves it.
    headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    if (!headers.has('Content-Security-Policy')) {
      const api = c.req.path.startsWith('/api/') || c.req.path.startsWith('/sync/');
      headers.set('Content-Security-Policy', api ? API_POLICY : options.appPolicy());
    }
    // For browsers older than frame-ancestors; left out when a route allows some framing.
    if (/frame-ancestors 'none'/.test(headers.get('Content-Security-Policy') ?? '')) {
      headers.set('X-Frame-Options', 'DENY');
    }
    if (cameOverHttps(c, options.trustProxy)) {
      headers.set('Strict-Transport-Security', `max-age=${ONE_YEAR_SECONDS}`);
    }
  };
}
