import { describe, expect, it } from 'vitest';
import { PlaceClusters, placesSignature } from './clusters.ts';

const places = [
  { id: 'a', lat: 48.8584, lon: 2.2945 },
  { id: 'b', lat: 48.8585, lon: 2.2946 },
  { id: 'c', lat: 48.8586, lon: 2.2947 },
  { id: 'far', lat: 43.2965, lon: 5.3698 },
];
const france = { west: -5, south: 41, east: 10, north: 51.5 };

describe('points grouped for the map', () => {
  it('groups nearby places into one cluster counting them at a low zoom', () => {
    const markers = new PlaceClusters(places).markers(france, 5);
    const clusters = markers.filter((m) => m.kind === 'cluster');
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ count: 3 });
    expect(markers.filter((m) => m.kind === 'place').map((m) => (m.kind === 'place' ? m.id : ''))).toEqual([
      'far',
    ]);
  });

  it('shows every place on its own once zoomed in past the cluster expansion zoom', () => {
    const index = new PlaceClusters(places);
    const cluster = index.markers(france, 5).find((m) => m.kind === 'cluster');
    if (cluster?.kind !== 'cluster') throw new Error('expected a cluster');
    const zoom = index.expansionZoom(cluster.clusterId);
    expect(zoom).toBeGreaterThan(5);
    const near = { west: 2.29, south: 48.85, east: 2.3, north: 48.87 };
    const total = index
      .markers(near, 18)
      .map((m) => (m.kind === 'cluster' ? m.count : 1))
      .reduce((a, b) => a + b, 0);
    expect(total).toBe(3);
  });

  it('gives the markers in reading order, north to south then west to east (the tab order)', () => {
    const grid = [
      { id: 'south-west', lat: 43.3, lon: 1 },
      { id: 'north-east', lat: 50.6, lon: 7 },
      { id: 'south-east', lat: 43.3, lon: 7 },
      { id: 'north-west', lat: 50.6, lon: 1 },
    ];
    const ids = new PlaceClusters(grid)
      .markers(france, 12)
      .map((m) => (m.kind === 'place' ? m.id : `cluster ${m.clusterId}`));
    expect(ids).toEqual(['north-west', 'north-east', 'south-west', 'south-east']);
  });

  it('gives the same signature to the same places, another when one moves or leaves', () => {
    const same = places.map((p) => ({ ...p }));
    expect(placesSignature(same)).toBe(placesSignature(places));
    const moved = places.map((p) => (p.id === 'b' ? { ...p, lat: p.lat + 0.0001 } : p));
    expect(placesSignature(moved)).not.toBe(placesSignature(places));
    expect(placesSignature(places.slice(1))).not.toBe(placesSignature(places));
  });

  it('lists the places in view in the dataset order, and the extent of all of them', () => {
    const index = new PlaceClusters(places);
    expect(index.inView({ west: 2, south: 48, east: 3, north: 49 }).map((p) => p.id)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(index.extent()).toEqual({ west: 2.2945, south: 43.2965, east: 5.3698, north: 48.8586 });
    expect(new PlaceClusters([]).extent()).toBeNull();
  });
});
