import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compression } from './compression.ts';

describe('chooseEncoding', () => {
  it('prefers brotli, honours q-values and *, and falls back to identity', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('gzip;q=0.5, br;q=0.2')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding(undefined)).toBeNull();
    expect(chooseEncoding('br, gzip', ['gzip'])).toBe('gzip');
  });
});

describe('compression of answers', () => {
  const big = { rows: Array.from({ length: 300 }, (_, i) => ({ id: i, nom: `Sanisette ${i}` })) };
  const app = new Hono();
  app.use('*', compression());
  app.get('/json', (c) => c.json(big, 200, { ETag: '"v1"' }));
  app.get('/small', (c) => c.json({ ok: true }));
  app.get('/csv', (c) =>
    c.body('nom;places\n'.repeat(500), 200, { 'Content-Type': 'text/csv; charset=utf-8' }),
  );
  app.get('/xlsx', (c) =>
    c.body(new Uint8Array(5000), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    }),
  );
  app.get('/events', (c) => c.body('data: x\n\n'.repeat(200), 200, { 'Content-Type': 'text/event-stream' }));
  const get = (path: string, encoding?: string) =>
    app.request(`http://localhost${path}`, encoding ? { headers: { 'accept-encoding': encoding } } : {});

  it('compresses JSON and CSV with brotli or gzip as accepted, and the body decodes to the same', async () => {
    for (const encoding of ['br', 'gzip'] as const) {
      const response = await get('/json', encoding);
      expect(response.headers.get('content-encoding')).toBe(encoding);
      expect(response.headers.get('vary')).toBe('Accept-Encoding');
      // The compressed bytes are another representation: the validator turns weak.
      expect(response.headers.get('etag')).toBe('W/"v1"');
      const bytes = Buffer.from(await response.arrayBuffer());
      const decoded = encoding === 'br' ? brotliDecompressSync(bytes) : gunzipSync(bytes);
      expect(JSON.parse(decoded.toString('utf8'))).toEqual(big);
    }
    expect((await get('/csv', 'gzip')).headers.get('content-encoding')).toBe('gzip');
  });

  it('sends identity when nothing is accepted, for tiny answers, already-compressed formats and live streams', async () => {
    const plain = await get('/json');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    expect(await plain.json()).toEqual(big);
    expect((await get('/small', 'br')).headers.get('content-encoding')).toBeNull();
    const xlsx = await get('/xlsx', 'br');
    expect(xlsx.headers.get('content-encoding')).toBeNull();
    expect(xlsx.headers.get('vary')).toBeNull();
    expect((await get('/events', 'br')).headers.get('content-encoding')).toBeNull();
  });
});
