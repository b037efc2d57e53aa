/**
 * Whether this app's server answers, judged from what the app's own requests met: any HTTP
 * answer from the server means it is reachable; a request that never got an answer, or a
 * proxy's "bad gateway / unavailable / timeout", means it is not. Pure: the reactive state
 * and the retries live in server-reach.svelte.ts.
 */

export type ServerReach = 'unknown' | 'reachable' | 'unreachable';

/** Statuses a proxy in front of the server answers when the server itself is down. */
const GATEWAY_DOWN = new Set([502, 503, 504]);

/** What one request's outcome says about the server: an HTTP status, or `null` when no answer came. */
export function reachOf(status: number | null): Exclude<ServerReach, 'unknown'> {
  if (status === null) return 'unreachable';
  return GATEWAY_DOWN.has(status) ? 'unreachable' : 'reachable';
}

/** Waits before probing again an unreachable server: 5 s, doubled each time, at most a minute. */
export function nextProbeDelay(previousMs: number | null): number {
  if (previousMs === null) return 5_000;
  return Math.min(previousMs * 2, 60_000);
}
