import type { Field } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import { pointOfCells, pointShape, positionCells } from './position-cells.ts';

const here = { lat: 48.8566, lon: 2.3522 };

describe('the position picked on the map fills the form', () => {
  it('writes a latitude/longitude pair as two decimal numbers rounded to 5 decimals (the demo dataset)', () => {
    const fields: Field[] = [
      { name: 'geo_point_2d_lat', type: 'number' },
      { name: 'geo_point_2d_long', type: 'number' },
    ];
    const position = { kind: 'pair', latitude: 'geo_point_2d_lat', longitude: 'geo_point_2d_long' } as const;
    const cells = positionCells(position, fields, here);
    expect(cells).toEqual({ geo_point_2d_lat: '48.85660', geo_point_2d_long: '2.35220' });
    expect(pointOfCells(position, fields, cells)).toEqual(here);
  });

  it('reads a pair typed with a decimal comma, and no point while a cell is empty', () => {
    const position = { kind: 'pair', latitude: 'lat', longitude: 'lon' } as const;
    expect(pointOfCells(position, [], { lat: '48,85', lon: '2,35' })).toEqual({ lat: 48.85, lon: 2.35 });
    expect(pointOfCells(position, [], { lat: '48.85', lon: '' })).toBeNull();
  });

  it('writes a geopoint field in its own format: "lon, lat" by default, or array', () => {
    const position = { kind: 'geopoint', field: 'pos' } as const;
    expect(positionCells(position, [{ name: 'pos', type: 'geopoint' }], here)).toEqual({
      pos: '2.3522, 48.8566',
    });
    const array: Field[] = [{ name: 'pos', type: 'geopoint', format: 'array' }];
    const cells = positionCells(position, array, here);
    expect(cells).toEqual({ pos: '[2.3522,48.8566]' });
    expect(pointOfCells(position, array, cells)).toEqual(here);
  });
  it('gives a new place a GeoJSON Point shape, longitude first, rounded', () => {
    expect(JSON.parse(pointShape({ lat: 48.8673644, lon: 2.3540203 }))).toEqual({
      type: 'Point',
      coordinates: [2.35402, 48.86736],
    });
  });
});
