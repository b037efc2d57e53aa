/**
 * Which sites may embed a dataset, on the wire: the settings of `/api/datasets/:id/embedding`,
 * their error code, and what counts as a site (an origin: scheme, host, port — nothing else).
 * Invariants: an empty list means any site; a listed origin is kept in its canonical form
 * (`new URL(x).origin`), so the server compares it with a browser's `Origin` header as is.
 */

/** `/api/datasets/:id/embedding`. */
export const EmbeddingErrorCode = {
  /** The body is not `{origins: string[]}`, or an entry is not an http(s) origin (`invalid` lists them). */
  invalidOrigins: 'embedding_invalid_origins',
  /** A page of another site asked a dataset whose owner lists the sites allowed, and it is not one (403). */
  siteNotListed: 'embedding_site_not_listed',
} as const;
export type EmbeddingErrorCode = (typeof EmbeddingErrorCode)[keyof typeof EmbeddingErrorCode];

/** What `GET /api/datasets/:id/embedding` answers and `PUT` takes. Empty: any site may embed. */
export type EmbeddingSettings = { origins: string[] };

/** The most sites one dataset lists. */
export const MAX_EMBED_ORIGINS = 50;

/**
 * `https://www.hub.fr` (or with a port, or a trailing `/`) in its canonical form; null for
 * anything that is not exactly an http(s) origin (a path, a query, credentials, a wildcard).
 */
export function embedOrigin(text: string): string | null {
  const trimmed = text.trim().replace(/\/$/, '');
  if (!/^https?:\/\/[^/?#@*\s]+$/i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/** The list kept from what an owner typed, or the entries that are not origins. */
export function embedOrigins(
  entries: readonly string[],
): { ok: true; origins: string[] } | { ok: false; invalid: string[] } {
  const invalid: string[] = [];
  const origins: string[] = [];
  for (const entry of entries) {
    if (entry.trim() === '') continue;
    const origin = embedOrigin(entry);
    if (origin === null) invalid.push(entry);
    else if (!origins.includes(origin)) origins.push(origin);
  }
  return invalid.length > 0 ? { ok: false, invalid } : { ok: true, origins };
}
