/**
 * Points grouped for the zoom level being shown (supercluster): what the map draws, and what
 * the "places in view" list reads, come from the same index, so the list never disagrees with
 * the map. Built once per set of points; querying a view is cheap.
 */
import Supercluster from 'supercluster';
import type { Point } from './geopoint-format.ts';

export type Place = Point & { id: string };
export type Bounds = { west: number; south: number; east: number; north: number };
export type Marker =
  | { kind: 'place'; id: string; lat: number; lon: number }
  | { kind: 'cluster'; clusterId: number; count: number; lat: number; lon: number };

type Props = { id: string };
/** What supercluster puts in the properties of a cluster. */
type ClusterProps = { cluster?: boolean; cluster_id?: number; point_count?: number };

/** North before south, then west before east. */
export function readingOrder(a: Pick<Marker, 'lat' | 'lon'>, b: Pick<Marker, 'lat' | 'lon'>): number {
  return b.lat - a.lat || a.lon - b.lon;
}

export class PlaceClusters {
  readonly #index: Supercluster<Props>;
  readonly #places: readonly Place[];

  constructor(places: readonly Place[]) {
    this.#places = places;
    // radius in screen pixels: about one marker and a half, so clusters never overlap.
    this.#index = new Supercluster<Props>({ radius: 60, maxZoom: 17 });
    this.#index.load(
      places.map((p) => ({
        type: 'Feature' as const,
        properties: { id: p.id },
        geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
      })),
    );
  }

  get size(): number {
    return this.#places.length;
  }

  /**
   * What to draw in `bounds` at `zoom`, in reading order (north to south, then west to east): the
   * order the keyboard goes through the markers in.
   */
  markers(bounds: Bounds, zoom: number): Marker[] {
    const box: [number, number, number, number] = [
      Math.max(-180, bounds.west),
      Math.max(-85, bounds.south),
      Math.min(180, bounds.east),
      Math.min(85, bounds.north),
    ];
    return this.#index
      .getClusters(box, Math.round(zoom))
      .map((feature): Marker => {
        const [lon, lat] = feature.geometry.coordinates as [number, number];
        const props = feature.properties as ClusterProps & Partial<Props>;
        if (props.cluster === true && props.cluster_id !== undefined) {
          return { kind: 'cluster', clusterId: props.cluster_id, count: props.point_count ?? 0, lat, lon };
        }
        return { kind: 'place', id: String(props.id), lat, lon };
      })
      .sort(readingOrder);
  }

  /** The zoom at which a cluster splits into smaller ones (click on a cluster zooms there). */
  expansionZoom(clusterId: number): number {
    return this.#index.getClusterExpansionZoom(clusterId);
  }

  /** Every place inside `bounds`, in the dataset's order (the accessible list). */
  inView(bounds: Bounds): Place[] {
    return this.#places.filter(
      (p) => p.lat >= bounds.south && p.lat <= bounds.north && p.lon >= bounds.west && p.lon <= bounds.east,
    );
  }

  /** The smallest box holding every place, or null when there are none. */
  extent(): Bounds | null {
    return extentOf(this.#places);
  }
}

/**
 * A fingerprint of a list of places (ids, positions, order): the same list gives the same
 * string, so an index can be kept when the rows changed elsewhere (building one for 30,000
 * places costs far more than this pass).
 */
export function placesSignature(places: readonly Place[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0;
  for (const p of places) {
    for (let i = 0; i < p.id.length; i++) h1 = Math.imul(h1 ^ p.id.charCodeAt(i), 0x01000193);
    h1 = Math.imul(h1 ^ Math.round(p.lat * 1e7), 0x01000193);
    h1 = Math.imul(h1 ^ Math.round(p.lon * 1e7), 0x01000193);
    h2 = (Math.imul(h2, 31) + Math.round(p.lat * 1e7) - Math.round(p.lon * 1e7)) | 0;
  }
  return `${places.length}:${h1 >>> 0}:${h2 >>> 0}`;
}

/** The smallest box holding every point, or null when there are none. */
export function extentOf(points: Iterable<Point>): Bounds | null {
  let west = 180;
  let south = 90;
  let east = -180;
  let north = -90;
  let any = false;
  for (const p of points) {
    any = true;
    west = Math.min(west, p.lon);
    east = Math.max(east, p.lon);
    south = Math.min(south, p.lat);
    north = Math.max(north, p.lat);
  }
  return any ? { west, south, east, north } : null;
}
