/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
/**
 * The app shell offline: the build's files and static files are cached at install, under a
 * cache named after this version (old ones are deleted on activate). Pages are network-first
 * and fall back to the cached shell (an SPA: every page is the same index.html); the API and
 * the sync socket are never cached, except the dataset list, kept as last seen for the home page.
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `datapatch-shell-${version}`;
const SHELL = '/';
const DATASET_LIST = '/api/datasets';
const PRECACHE = [SHELL, ...build, ...files];

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(PRECACHE);
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

async function networkFirst(request: Request, fallback: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(fallback, response.clone());
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
    event.respondWith(networkFirst(request, SHELL));
    return;
  }
  if (url.pathname === DATASET_LIST) {
    event.respondWith(networkFirst(request, DATASET_LIST));
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
