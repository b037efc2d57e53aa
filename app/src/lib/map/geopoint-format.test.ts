import { describe, expect, it } from 'vitest';
import { geopointFormat, readGeopointCell, writeGeopoint } from './geopoint-format.ts';

const louvre = { lat: 48.8606111, lon: 2.337644 };

describe('a geopoint picked on the map is written in the field format', () => {
  it('writes "lon, lat" by default, longitude first as Table Schema says, rounded to 5 decimals (a metre)', () => {
    expect(writeGeopoint(louvre, 'default')).toBe('2.33764, 48.86061');
  });
  it('writes [lon, lat] for the array format and {lon, lat} for the object format', () => {
    expect(JSON.parse(writeGeopoint(louvre, 'array'))).toEqual([2.33764, 48.86061]);
    expect(JSON.parse(writeGeopoint(louvre, 'object'))).toEqual({ lon: 2.33764, lat: 48.86061 });
  });
  it('reads back what it wrote, in every format', () => {
    for (const format of ['default', 'array', 'object'] as const) {
      expect(readGeopointCell(writeGeopoint(louvre, format), format)).toEqual({
        lat: 48.86061,
        lon: 2.33764,
      });
    }
  });
  it('treats an unknown or missing format as the default one', () => {
    expect(geopointFormat(undefined)).toBe('default');
    expect(geopointFormat('lat, lon')).toBe('default');
    expect(geopointFormat('array')).toBe('array');
  });
  it('gives no point for empty, malformed or out-of-range cells', () => {
    expect(readGeopointCell('', 'default')).toBeNull();
    expect(readGeopointCell(null, 'array')).toBeNull();
    expect(readGeopointCell('2.3;48.8', 'default')).toBeNull();
    expect(readGeopointCell('200, 48', 'default')).toBeNull();
    expect(readGeopointCell('[2.3]', 'array')).toBeNull();
    expect(readGeopointCell('{"lat": 48.8}', 'object')).toBeNull();
    expect(readGeopointCell('not json', 'object')).toBeNull();
  });
  it('accepts the array and object formats already parsed (JSON cells kept as values)', () => {
    expect(readGeopointCell([2.3, 48.8], 'array')).toEqual({ lat: 48.8, lon: 2.3 });
    expect(readGeopointCell({ lon: 2.3, lat: 48.8 }, 'object')).toEqual({ lat: 48.8, lon: 2.3 });
  });
});
