/**
 * The app's pages: every page is the built index.html (an SPA), with that page's title and
 * description (page-meta.ts), revalidated on each visit (`no-cache` + ETag). The build's
 * `<meta http-equiv="content-security-policy">` is taken out and sent as a header instead
 * (security-headers.ts), completed with what a `<meta>` cannot say.
 * Invariant: index.html is read again when it changes on disk (a new build), never per request.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Handler } from 'hono';
import { notModified, REVALIDATE } from './app-files.ts';
import { type PageMeta, withPageMeta } from './page-meta.ts';

const POLICY_META = /<meta\s+http-equiv="content-security-policy"\s+content="([^"]*)"\s*\/?>\s*/i;

interface Built {
  mtimeMs: number;
  /** index.html without its CSP `<meta>`. */
  html: string;
  /** The policy SvelteKit wrote (`kit.csp`), or null when the build has none. */
  policy: string | null;
}

export interface AppShell {
  /** The policy of the build being served (its inline script's hash), or null. */
  builtPolicy(): string | null;
  /** Answers a page with index.html made for it. */
  page(meta: (path: string) => Promise<PageMeta>): Handler;
}

export function readShell(html: string): Pick<Built, 'html' | 'policy'> {
  const found = POLICY_META.exec(html);
  return found
    ? { html: html.replace(POLICY_META, ''), policy: (found[1] ?? '').replace(/&#39;/g, "'") }
    : { html, policy: null };
}

export function appShell(appDir: string): AppShell {
  const file = join(appDir, 'index.html');
  let built: Built | null = null;
  const current = (): Built => {
    const { mtimeMs } = statSync(file);
    if (built?.mtimeMs !== mtimeMs) built = { mtimeMs, ...readShell(readFileSync(file, 'utf8')) };
    return built;
  };
  return {
    builtPolicy: () => current().policy,
    page: (meta) => async (c) => {
      const pageMeta = await meta(c.req.path);
      const html = withPageMeta(current().html, pageMeta);
      const tag = `W/"${createHash('sha1').update(html).digest('base64url')}"`;
      const headers: Record<string, string> = {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': REVALIDATE,
        ETag: tag,
      };
      // Also for crawlers that never read the page's <meta>.
      if (!pageMeta.indexable) headers['X-Robots-Tag'] = 'noindex';
      if (notModified(c.req.header('if-none-match'), tag)) return c.body(null, 304, headers);
      return c.body(html, 200, headers);
    },
  };
}
