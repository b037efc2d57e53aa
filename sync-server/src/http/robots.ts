/**
 * `/robots.txt` and `/sitemap.xml`: the home and public datasets' pages are for search engines;
 * the hubs' space (dashboard, editing, moderation, settings, history, invites), the forms and the
 * API are not. Invariant: neither file ever names a private dataset (a Disallow line would give
 * its id away): private datasets' pages say `noindex` themselves (page-meta.ts).
 */
import type { Context } from 'hono';

/** The hubs' space and the forms, as robots.txt patterns (`*` any characters, `$` the end). */
export const NOT_FOR_SEARCH_ENGINES = [
  '/api/',
  '/sync/',
  '/dashboard',
  '/signin',
  '/new',
  '/invites/',
  '/hubs',
  '/reset/',
  '/my-proposals',
  '/datasets/*/edit',
  '/datasets/*/moderate',
  '/datasets/*/settings',
  '/datasets/*/history',
  '/datasets/*/propose',
  '/datasets/*/records/*/propose',
] as const;

/** This site's origin as the visitor reached it (through our trusted proxy's scheme and host). */
export function publicOrigin(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  if (trustProxy) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
    if (proto === 'https' || proto === 'http') url.protocol = `${proto}:`;
    if (host && /^[a-z0-9.:[\]-]+$/i.test(host)) url.host = host;
  }
  return url.origin;
}

export function robotsTxt(origin: string): string {
  return [
    'User-agent: *',
    ...NOT_FOR_SEARCH_ENGINES.map((path) => `Disallow: ${path}`),
    'Allow: /',
    '',
    `Sitemap: ${origin}/sitemap.xml`,
    '',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch,
  );
}

/** The home and each public dataset's page, with the date its data last changed. */
export function sitemapXml(origin: string, publicDatasets: { id: string; updatedAt: string }[]): string {
  const url = (path: string, lastModified?: string) =>
    `  <url><loc>${escapeXml(origin + path)}</loc>${
      lastModified ? `<lastmod>${escapeXml(lastModified)}</lastmod>` : ''
    }</url>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    url('/'),
    ...publicDatasets.map((d) => url(`/datasets/${encodeURIComponent(d.id)}`, d.updatedAt || undefined)),
    '</urlset>',
    '',
  ].join('\n');
}
