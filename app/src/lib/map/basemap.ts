/**
 * The instance's basemap, asked once per visit from `GET /api/config` and remembered on the
 * device. Any failure gives the last known one or none: the map then draws its points on a
 * plain background, it never waits for tiles.
 */

export type Basemap = { url: string; attribution: string };

const KEY = 'datapatch:basemap';
let asked: Promise<Basemap | null> | null = null;

function isBasemap(value: unknown): value is Basemap {
  if (value === null || typeof value !== 'object') return false;
  const { url, attribution } = value as { url?: unknown; attribution?: unknown };
  return typeof url === 'string' && typeof attribution === 'string';
}

function remembered(): Basemap | null {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    return isBasemap(value) ? value : null;
  } catch {
    return null;
  }
}

async function ask(): Promise<Basemap | null> {
  try {
    const response = await fetch('/api/config');
    if (!response.ok) return remembered();
    const { basemap } = (await response.json()) as { basemap?: unknown };
    const found = isBasemap(basemap) ? basemap : null;
    try {
      localStorage.setItem(KEY, JSON.stringify(found));
    } catch {
      // Known for this visit only.
    }
    return found;
  } catch {
    return remembered();
  }
}

export function loadBasemap(): Promise<Basemap | null> {
  asked ??= ask();
  return asked;
}
