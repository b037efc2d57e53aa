import { describe, expect, it } from 'vitest';
import type { PlaceSource } from './places.ts';
import { pointText, shownGeometry, shownPlaceCell } from './record-cells.ts';

const latLon: PlaceSource = {
  kind: 'detected',
  detection: { kind: 'latitude-longitude-fields', latitude: 'lat', longitude: 'lon' },
};

describe('cells that hold a place, as a record page shows them', () => {
  it('rounds the coordinate fields to 5 decimals and leaves other numbers alone', () => {
    expect(shownPlaceCell({ name: 'lat', type: 'number' }, 48.8673644300438, latLon, null)).toEqual({
      kind: 'number',
      value: 48.86736,
    });
    expect(shownPlaceCell({ name: 'places', type: 'number' }, 12.3456789, latLon, null)).toBeNull();
  });

  it('says a GeoJSON point or shape in words, never its text', () => {
    const multiPoint = '{"coordinates": [[2.3540203755216, 48.8673644300438]], "type": "MultiPoint"}';
    expect(shownPlaceCell({ name: 'geo_shape', type: 'geojson' }, multiPoint, latLon, null)).toEqual({
      kind: 'point',
      point: { lat: 48.86736, lon: 2.35402 },
    });
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [2, 48],
          [2.1, 48],
          [2.1, 48.1],
          [2, 48],
        ],
      ],
    };
    expect(shownGeometry(polygon)).toEqual({ kind: 'shape', points: 4 });
    // A text field whose value is GeoJSON is recognised by its opening.
    expect(shownPlaceCell({ name: 'forme' }, '{"type": "Point", "coordinates": [1, 2]}', null, null)).toEqual(
      {
        kind: 'point',
        point: { lat: 2, lon: 1 },
      },
    );
    expect(shownPlaceCell({ name: 'nom' }, 'Mairie {annexe}', null, null)).toBeNull();
  });

  it('shows a geopoint field as its rounded point', () => {
    const source: PlaceSource = { kind: 'geopoint', field: 'pos', format: 'default' };
    expect(
      shownPlaceCell({ name: 'pos', type: 'geopoint' }, '2.3540203, 48.8673644', source, {
        lat: 48.8673644,
        lon: 2.3540203,
      }),
    ).toEqual({ kind: 'point', point: { lat: 48.86736, lon: 2.35402 } });
  });

  it('writes a point latitude first, in the reader’s number format', () => {
    expect(pointText({ lat: 48.86736, lon: 2.35402 }, 'fr')).toBe('48,86736 ; 2,35402');
    expect(pointText({ lat: 48.86736, lon: 2.35402 }, 'en')).toBe('48.86736, 2.35402');
  });
});
