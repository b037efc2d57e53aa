import type { Field } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import { placeOf, placeReader, placeSource } from './places.ts';

// Two rows of the demo dataset (Ville de Paris, « Sanisettes », ODbL), fields trimmed.
const sanisettes: Field[] = [
  { name: 'adresse', type: 'string' },
  { name: 'geo_shape', type: 'geojson' },
  { name: 'geo_point_2d_lat', type: 'number' },
  { name: 'geo_point_2d_long', type: 'number' },
];
const rows = [
  {
    adresse: 'face au 6 RUE DESNOUETTES',
    geo_shape: '{"coordinates": [[2.293417776948326, 48.8360452467052]], "type": "MultiPoint"}',
    geo_point_2d_lat: 48.8360452467052,
    geo_point_2d_long: 2.293417776948326,
  },
  { adresse: '73  QUAI BRANLY', geo_shape: null, geo_point_2d_lat: null, geo_point_2d_long: null },
];

describe('where a dataset keeps its points', () => {
  it('uses the latitude and longitude number fields of the schema (the demo dataset)', () => {
    const source = placeSource(sanisettes, rows);
    expect(source).toEqual({
      kind: 'detected',
      detection: {
        kind: 'latitude-longitude-fields',
        latitude: 'geo_point_2d_lat',
        longitude: 'geo_point_2d_long',
      },
    });
    expect(placeOf(rows[0]!, source!)).toEqual({ lat: 48.8360452467052, lon: 2.293417776948326 });
  });

  it('reads a row cell by cell, only the cells that hold its point', () => {
    const source = placeSource(sanisettes, rows)!;
    const asked: string[] = [];
    const read = placeReader((rowId, field) => {
      asked.push(field);
      return rows[Number(rowId)]?.[field as keyof (typeof rows)[number]];
    }, source);
    expect(read('0')).toEqual({ lat: 48.8360452467052, lon: 2.293417776948326 });
    expect(read('1')).toBeNull();
    expect(new Set(asked)).toEqual(new Set(['geo_point_2d_lat', 'geo_point_2d_long']));
  });

  it('leaves a row without coordinates off the map instead of putting it at 0,0', () => {
    const source = placeSource(sanisettes, rows)!;
    expect(placeOf(rows[1]!, source)).toBeNull();
  });

  it('reads a geopoint field in its schema format, longitude first', () => {
    const fields: Field[] = [{ name: 'position', type: 'geopoint', format: 'array' }];
    const source = placeSource(fields, [])!;
    expect(source).toEqual({ kind: 'geopoint', field: 'position', format: 'array' });
    expect(placeOf({ position: '[2.35, 48.85]' }, source)).toEqual({ lat: 48.85, lon: 2.35 });
    const text = placeSource([{ name: 'position', type: 'geopoint' }], [])!;
    expect(placeOf({ position: '2.35, 48.85' }, text)).toEqual({ lat: 48.85, lon: 2.35 });
  });

  it('finds points in untyped text columns by their values ("lat,lon" as La Poste writes them)', () => {
    const fields: Field[] = [
      { name: 'commune', type: 'string' },
      { name: 'coordonnees_gps', type: 'string' },
    ];
    const sample = [
      { commune: 'L ABERGEMENT CLEMENCIAT', coordonnees_gps: '46.1534255214,4.92611354223' },
      { commune: 'AMBERIEU EN BUGEY', coordonnees_gps: '45.9608475114,5.3729257777' },
    ];
    const source = placeSource(fields, sample)!;
    expect(source).toEqual({
      kind: 'detected',
      detection: { kind: 'lat-lon-text', field: 'coordonnees_gps' },
    });
    expect(placeOf(sample[1]!, source)).toEqual({ lat: 45.9608475114, lon: 5.3729257777 });
  });

  it('finds the point of a GeoJSON geometry when nothing else holds one', () => {
    const fields: Field[] = [{ name: 'geo_shape', type: 'string' }];
    const source = placeSource(fields, [rows[0]!])!;
    expect(source.kind).toBe('detected');
    expect(placeOf(rows[0]!, source)).toEqual({ lat: 48.8360452467052, lon: 2.293417776948326 });
  });

  it('says there is no map when no field holds points', () => {
    expect(placeSource([{ name: 'nom', type: 'string' }], [{ nom: 'Mairie' }])).toBeNull();
  });
});
