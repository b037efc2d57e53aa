/**
 * What both maps (the dataset map and the position picker) set up the same way: zoom buttons
 * named in the reader's language, and the basemap tiles when the instance has some. Tiles that
 * fail only change `onTiles(false)`: nothing drawn on the map depends on them.
 */
import L from 'leaflet';
import { i18n } from '../i18n/locale.svelte.ts';
import type { Basemap } from './basemap.ts';

export function setUpMap(map: L.Map, basemap: Basemap | null, onTiles: (reachable: boolean) => void): void {
  L.control.zoom({ zoomInTitle: i18n.t('map.zoomIn'), zoomOutTitle: i18n.t('map.zoomOut') }).addTo(map);
  map.attributionControl.setPrefix(false);
  if (basemap === null) return;
  // The attribution is text from the instance's settings: no markup reaches the page.
  L.tileLayer(basemap.url, { attribution: basemap.attribution.replace(/[<>]/g, ''), maxZoom: 19 })
    .on('tileerror', () => onTiles(false))
    .on('tileload', () => onTiles(true))
    .addTo(map);
}
