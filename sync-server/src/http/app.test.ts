import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server/server.ts';
import { startTestServer, temporaryDataDir } from '../testing/clients.ts';
import { HttpErrorCode } from './app.ts';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function serverWithApp(withApp: boolean): Promise<RunningServer> {
  const data = temporaryDataDir();
  cleanups.push(data.remove);
  let appDir: string | null = null;
  if (withApp) {
    appDir = join(data.dir, 'build');
    mkdirSync(join(appDir, '_app'), { recursive: true });
    writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>Data Patch</title>');
    writeFileSync(join(appDir, '_app', 'start.js'), 'console.log("app")');
    mkdirSync(join(appDir, '_app', 'immutable'), { recursive: true });
    writeFileSync(join(appDir, '_app', 'immutable', 'chunk.Ab12.js'), 'export {}');
  }
  const server = await startTestServer({ dataDir: join(data.dir, 'data'), appDir });
  cleanups.push(() => server.close());
  return server;
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('HTTP routes', () => {
  it('answers the health check', async () => {
    const server = await serverWithApp(false);
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it('serves the built app, with index.html for client-side routes', async () => {
    const server = await serverWithApp(true);
    const home = await fetch(`${server.url}/`);
    expect(await home.text()).toContain('<title>Jeux de données ouverts – Data Patch</title>');
    const deepLink = await fetch(`${server.url}/datasets/sanisettes-paris/rows/42`);
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toContain('<title>Data Patch</title>');
    const asset = await fetch(`${server.url}/_app/start.js`);
    expect(await asset.text()).toBe('console.log("app")');
    expect(asset.headers.get('cache-control')).toBe('no-cache');
    // Hashed built files may be kept for good; a missing one is not cached.
    const built = await fetch(`${server.url}/_app/immutable/chunk.Ab12.js`);
    expect(built.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await fetch(`${server.url}/_app/immutable/gone.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control') ?? '').not.toContain('immutable');
  });

  it('never answers /api or /sync with the app', async () => {
    const server = await serverWithApp(true);
    const unknownApi = await fetch(`${server.url}/api/no-such-route`);
    expect(unknownApi.status).toBe(404);
    expect(await errorCode(unknownApi)).toBe(HttpErrorCode.notFound);
    const plainSync = await fetch(`${server.url}/sync/ds/x/validated`);
    expect(plainSync.status).toBe(426);
    expect(await errorCode(plainSync)).toBe(HttpErrorCode.upgradeRequired);
  });

  it('without a built app, unknown paths are a JSON 404', async () => {
    const server = await serverWithApp(false);
    const response = await fetch(`${server.url}/datasets`);
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe(HttpErrorCode.notFound);
  });
});
