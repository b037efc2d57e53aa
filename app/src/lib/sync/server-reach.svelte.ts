/**
 * The server's reachability as reactive state shared by the header and the hub screens. Every
 * request the app sends through `reachFetch` updates it; while the server is out of reach and
 * the browser online, one small request probes it again (5 s, then up to a minute apart), so
 * the badge comes back to "En ligne" by itself.
 */
import { nextProbeDelay, reachOf, type ServerReach } from './server-reach.ts';

let state = $state<ServerReach>('unknown');
let probeTimer = 0;
let probeDelay: number | null = null;

function note(next: Exclude<ServerReach, 'unknown'>): void {
  state = next;
  if (typeof window === 'undefined') return;
  if (next === 'reachable') {
    clearTimeout(probeTimer);
    probeTimer = 0;
    probeDelay = null;
    return;
  }
  if (probeTimer !== 0) return;
  probeDelay = nextProbeDelay(probeDelay);
  probeTimer = window.setTimeout(() => {
    probeTimer = 0;
    if (navigator.onLine) void reachFetch('/api/config', { cache: 'no-store' }).catch(() => {});
    else note('unreachable');
  }, probeDelay);
}

/** `fetch`, noting what the answer (or its absence) says about the server. */
export const reachFetch: typeof fetch = async (input, init) => {
  try {
    const response = await fetch(input, init);
    note(reachOf(response.status));
    return response;
  } catch (error) {
    // An aborted request says nothing about the server.
    if (!(error instanceof DOMException && error.name === 'AbortError')) note(reachOf(null));
    throw error;
  }
};

export const serverReach = {
  get state(): ServerReach {
    return state;
  },
  /** The server answered by another way (the sync socket opened). */
  answered(): void {
    note('reachable');
  },
};
