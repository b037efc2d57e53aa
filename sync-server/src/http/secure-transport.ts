/**
 * Whether a request reached us over HTTPS: directly (TLS in this process), or through our own
 * reverse proxy, trusted only when the owner says so (`DATAPATCH_TRUST_PROXY=1`), which then tells
 * the scheme in `X-Forwarded-Proto`. Without that trust the header is anyone's word and is ignored.
 */
import type { Context } from 'hono';

export function cameOverHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!trustProxy) return false;
  // The proxy nearest the client writes the first value.
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https';
}

/** Whether a session cookie set on this answer gets `Secure`: forced by the owner, or over HTTPS. */
export function wantsSecureCookie(
  c: Context,
  options: { secureCookies: boolean; trustProxy: boolean },
): boolean {
  return options.secureCookies || cameOverHttps(c, options.trustProxy);
}
