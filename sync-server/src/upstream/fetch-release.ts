/**
 * Reading a release from the URL a dataset names. Invariants: only that URL is asked (http or
 * https, no other host is contacted by this module, redirects are not followed); at most
 * `maxBytes` are read; a slow source is given up after `timeoutMs`.
 */
import { readCappedBody } from '../http/request-body.ts';

export type FetchedRelease =
  | { ok: true; bytes: Uint8Array; filename: string }
  | { ok: false; reason: 'status' | 'network' | 'too-large' | 'timeout'; detail: string };

export function isReleaseUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export async function fetchRelease(
  url: string,
  options: { maxBytes: number; timeoutMs: number },
): Promise<FetchedRelease> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await fetch(url, { redirect: 'manual', signal: controller.signal });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, reason: 'status', detail: `HTTP ${response.status}` };
    }
    const body = await readCappedBody(response as unknown as Request, options.maxBytes);
    if (!body.ok) {
      return body.reason === 'too-large'
        ? { ok: false, reason: 'too-large', detail: `over ${options.maxBytes} bytes` }
        : {
            ok: false,
            reason: controller.signal.aborted ? 'timeout' : 'network',
            detail: 'the body ended early',
          };
    }
    const name = new URL(url).pathname.split('/').pop() || 'release.csv';
    return { ok: true, bytes: body.bytes, filename: decodeURIComponent(name) };
  } catch (error) {
    return controller.signal.aborted
      ? { ok: false, reason: 'timeout', detail: `no answer in ${options.timeoutMs} ms` }
      : { ok: false, reason: 'network', detail: String((error as Error).message ?? error) };
  } finally {
    clearTimeout(timer);
  }
}
