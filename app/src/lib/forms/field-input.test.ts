import type { Field } from '@datapatch/schema';
import { describe, expect, it } from 'vitest';
import {
  citizenInputs,
  inputFor,
  joinList,
  listFromPattern,
  positionFields,
  requiresOsmHours,
  splitList,
} from './field-input.ts';

describe('inputFor', () => {
  it('gives a closed set a choice with its values', () => {
    const input = inputFor({ name: 'acces_pmr', type: 'string', constraints: { enum: ['Oui', 'Non'] } });
    expect(input).toMatchObject({ kind: 'choice', options: ['Oui', 'Non'], required: false });
  });

  it('reads the mednum `|` lists written as patterns into a multi-choice', () => {
    const input = inputFor({
      name: 'frais_a_charge',
      type: 'string',
      constraints: { pattern: '(?:(?:^|\\|)(Gratuit|Gratuit sous condition|Payant))+$' },
    });
    expect(input).toMatchObject({
      kind: 'multi-choice',
      separator: '|',
      options: ['Gratuit', 'Gratuit sous condition', 'Payant'],
    });
  });

  it('keeps escaped characters of an option', () => {
    expect(listFromPattern('(?:(?:^|;)(A \\(bis\\)|B))+$')).toEqual({
      options: ['A (bis)', 'B'],
      separator: ';',
    });
    expect(listFromPattern('^\\d{5}$')).toBeNull();
  });

  it('picks inputs a phone keyboard understands', () => {
    const kinds = (fields: Field[]) => fields.map((f) => inputFor(f).kind);
    expect(
      kinds([
        { name: 'telephone', type: 'string' },
        { name: 'courriels', type: 'string' },
        { name: 'site_web', type: 'string' },
        { name: 'url_fiche_equipement', type: 'string', format: 'uri' },
        { name: 'horaires', type: 'string' },
        { name: 'date_maj', type: 'date' },
        { name: 'latitude', type: 'number' },
        { name: 'places', type: 'integer' },
        { name: 'ouvert', type: 'boolean' },
        { name: 'presentation_detail', type: 'string' },
        { name: 'nom', type: 'string' },
        { name: 'point', type: 'geopoint' },
      ]),
    ).toEqual([
      'phone',
      'email',
      'url',
      'url',
      'opening-hours',
      'date',
      'number',
      'integer',
      'boolean',
      'long-text',
      'text',
      'geopoint',
    ]);
  });

  it('requires OSM syntax only where the schema says so', () => {
    expect(requiresOsmHours({ name: 'horaires', description: 'au format OpenStreetMap' })).toBe(true);
    expect(requiresOsmHours({ name: 'horaire' })).toBe(false);
  });
});

describe('lists', () => {
  it('write chosen items in the schema order with its separator', () => {
    expect(joinList(['Payant', 'Gratuit'], ['Gratuit', 'Gratuit sous condition', 'Payant'], '|')).toBe(
      'Gratuit|Payant',
    );
    expect(splitList('Gratuit|Payant', '|')).toEqual(['Gratuit', 'Payant']);
    expect(splitList('', '|')).toEqual([]);
  });
});

describe('positionFields', () => {
  it('finds a latitude/longitude pair of numbers, or a geopoint', () => {
    expect(
      positionFields([
        { name: 'geo_point_2d_lat', type: 'number' },
        { name: 'geo_point_2d_long', type: 'number' },
      ]),
    ).toEqual({ kind: 'pair', latitude: 'geo_point_2d_lat', longitude: 'geo_point_2d_long' });
    expect(positionFields([{ name: 'pos', type: 'geopoint' }])).toEqual({ kind: 'geopoint', field: 'pos' });
    expect(positionFields([{ name: 'nom', type: 'string' }])).toBeNull();
  });
});

describe('citizenInputs', () => {
  it('leaves technical fields out of a citizen form and rounds the coordinates (the demo dataset)', () => {
    const inputs = citizenInputs([
      { name: 'adresse', type: 'string' },
      { name: 'geo_shape', type: 'geojson', title: 'Forme (GeoJSON)' },
      { name: 'details', type: 'object' },
      { name: 'geo_point_2d_lat', type: 'number', title: 'Latitude' },
      { name: 'geo_point_2d_long', type: 'number', title: 'Longitude' },
      { name: 'places', type: 'number' },
    ]);
    expect(inputs.map((i) => [i.name, i.decimals])).toEqual([
      ['adresse', undefined],
      ['geo_point_2d_lat', 5],
      ['geo_point_2d_long', 5],
      ['places', undefined],
    ]);
    expect(inputFor({ name: 'geo_shape', type: 'geojson' }).kind).toBe('shape');
  });
});
