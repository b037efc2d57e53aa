import { afterAll, describe, expect, it } from 'vitest';
import { fixedRegistry, HASHED_FILE, temporaryAppBuild } from '../testing/app-build.ts';
import { createHttpApp } from './app.ts';
import { API_POLICY, appPolicy, parsePolicy, tileSource } from './security-headers.ts';

const build = temporaryAppBuild();
afterAll(() => build.remove());

function app(options: { trustProxy?: boolean; basemapUrl?: string; appDir?: string | null } = {}) {
  return createHttpApp({
    registry: fixedRegistry([]),
    appDir: options.appDir === undefined ? build.dir : options.appDir,
    roomsInMemory: () => 0,
    trustProxy: options.trustProxy ?? false,
    ...(options.basemapUrl
      ? { instance: { basemap: { url: options.basemapUrl, attribution: '© OSM' } } }
      : {}),
  });
}

const everywhere = (response: Response) => {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
};

describe('security headers', () => {
  it('the app’s pages carry the build’s policy (its inline script hash), the basemap’s origin and frame-ancestors none', async () => {
    const page = await app({ basemapUrl: 'https://{s}.tile.example.org/{z}/{x}/{y}.png' }).request(
      'http://localhost/datasets/x',
    );
    everywhere(page);
    const policy = parsePolicy(page.headers.get('content-security-policy') ?? '');
    expect(policy.get('script-src')).toEqual(["'self'", "'sha256-BOOT'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https://*.tile.example.org']);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    // Sent as a header, the <meta> copy is gone (it would block the basemap's tiles).
    expect(await page.text()).not.toContain('http-equiv');
  });

  it('API answers (JSON and errors) get nosniff and a policy that loads nothing', async () => {
    for (const path of ['/api/health', '/api/no-such-route', '/sync/ds/x/validated']) {
      const response = await app().request(`http://localhost${path}`);
      everywhere(response);
      expect(response.headers.get('content-security-policy')).toBe(API_POLICY);
    }
    const apiOnly = await app({ appDir: null }).request('http://localhost/anything');
    everywhere(apiOnly);
  });

  it('built files get the same headers', async () => {
    for (const path of [HASHED_FILE, '/service-worker.js', '/icon-192.png']) {
      const response = await app().request(`http://localhost${path}`);
      expect(response.status).toBe(200);
      everywhere(response);
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('HSTS only over HTTPS: directly, or when the trusted proxy says so', async () => {
    const hsts = async (url: string, trustProxy: boolean, headers: Record<string, string> = {}) =>
      (await app({ trustProxy }).request(url, { headers })).headers.get('strict-transport-security');
    expect(await hsts('http://localhost/', false)).toBeNull();
    expect(await hsts('https://localhost/', false)).toMatch(/^max-age=\d{7,}/);
    expect(await hsts('http://localhost/', true, { 'x-forwarded-proto': 'https' })).toMatch(/^max-age=/);
    expect(await hsts('http://localhost/', true, { 'x-forwarded-proto': 'http' })).toBeNull();
    expect(await hsts('http://localhost/', false, { 'x-forwarded-proto': 'https' })).toBeNull();
  });
});

describe('the app’s policy', () => {
  it('allows tiles from the basemap’s origin only', () => {
    expect(tileSource('https://tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe(
      'https://tile.openstreetmap.org',
    );
    expect(tileSource('https://{s}.basemaps.example.com/{z}/{x}/{y}.png')).toBe(
      'https://*.basemaps.example.com',
    );
    expect(tileSource('http://tiles-{s}.example.com/{z}/{x}/{y}.png')).toBe('http:');
    expect(tileSource('not a url')).toBeNull();
  });

  it('a route framed by an allow-list (the widget) says so instead of none', () => {
    const policy = parsePolicy(appPolicy(null, { frameAncestors: ['https://mairie.example.fr'] }));
    expect(policy.get('frame-ancestors')).toEqual(['https://mairie.example.fr']);
    expect(policy.get('default-src')).toEqual(["'self'"]);
  });
});
