/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
/**
 * The app shell offline: the build's files and static files are cached at install, under a
 * cache named after this version (old ones are deleted on activate). Pages are network-first
 * and fall back to the cached shell (an SPA: every page is the same index.html); the API and
 * the sync socket are never cached, except the dataset list, kept as last seen for the home page.
 * Built files (hashed, never changing) are served from the cache by the browser itself where it
 * has static routes (Chromium): a fetch handler answering each of them cost ~190 ms of a warm
 * open's boot on bench/app-first-rows.ts (two waves of ~10 files, ~100 ms each).
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `datapatch-shell-${version}`;
const SHELL = '/';
const DATASET_LIST = '/api/datasets';
const PRECACHE = [SHELL, ...build, ...files];

/** The static routing API (InstallEvent.addRoutes), not yet in TypeScript's lib. */
interface RoutingInstallEvent extends ExtendableEvent {
  addRoutes?: (rule: {
    condition: { urlPattern?: string; requestMode?: RequestMode };
    source: { cacheName: string } | 'network' | 'fetch-event' | 'race-network-and-fetch-handler';
  }) => Promise<void>;
}

sw.addEventListener('install', (event) => {
  const routing = event as RoutingInstallEvent;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(PRECACHE);
      // In order, the first match wins; one call per rule, so that a browser refusing one keeps
      // the others. A built file missing from the cache falls back to the network; a page races
      // the network against the handler below (its cached shell answers offline); the API goes
      // to the network without waking this worker, except the dataset list it keeps.
      for (const rule of [
        { condition: { urlPattern: '/_app/immutable/*' }, source: { cacheName: CACHE } },
        {
          condition: { requestMode: 'navigate' as const },
          source: 'race-network-and-fetch-handler' as const,
        },
        { condition: { urlPattern: DATASET_LIST }, source: 'fetch-event' as const },
        { condition: { urlPattern: '/api/*' }, source: 'network' as const },
      ])
        await routing.addRoutes?.(rule).catch(() => undefined);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== CACHE) await caches.delete(key);
      }
      await sw.clients.claim();
    })(),
  );
});

async function networkFirst(event: FetchEvent, fallback: string): Promise<Response> {
  const { request } = event;
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // Kept for offline after the page has its answer, not before.
    if (response.ok) event.waitUntil(cache.put(fallback, response.clone()));
    return response;
  } catch (error) {
    const cached = await cache.match(fallback);
    if (cached) return cached;
    throw error;
  }
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;

  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(event, SHELL));
    return;
  }
  if (url.pathname === DATASET_LIST) {
    event.respondWith(networkFirst(event, DATASET_LIST));
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync')) return;
  // Built files have hashed names: the cached copy is the right one.
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(
      (async () => (await caches.match(url.pathname, { cacheName: CACHE })) ?? fetch(request))(),
    );
  }
});
