/**
 * The app's built files from `app/build`: the `.br` or `.gz` written beside a file at build time
 * (adapter-static's `precompress`) is sent when the client accepts it, so no file is compressed
 * per request. Hashed files (`/_app/immutable/*`) may be kept for a year; every other file is
 * revalidated (`no-cache` + ETag), so a new version reaches the service worker and the manifest.
 * Invariant: only regular files inside the folder are served; index.html is the shell's (app-shell.ts).
 */
import { createReadStream, type Stats, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { MiddlewareHandler } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import { type ContentEncoding, chooseEncoding, isCompressible, varyOnEncoding } from './compression.ts';

export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

const SUFFIX: Record<ContentEncoding, string> = { br: '.br', gzip: '.gz' };

function fileAt(path: string): Stats | null {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats : null;
  } catch {
    return null;
  }
}

/** The file a URL path names inside `root`, or null (outside, hidden, a folder, a variant). */
function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /(^|\/)\./.test(decoded)) return null;
  if (/\.(br|gz)$/.test(decoded) || decoded === '/index.html') return null;
  const path = normalize(join(root, decoded));
  return path.startsWith(root + sep) ? path : null;
}

/** A validator that changes with the file: the same for every encoding of it (weak). */
export function fileTag(stats: Stats): string {
  return `W/"${stats.size.toString(36)}-${Math.floor(stats.mtimeMs).toString(36)}"`;
}

/** True when an If-None-Match header names `tag` (weak comparison, as for GET). */
export function notModified(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = tag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === bare);
}

export function appFiles(appDir: string): MiddlewareHandler {
  const root = normalize(appDir);
  return async (c, next) => {
    // HEAD: Hono drops the body of the GET answer.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const path = resolveInside(root, c.req.path);
    const stats = path === null ? null : fileAt(path);
    if (path === null || stats === null) return next();
    const type = getMimeType(path) ?? 'application/octet-stream';
    const tag = fileTag(stats);
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Cache-Control': c.req.path.startsWith('/_app/immutable/') ? IMMUTABLE_CACHE : REVALIDATE,
      ETag: tag,
    };
    let sent = path;
    let size = stats.size;
    if (isCompressible(type)) {
      const available = (['br', 'gzip'] as const).filter((e) => fileAt(path + SUFFIX[e]) !== null);
      const encoding = chooseEncoding(c.req.header('accept-encoding'), available);
      if (encoding !== null) {
        sent = path + SUFFIX[encoding];
        size = fileAt(sent)?.size ?? 0;
        headers['Content-Encoding'] = encoding;
      }
    }
    if (notModified(c.req.header('if-none-match'), tag)) delete headers['Content-Encoding'];
    const response = notModified(c.req.header('if-none-match'), tag)
      ? c.body(null, 304, headers)
      : c.req.method === 'HEAD'
        ? c.body(null, 200, { ...headers, 'Content-Length': String(size) })
        : c.body(Readable.toWeb(createReadStream(sent)) as unknown as ReadableStream<Uint8Array>, 200, {
            ...headers,
            'Content-Length': String(size),
          });
    if (isCompressible(type)) varyOnEncoding(response.headers);
    return response;
  };
}
