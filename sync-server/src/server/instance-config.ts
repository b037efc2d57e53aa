/**
 * What the app needs to know about this instance, served at `GET /api/config`: for now the
 * basemap tiles (`DATAPATCH_BASEMAP_URL`, an XYZ template with {z} {x} {y}, and its
 * attribution). No basemap is a valid setting: the map then draws points on a plain background.
 */

export interface Basemap {
  /** An XYZ tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png */
  url: string;
  /** Shown on the map, as the tiles' licence asks (HTML not allowed). */
  attribution: string;
}

export interface InstanceConfig {
  basemap: Basemap | null;
}

export const noInstanceConfig: InstanceConfig = { basemap: null };

export type InstanceConfigResult =
  | { ok: true; config: InstanceConfig }
  | { ok: false; error: { code: 'invalid_basemap_url'; message: string } };

export function instanceConfigFromEnvironment(env: NodeJS.ProcessEnv): InstanceConfigResult {
  const url = env.DATAPATCH_BASEMAP_URL?.trim() ?? '';
  if (url === '') return { ok: true, config: noInstanceConfig };
  const template =
    /^https?:\/\/[^\s]+$/.test(url) && ['{z}', '{x}', '{y}'].every((part) => url.includes(part));
  if (!template) {
    return {
      ok: false,
      error: {
        code: 'invalid_basemap_url',
        message: `DATAPATCH_BASEMAP_URL must be an http(s) tile template with {z}, {x} and {y}, got "${url}"`,
      },
    };
  }
  return {
    ok: true,
    config: { basemap: { url, attribution: env.DATAPATCH_BASEMAP_ATTRIBUTION?.trim() ?? '' } },
  };
}
