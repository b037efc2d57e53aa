import { describe, expect, it } from 'vitest';
import { createHttpApp } from '../http/app.ts';
import { instanceConfigFromEnvironment } from './instance-config.ts';

const registry = { list: async () => [], get: async () => null, upsert: async () => undefined };

describe('instance config (basemap of the map view)', () => {
  it('has no basemap unless DATAPATCH_BASEMAP_URL is set', () => {
    expect(instanceConfigFromEnvironment({})).toEqual({ ok: true, config: { basemap: null } });
  });

  it('takes an XYZ tile template and its attribution from the environment', () => {
    const result = instanceConfigFromEnvironment({
      DATAPATCH_BASEMAP_URL: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      DATAPATCH_BASEMAP_ATTRIBUTION: '© OpenStreetMap contributors',
    });
    expect(result).toEqual({
      ok: true,
      config: {
        basemap: {
          url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
          attribution: '© OpenStreetMap contributors',
        },
      },
    });
  });

  it('refuses a URL that is not a tile template', () => {
    const result = instanceConfigFromEnvironment({ DATAPATCH_BASEMAP_URL: 'https://tiles.example.org/' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_basemap_url');
  });

  it('is served to the app at GET /api/config', async () => {
    const basemap = { url: 'http://127.0.0.1:9/{z}/{x}/{y}.png', attribution: 'test' };
    const app = createHttpApp({ registry, appDir: null, roomsInMemory: () => 0, instance: { basemap } });
    const response = await app.request('/api/config');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ basemap });
    const bare = createHttpApp({ registry, appDir: null, roomsInMemory: () => 0 });
    expect(await (await bare.request('/api/config')).json()).toEqual({ basemap: null });
  });
});
