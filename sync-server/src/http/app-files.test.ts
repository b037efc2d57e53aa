import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fixedRegistry,
  HASHED_FILE,
  HASHED_TEXT,
  temporaryAppBuild,
  VARIANT_TEXT,
} from '../testing/app-build.ts';
import { createHttpApp } from './app.ts';

const build = temporaryAppBuild();
afterAll(() => build.remove());
const datasets = Array.from({ length: 30 }, (_, i) => ({
  id: `lieux-${i}`,
  title: `Lieux ${i}`,
  description: 'Toilettes publiques de la ville',
  rowCount: i,
  updatedAt: '2026-01-01T00:00:00.000Z',
}));
const app = createHttpApp({ registry: fixedRegistry(datasets), appDir: build.dir, roomsInMemory: () => 0 });
const get = (path: string, headers: Record<string, string> = {}) =>
  app.request(`http://localhost${path}`, { headers });

describe('built files', () => {
  it('sends the .br or .gz made at build time when accepted, the plain file otherwise, and varies on it', async () => {
    const br = await get(HASHED_FILE, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(VARIANT_TEXT.br);
    const gzip = await get(HASHED_FILE, { 'accept-encoding': 'gzip' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(VARIANT_TEXT.gzip);
    for (const accepted of [{}, { 'accept-encoding': 'identity' }] as Record<string, string>[]) {
      const plain = await get(HASHED_FILE, accepted);
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(await plain.text()).toBe(HASHED_TEXT);
      expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    }
  });

  it('a text file with no variant and the API’s JSON are compressed on the way; a PNG never is', async () => {
    const worker = await get('/service-worker.js', { 'accept-encoding': 'br' });
    expect(worker.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await worker.arrayBuffer())).toString()).toContain(
      'addEventListener',
    );
    const list = await get('/api/datasets', { 'accept-encoding': 'gzip' });
    expect(list.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(Buffer.from(await list.arrayBuffer())).toString())).toEqual({ datasets });
    const png = await get('/icon-192.png', { 'accept-encoding': 'br, gzip' });
    expect(png.headers.get('content-encoding')).toBeNull();
    expect((await png.arrayBuffer()).byteLength).toBe(4096);
  });

  it('hashed files are kept for a year; the others, the pages and the API are revalidated', async () => {
    expect((await get(HASHED_FILE)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const path of ['/service-worker.js', '/icon-192.png', '/', '/datasets/x', '/api/datasets']) {
      const response = await get(path);
      expect(response.headers.get('cache-control'), path).toBe('no-cache');
    }
  });

  it('an unchanged file or page answers 304 to its ETag', async () => {
    for (const path of ['/service-worker.js', '/datasets/x']) {
      const first = await get(path);
      const tag = first.headers.get('etag');
      expect(tag, path).toMatch(/^W\/"/);
      const again = await get(path, { 'if-none-match': tag ?? '' });
      expect(again.status, path).toBe(304);
    }
  });

  it('serves no compressed variant, hidden file or file outside the build by its own name', async () => {
    for (const path of [
      `${HASHED_FILE}.br`,
      '/%2e%2e/%2e%2e/etc/passwd',
      '/_app/immutable/entry/..%2F..%2F..%2Findex.html',
    ]) {
      const response = await get(path);
      expect(await response.text(), path).not.toBe(VARIANT_TEXT.br);
      expect(response.headers.get('content-type'), path).not.toMatch(/javascript|octet/);
    }
  });
});
