/**
 * The embed's map, loaded only when a visitor opens the map view: Leaflet and its stylesheet
 * (put inside the shadow root, where the page's styles cannot reach) come in this chunk alone.
 * Points are circle markers, so no marker image has to be found next to the script.
 */
import L from 'leaflet';
import leafletCss from 'leaflet/dist/leaflet.css?inline';

const OSM = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const OSM_ATTRIBUTION = '© OpenStreetMap';

interface Feature {
  geometry?: { type?: string; coordinates?: unknown };
  properties?: Record<string, unknown>;
}

export function showMap(
  root: ShadowRoot,
  container: HTMLElement,
  geojson: { features?: Feature[] },
  options: {
    tileUrl?: string;
    attribution?: string;
    name: string | undefined;
    accent: string;
    openLabel: string;
    /** The feature's place in the answer: the same place as its row in the rows API's order. */
    onOpen: (index: number) => void;
  },
): { markers: number; dispose: () => void } {
  if (!root.querySelector('style[data-leaflet]')) {
    const style = document.createElement('style');
    style.dataset.leaflet = '';
    style.textContent = leafletCss;
    root.append(style);
  }
  const map = L.map(container, { scrollWheelZoom: false });
  L.tileLayer(options.tileUrl ?? OSM, {
    attribution: options.attribution ?? OSM_ATTRIBUTION,
    maxZoom: 19,
  }).addTo(map);
  const points: L.LatLng[] = [];
  for (const [index, feature] of (geojson.features ?? []).entries()) {
    const coordinates = feature.geometry?.type === 'Point' ? feature.geometry.coordinates : null;
    if (!Array.isArray(coordinates)) continue;
    const [lon, lat] = coordinates as number[];
    if (typeof lat !== 'number' || typeof lon !== 'number') continue;
    const at = L.latLng(lat, lon);
    points.push(at);
    const title = String((options.name && feature.properties?.[options.name]) ?? '');
    const marker = L.circleMarker(at, {
      radius: 7,
      weight: 2,
      color: '#ffffff',
      fillColor: options.accent,
      fillOpacity: 0.9,
    });
    if (title) marker.bindTooltip(title);
    marker.on('click', () => options.onOpen(index));
    marker.addTo(map);
  }
  if (points.length > 0) map.fitBounds(L.latLngBounds(points), { padding: [20, 20], maxZoom: 15 });
  else map.setView([46.6, 2.4], 5);
  return { markers: points.length, dispose: () => map.remove() };
}
